"""Rounds 首问首答, built from whole columns after ONE sort of the messages.

A round starts at a buyer message that is not already waiting for an answer and ends at the next
response from the shop: a human agent message, or an auto-reply when the policy counts them
(`auto_reply_counts`). Later buyer messages in the same wait do not restart the clock. System
lines, transfers and recalls neither start nor end a round: a round handed over mid-way runs on
and is answered by the agent it was handed to.

How it is computed (no Python loop over rows): the messages that matter (buyer messages and
responses) are sorted once on the packed (shop, buyer, time) key (`keys.KeyLayout`; in the same
second a buyer's message comes before the shop's, see `sort_messages`). Then, looking only at
neighbours:
- a *run* is a maximal stretch of buyer messages of one thread (shop, buyer);
- a run's first row starts a round, its last row is followed either by the response that ends
  it (same thread) or by another thread (the round is unanswered);
- so round starts and run ends come in pairs, in the same order: filtering each and placing
  them side by side gives one row per round with its start, end, holder and responder.

Credit: a round belongs to the agent who answered it, or, unanswered, to the agent holding the
buyer when it started. A round whose first message no agent held (the main account had it: no
agent online) is a left message 留言: it counts for consulted and served, never for response
times, slow rounds or facts. A round across midnight belongs to the local date it started on.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import polars as pl

from kefu.conversations.kpi.keys import (
    DAY,
    KeyLayout,
    LocalClock,
    epoch_seconds,
    low_bits,
    shl,
    shr,
)
from kefu.conversations.kpi.settings import KpiSettings

BUYER, HUMAN_REPLY, AUTO_REPLY = 1, 2, 3


@dataclass(frozen=True)
class Conversations:
    """Everything the KPI modules read about the chats, in key order where it matters."""

    layout: KeyLayout
    clock: LocalClock
    as_of: int
    """Epoch seconds the data was taken at: waits still open are measured up to it."""
    rounds: pl.DataFrame
    """One row per round, sorted by key: key, start, end, holder, responder, agent, left,
    answered, buyer_messages, wait, day, second_of_day."""
    ordered: pl.DataFrame
    """The sorted messages that start or end rounds (key, code, agent_id)."""
    message_waits: pl.DataFrame | None
    """Buyer messages (shop_id, at, wait): seconds until the response that ended their round
    (null if none). Only built when a per-message score (Douyin) asks for it."""
    messages: pl.DataFrame
    """The validated input messages."""

    @cached_property
    def replies(self) -> pl.DataFrame:
        """Human agent messages (key, agent_id), sorted by key: who served a buyer when."""
        return self.ordered.filter(pl.col("code") == HUMAN_REPLY).select("key", "agent_id")

    @cached_property
    def agent_messages(self) -> pl.DataFrame:
        """shop_id, agent_id, day, agent_messages: human messages each agent sent per local
        day (computed on first use: not every caller needs it)."""
        layout, clock = self.layout, self.clock
        return (
            self.replies.lazy()
            .group_by(
                layout.shop(pl.col("key")).alias("shop_id"),
                "agent_id",
                clock.day(layout.seconds(pl.col("key"))).alias("day"),
            )
            .agg(pl.len().cast(pl.Int64).alias("agent_messages"))
            .collect()
        )

    @cached_property
    def transfers(self) -> pl.DataFrame:
        """shop_id, buyer_id, day, from_agent, to_agent: one row per transfer line."""
        return self.messages.filter(pl.col("kind") == "transfer").select(
            "shop_id",
            "buyer_id",
            self.clock.day(epoch_seconds("at")).alias("day"),
            pl.col("agent_id").alias("from_agent"),
            pl.col("transfer_to").alias("to_agent"),
        )


def event_code(settings: KpiSettings) -> pl.Expr:
    """1 buyer message, 2 human reply, 3 auto-reply that counts; null for everything else.

    Arithmetic on the enums' codes (direction buyer 0 / agent 1, kind human 0 / auto_reply 1):
    a human message is direction + 1."""
    direction = pl.col("direction").to_physical().cast(pl.UInt8)
    kind = pl.col("kind").to_physical()
    human = pl.when(kind == 0).then((direction + 1).cast(pl.UInt8))
    if not settings.auto_reply_counts:
        return human
    auto = pl.when((kind == 1) & (direction == 1)).then(pl.lit(AUTO_REPLY, pl.UInt8))
    return pl.coalesce(human, auto)


def sort_messages(messages: pl.DataFrame, layout: KeyLayout, settings: KpiSettings) -> pl.DataFrame:
    """The messages that start or end rounds, (key, code, agent_id), sorted: the engine's one
    sort of the messages.

    Order: thread (shop, buyer), second, then code (a buyer's message before the shop's reply
    in the same second: the reply answers it), then agent id. When the agent ids fit the bits
    left over (ids >= 0 below 2^spare, true of a database's ids for any shop size Kefu meets),
    code and agent are packed below the key and ONE UInt64 column is sorted (a radix sort,
    several times faster than sorting rows); the sorted values are unpacked again. Otherwise the
    rows are sorted on the same order, which gives the same result, only slower."""
    narrow = (
        messages.lazy()
        .select(
            layout.pack(pl.col("shop_id"), pl.col("buyer_id"), epoch_seconds("at")).alias("key"),
            event_code(settings).alias("code"),
            "agent_id",
        )
        .filter(pl.col("code").is_not_null())
        .collect()
    )
    spare = 64 - 2 - layout.shop_bits - layout.buyer_bits - layout.t_bits
    low, high = narrow.select(
        pl.col("agent_id").min().alias("low"), pl.col("agent_id").max().alias("high")
    ).row(0)
    if spare < 1 or (low is not None and (low < 0 or high + 1 >= 1 << spare)):
        return narrow.sort("key", "code", "agent_id", nulls_last=False)
    packed = narrow.select(
        shl(pl.col("key"), 2 + spare)
        | shl(pl.col("code") - 1, spare)
        | (pl.col("agent_id") + 1).fill_null(0).cast(pl.UInt64)
    ).to_series()
    agent = low_bits(pl.col("s"), spare).cast(pl.Int64) - 1
    return (
        packed.sort()
        .to_frame("s")
        .select(
            shr(pl.col("s"), 2 + spare).alias("key"),
            (low_bits(shr(pl.col("s"), spare), 2) + 1).cast(pl.UInt8).alias("code"),
            pl.when(agent >= 0).then(agent).alias("agent_id"),
        )
    )


def _rounds(
    ordered: pl.DataFrame,
    layout: KeyLayout,
    clock: LocalClock,
    as_of: int,
    message_waits: bool,
) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """(rounds, message waits or None) in one pass over the sorted messages."""
    thread = layout.thread(pl.col("key"))
    new_thread = (thread != thread.shift(1)).fill_null(True)
    last_in_thread = (thread != thread.shift(-1)).fill_null(True)
    is_buyer = pl.col("code") == BUYER
    start = is_buyer & (new_thread | ~is_buyer.shift(1).fill_null(False))
    run_end = is_buyer & (last_in_thread | ~is_buyer.shift(-1).fill_null(False))
    answered = ~last_in_thread  # at a run end: the next row is this thread's response
    at = layout.seconds(pl.col("key"))
    frame = ordered.lazy().with_columns(
        start=start,
        run_end=run_end,
        seen=is_buyer.cum_sum(),
        end=pl.when(answered).then(at.shift(-1)),
        responder=pl.when(answered).then(pl.col("agent_id").shift(-1)),
    )
    parts = [
        frame.filter("start").select(
            "key", pl.col("agent_id").alias("holder"), pl.col("seen").alias("first_seen")
        ),
        frame.filter("run_end").select("end", "responder", "seen"),
    ]
    if message_waits:
        # Every buyer message of a run waits for the response that ends the run: fill the run
        # end's answer (-1: none) backwards over the run.
        answer = pl.when("run_end").then(pl.col("end").fill_null(-1))
        parts.append(
            frame.with_columns(answer=answer.backward_fill(), at=at)
            .filter(is_buyer)
            .select(
                layout.shop(pl.col("key")).alias("shop_id"),
                "at",
                pl.when(pl.col("answer") >= 0).then(pl.col("answer") - pl.col("at")).alias("wait"),
            )
        )
    starts, ends, *waits = pl.collect_all(parts)
    rounds = pl.concat([starts, ends], how="horizontal").lazy()
    begin = layout.seconds(pl.col("key"))
    local = clock.local(begin)
    out = (
        rounds.select(
            "key",
            begin.alias("start"),
            "end",
            "holder",
            "responder",
            pl.coalesce("responder", "holder").alias("agent"),
            pl.col("holder").is_null().alias("left"),
            pl.col("end").is_not_null().alias("answered"),
            (pl.col("seen") - pl.col("first_seen") + 1).cast(pl.Int32).alias("buyer_messages"),
            (pl.col("end").fill_null(pl.max_horizontal(pl.lit(as_of), begin)) - begin).alias(
                "wait"
            ),
            (local // DAY).cast(pl.Int32).alias("day"),
            (local % DAY).cast(pl.Int32).alias("second_of_day"),
        )
        .collect()
        .with_columns(pl.col("key").set_sorted())
    )
    return out, (waits[0] if waits else None)


def build_conversations(
    messages: pl.DataFrame,
    layout: KeyLayout,
    clock: LocalClock,
    settings: KpiSettings,
    *,
    as_of: int,
    message_waits: bool = False,
) -> Conversations:
    """Rounds and the other message facts from validated messages (`inputs.validate_messages`)."""
    ordered = sort_messages(messages, layout, settings)
    rounds, waits = _rounds(ordered, layout, clock, as_of, message_waits)
    return Conversations(
        layout=layout,
        clock=clock,
        as_of=as_of,
        rounds=rounds,
        ordered=ordered,
        message_waits=waits,
        messages=messages,
    )
