"""Turn the simulation's arrays into the `Traffic` frames: ids, nicknames, texts, datetimes."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from kefu.demo.traffic.conversation import AUTO, HUMAN, MAIN_ACCOUNT, SYSTEM, TRANSFER, Conversation
from kefu.demo.traffic.model import (
    MONEY,
    Intent,
    ShopProfile,
    Traffic,
    message_schema,
    order_line_schema,
    order_schema,
    session_schema,
)
from kefu.demo.traffic.names import order_numbers, receivers
from kefu.demo.traffic.phrases import PhraseTable
from kefu.demo.traffic.timeline import DAY, Clock

I64 = npt.NDArray[np.int64]
KIND_NAMES = {HUMAN: "human", AUTO: "auto_reply", SYSTEM: "system", TRANSFER: "transfer"}


@dataclass(frozen=True)
class SessionGroup:
    conv: Conversation
    start: I64
    buyer: pl.Series
    intent: I64
    item: I64
    about: I64  # row of the order an after-sales buyer asks about, or -1


def _to_dt(col: pl.Expr, clock: Clock, tz: str) -> pl.Expr:
    """Local seconds -> tz-aware datetime (ms) in the shop's zone."""
    utc_ms = (col + clock.month_start_epoch) * 1000
    return utc_ms.cast(pl.Datetime("ms")).dt.replace_time_zone("UTC").dt.convert_time_zone(tz)


def _money(col: pl.Expr) -> pl.Expr:
    """Integer cents -> Decimal yuan (exact: no float on the way)."""
    return (col.cast(pl.Decimal(18, 2)) / 100).cast(MONEY)


def _nullable(values: npt.NDArray[np.integer], missing: npt.NDArray[np.bool_]) -> pl.Series:
    return pl.Series(values.astype(np.int64)).set(pl.Series(missing), None)


def _session_ids(pre: SessionGroup, post: SessionGroup) -> tuple[I64, I64]:
    """Ids follow arrival order (1-based); a tie between the two groups breaks by group."""
    start = np.concatenate([pre.start, post.start])
    group = np.repeat([0, 1], [pre.start.size, post.start.size])
    order = np.lexsort((np.arange(start.size), group, start))
    gid = np.empty(start.size, np.int64)
    gid[order] = np.arange(1, start.size + 1)
    return gid[: pre.start.size], gid[pre.start.size :]


def _order_frames(
    profile: ShopProfile, clock: Clock, rng: np.random.Generator, orders: pl.DataFrame, pre_gid: I64
) -> tuple[pl.DataFrame, pl.DataFrame]:
    tz = profile.time_zone
    n = orders.height
    created = orders["created"].to_numpy()
    nos = order_numbers(
        rng, np.floor_divide(created, DAY), clock.first_day.toordinal(), profile.platform
    )
    session_pre = orders["session"].fill_null(-1).to_numpy()
    session_id = _nullable(pre_gid[np.maximum(session_pre, 0)], session_pre < 0)
    full = pl.concat(
        [orders.with_columns(order_no=nos, session_id=session_id), receivers(rng, n)],
        how="horizontal",
    )
    out = full.select(
        "order_no",
        "buyer",
        _to_dt(pl.col("created"), clock, tz).alias("created"),
        _to_dt(pl.col("paid"), clock, tz).alias("paid"),
        _money(pl.col("amount")).alias("amount"),
        "status",
        pl.col("flag").cast(pl.Int8),
        "note",
        "session_id",
        _to_dt(pl.col("consigned"), clock, tz).alias("consigned"),
        _to_dt(pl.col("confirmed"), clock, tz).alias("confirmed"),
        _money(pl.col("refund_cents")).alias("refund"),
        "buyer_message",
        "receiver",
        "phone",
        "province",
        "city",
        "district",
        # Only shipped orders have a waybill.
        pl.when(pl.col("consigned").is_not_null()).then(pl.col("tracking_no")).alias("tracking_no"),
        pl.when(pl.col("consigned").is_not_null()).then(pl.col("courier")).alias("courier"),
    )

    item = orders["item"].to_numpy()
    extra = orders["extra_item"]
    has = extra.is_not_null().to_numpy()
    row = np.concatenate([np.arange(n), np.flatnonzero(has)])
    line_no = np.concatenate([np.ones(n, np.int32), np.full(int(has.sum()), 2, np.int32)])
    line_item = np.concatenate([item, extra.fill_null(0).to_numpy()[has]])
    qty = np.concatenate([orders["qty"].to_numpy(), np.ones(int(has.sum()), np.int32)])
    by = np.lexsort((line_no, row))
    cat = profile.catalogue
    lines = pl.DataFrame(
        {
            "order_no": nos.gather(row[by]),
            "line_no": line_no[by],
            "sku": pl.Series([i.sku for i in cat]).gather(line_item[by]),
            "title": pl.Series([i.title for i in cat]).gather(line_item[by]),
            "cents": np.array([i.cents for i in cat], np.int64)[line_item[by]],
            "quantity": qty[by].astype(np.int32),
        }
    ).select(
        "order_no", "line_no", "sku", "title", _money(pl.col("cents")).alias("price"), "quantity"
    )
    return out.cast(order_schema(tz)), lines.cast(order_line_schema())  # type: ignore[arg-type]


def _messages(
    profile: ShopProfile,
    clock: Clock,
    table: PhraseTable,
    groups: tuple[SessionGroup, ...],
    gids: tuple[I64, ...],
    buyer_by_id: pl.Series,
) -> pl.DataFrame:
    convs = [g.conv for g in groups]
    n_agents = len(profile.sub_accounts)
    raw = pl.DataFrame(
        {
            "session_id": np.concatenate(
                [gid[c.session] for gid, c in zip(gids, convs, strict=True)]
            ),
            "t": np.concatenate([c.time for c in convs]),
            "round": np.concatenate([c.round for c in convs]),
            "phase": np.concatenate([c.phase for c in convs]),
            "from_buyer": np.concatenate([c.from_buyer for c in convs]),
            "kind": np.concatenate([c.kind for c in convs]),
            "agent": np.concatenate([c.agent for c in convs]),
            "text_idx": np.concatenate([c.text for c in convs]),
            "to": np.concatenate([c.transfer_to for c in convs]),
        }
    )
    # The export is taken at the month's end: later messages have not happened yet.
    raw = raw.filter(pl.col("t") < clock.horizon).sort("t", "session_id", "round", "phase")
    nicks = pl.Series([*profile.sub_accounts, profile.main_account], dtype=pl.String)
    agent = raw["agent"].to_numpy()
    agent_idx = np.where(agent == MAIN_ACCOUNT, n_agents, agent)
    sub_account = nicks.gather(_nullable(agent_idx, agent_idx < 0))
    to = raw["to"].to_numpy()
    transfer_to = nicks.gather(_nullable(to, to < 0))
    text_idx = raw["text_idx"].to_numpy()
    text = table.texts.gather(_nullable(text_idx, text_idx < 0))
    return raw.select(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("message_id"),
        "session_id",
        _to_dt(pl.col("t"), clock, profile.time_zone).alias("time"),
        buyer_by_id.gather(raw["session_id"] - 1).alias("buyer"),
        sub_account.alias("sub_account"),
        pl.when("from_buyer").then(pl.lit("buyer")).otherwise(pl.lit("agent")).alias("direction"),
        pl.col("kind").replace_strict(KIND_NAMES, return_dtype=pl.String),
        pl.when(pl.col("kind") == TRANSFER)
        .then(sub_account + " --> " + transfer_to)  # the Qianniu transfer line
        .otherwise(text)
        .alias("text"),
        transfer_to.alias("transfer_to"),
        "round",
    )


def assemble(
    profile: ShopProfile,
    clock: Clock,
    table: PhraseTable,
    rng: np.random.Generator,
    *,
    pre: SessionGroup,
    post: SessionGroup,
    orders: pl.DataFrame,
) -> Traffic:
    tz = profile.time_zone
    pre_gid, post_gid = _session_ids(pre, post)
    order_frame, lines = _order_frames(profile, clock, rng, orders, pre_gid)

    n_sessions = pre_gid.size + post_gid.size
    by_id = np.empty(n_sessions, np.int64)  # session id - 1 -> position in pre ++ post
    by_id[np.concatenate([pre_gid, post_gid]) - 1] = np.arange(n_sessions)
    buyer_by_id = pl.concat([pre.buyer, post.buyer]).gather(by_id)
    messages = _messages(profile, clock, table, (pre, post), (pre_gid, post_gid), buyer_by_id)

    # Session facts are read back from the messages so that they agree with them exactly.
    human_reply = (pl.col("direction") == "agent") & (pl.col("kind") == "human")
    facts = messages.group_by("session_id").agg(
        pl.col("time").max().alias("ended"),
        pl.col("sub_account").filter(human_reply).first().alias("first_agent"),
        pl.col("round")
        .filter(pl.col("direction") == "buyer")
        .n_unique()
        .cast(pl.Int32)
        .alias("rounds"),
        pl.col("round").filter(human_reply).n_unique().cast(pl.Int32).alias("answered_rounds"),
    )
    intents = pl.Series([i.value for i in Intent])
    skus = pl.Series([i.sku for i in profile.catalogue])
    chat_order = order_frame.filter(pl.col("session_id").is_not_null()).select(
        "session_id", "order_no"
    )
    about = np.concatenate([pre.about, post.about])[by_id]
    sessions = (
        pl.DataFrame(
            {
                "session_id": np.arange(1, n_sessions + 1),
                "buyer": buyer_by_id,
                "t": np.concatenate([pre.start, post.start])[by_id],
                "intent": intents.gather(np.concatenate([pre.intent, post.intent])[by_id]),
                "sku": skus.gather(np.concatenate([pre.item, post.item])[by_id]),
                "after_sales_of": orders_no_of(order_frame, about),
            }
        )
        .join(facts, on="session_id", how="left")
        .join(chat_order, on="session_id", how="left")
        .select(
            "session_id",
            "buyer",
            _to_dt(pl.col("t"), clock, tz).alias("started"),
            "ended",
            "intent",
            "sku",
            "first_agent",
            "rounds",
            "answered_rounds",
            "order_no",
            "after_sales_of",
        )
        .sort("session_id")
    )
    as_of = dt.datetime.fromtimestamp(
        clock.month_start_epoch + clock.horizon, zoneinfo.ZoneInfo(tz)
    )
    return Traffic(
        profile=profile,
        as_of=as_of,
        sessions=sessions.cast(session_schema(tz)),  # type: ignore[arg-type]
        messages=messages.drop("round").cast(message_schema(tz)),  # type: ignore[arg-type]
        orders=order_frame,
        order_lines=lines,
    )


def orders_no_of(order_frame: pl.DataFrame, row: I64) -> pl.Series:
    """Order numbers at positions `row` of the orders frame; null where `row` is -1."""
    return order_frame["order_no"].gather(_nullable(row, row < 0))
