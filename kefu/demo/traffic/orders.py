"""Orders: placed after chats, placed silently, and carried in from before the month.

Works on a Polars frame whose times are local seconds (Int64, null = never); `generate` turns
them into tz-aware datetimes at the end. Money is integer cents here and Decimal in the output.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from kefu.demo.traffic.model import FlagColour, OrderStatus, Platform, ShopProfile
from kefu.demo.traffic.timeline import DAY, HOUR, arrival_times

I64 = npt.NDArray[np.int64]

FLAG_WEIGHTS = {
    FlagColour.RED: 0.5,
    FlagColour.YELLOW: 0.2,
    FlagColour.GREEN: 0.15,
    FlagColour.BLUE: 0.1,
    FlagColour.PURPLE: 0.05,
}
# Memos agents write when they flag an order: the instruction, then their name, so the order
# can be credited to them (S1: the agent who flagged wins) and the warehouse knows what to do.
MEMO_INSTRUCTIONS = ("发邮政快递", "改地址", "送赠品", "优先发货", "发顺丰到付", "备注颜色")
BUYER_NOTES = ("请尽快发货", "不要放快递柜", "发邮政", "送货前打电话", "麻烦包装结实一点")
SILENT_MEMOS = ("南京仓", "广州仓")


@dataclass(frozen=True)
class ChatOrders:
    """Orders that follow pre-sales chats; `session` indexes the pre-sales batch."""

    session: I64
    created: I64
    pay_delay: npt.NDArray[np.float64]  # seconds; NaN = never pays


def pay_delays(rng: np.random.Generator, mode: I64) -> npt.NDArray[np.float64]:
    """mode 0: pays at once; 1: hours later or the next day; 2: never."""
    n = mode.size
    now = np.clip(np.exp(rng.normal(np.log(45), 0.8, n)), 5, 1800)
    later = np.clip(np.exp(rng.normal(np.log(3 * HOUR), 1.0, n)), 600, 47 * HOUR)
    return np.where(mode == 0, now, np.where(mode == 1, later, np.nan))


def silent_and_carried(
    rng: np.random.Generator,
    profile: ShopProfile,
    factors: npt.NDArray[np.float64],
    chat_order_rate: float,
) -> tuple[I64, npt.NDArray[np.float64], int]:
    """Creation times and pay delays of silent orders, plus the 15 days carried in before.

    The carried-in orders are the purchases this month's early after-sales buyers ask about.
    Returns (created, pay_delay, number carried in); carried-in orders come first.
    """
    b = profile.behaviour
    silent_rate = chat_order_rate * b.silent_orders_per_chat_order
    carried = rng.poisson(np.full(15, chat_order_rate + silent_rate))
    carried_t = arrival_times(rng, carried.astype(np.int64), -15)
    per_day = rng.poisson(silent_rate * factors).astype(np.int64)
    silent_t = arrival_times(rng, per_day, 0)
    mode = rng.choice(3, silent_t.size, p=[0.92, 0.05, 0.03])
    delays = np.concatenate(
        [pay_delays(rng, np.zeros(carried_t.size, np.int64)), pay_delays(rng, mode)]
    )
    return np.concatenate([carried_t, silent_t]), delays, int(carried_t.size)


def build_orders(
    rng: np.random.Generator,
    profile: ShopProfile,
    *,
    created: I64,
    pay_delay: npt.NDArray[np.float64],
    buyer: pl.Series,
    session: I64,
    agent: I64,
    item: I64,
    bargained: npt.NDArray[np.bool_],
    horizon: int,
) -> pl.DataFrame:
    """Orders with local-second times, cents, flags and memos; sorted by creation.

    `session`/`agent` are -1 for silent orders. Payments after `horizon` are not seen yet.
    """
    n = created.size
    b = profile.behaviour
    items = profile.catalogue
    paid = created + np.nan_to_num(pay_delay, nan=0).astype(np.int64)
    paid_ok = ~np.isnan(pay_delay) & (paid < horizon)

    qty = rng.choice(np.array([1, 2, 3]), n, p=[0.8, 0.15, 0.05])
    # Pinduoduo orders hold one goods line; Taobao buyers sometimes add a second item.
    extra = (rng.random(n) < 0.15) & (len(items) > 1) & (profile.platform is not Platform.PDD)
    extra_item = (item + 1 + rng.integers(0, max(1, len(items) - 1), n)) % len(items)
    cents = np.array([i.cents for i in items], dtype=np.int64)
    goods = cents[item] * qty + np.where(extra, cents[extra_item], 0)
    coupon = np.where(
        bargained, rng.choice(np.array([500, 1000]), n), np.where(rng.random(n) < 0.1, 300, 0)
    )
    coupon = np.minimum(coupon, (goods * 3) // 10)  # a coupon never takes more than 30 %

    has_agent = agent >= 0
    flagged = has_agent & (rng.random(n) < 0.7)
    colours = np.array(list(FLAG_WEIGHTS), dtype=np.int8)
    colour = colours[rng.choice(colours.size, n, p=list(FLAG_WEIGHTS.values()))]
    instruction = rng.random(n) < 0.35
    silent_memo = ~has_agent & (rng.random(n) < 0.03)
    flag = np.where(flagged, colour, np.where(silent_memo, np.int8(FlagColour.BLUE), np.int8(0)))

    names = pl.Series([s.split(":", 1)[1] for s in profile.sub_accounts], dtype=pl.String)
    who = names.gather(np.maximum(agent, 0))
    instr = pl.Series(MEMO_INSTRUCTIONS).gather(rng.integers(0, len(MEMO_INSTRUCTIONS), n))
    memo = pl.Series(SILENT_MEMOS).gather(rng.integers(0, len(SILENT_MEMOS), n))
    note = pl.select(
        pl.when(pl.Series(flagged & instruction))
        .then(instr + "_" + who)
        .when(pl.Series(flagged))
        .then(who)
        .when(pl.Series(silent_memo))
        .then(memo)
        .otherwise(pl.lit(""))
    ).to_series()
    wrote = rng.random(n) < 0.08
    buyer_note = pl.Series(BUYER_NOTES).gather(rng.integers(0, len(BUYER_NOTES), n))
    buyer_message = pl.select(
        pl.when(pl.Series(wrote)).then(buyer_note).otherwise(pl.lit(""))
    ).to_series()

    ship = np.clip(np.exp(rng.normal(np.log(20 * HOUR), 0.6, n)), HOUR, 96 * HOUR).astype(np.int64)
    confirm = np.where(rng.random(n) < 0.75, rng.integers(3 * DAY, 10 * DAY, n), 10 * DAY)
    frame = pl.DataFrame(
        {
            "created": created,
            "paid": pl.Series(np.where(paid_ok, paid, 0)).set(pl.Series(~paid_ok), None),
            "buyer": buyer,
            "session": pl.Series(session).set(pl.Series(session < 0), None),
            "item": item,
            "qty": qty.astype(np.int32),
            "extra_item": pl.Series(extra_item).set(pl.Series(~extra), None),
            "goods": goods,
            "coupon": coupon,
            "flag": flag,
            "note": note,
            "buyer_message": buyer_message,
        }
    )
    return (
        frame.with_columns(
            amount=pl.col("goods") - pl.col("coupon"),
            consigned=pl.col("paid") + pl.Series(ship),
            unpaid_close=pl.col("created") + b.unpaid_close_hours * HOUR,
        )
        .with_columns(confirmed=pl.col("consigned") + pl.Series(confirm))
        .with_row_index("draw")
        .sort("created", "draw", maintain_order=True)
        .drop("draw")
    )


def settle(orders: pl.DataFrame, refunds: pl.DataFrame, horizon: int) -> pl.DataFrame:
    """Apply refunds (`order`, `refund_at`, `refund_cents`) and read each status at `horizon`.

    A refund before shipping cancels the shipment; events after the horizon have not happened.
    """
    first = (
        refunds.filter(pl.col("refund_at") < horizon)
        .group_by("order", maintain_order=True)
        .agg(pl.col("refund_at").min(), pl.col("refund_cents").sort_by("refund_at").first())
    )
    o = orders.with_row_index("order").join(first, on="order", how="left", maintain_order="left")
    refunded = pl.col("refund_at").is_not_null()
    full = refunded & (pl.col("refund_cents") >= pl.col("amount"))
    unshipped = refunded & (pl.col("refund_at") < pl.col("consigned"))
    o = o.with_columns(
        refund_cents=pl.when(unshipped)
        .then(pl.col("amount"))
        .otherwise(pl.col("refund_cents"))
        .fill_null(0),
        consigned=pl.when(unshipped | (pl.col("consigned") >= horizon))
        .then(None)
        .otherwise(pl.col("consigned")),
    ).with_columns(
        confirmed=pl.when(pl.col("consigned").is_null() | (pl.col("confirmed") >= horizon))
        .then(None)
        .otherwise(pl.col("confirmed")),
    )
    full = full | unshipped
    status = (
        pl.when(pl.col("paid").is_null() & (pl.col("unpaid_close") <= horizon))
        .then(pl.lit(OrderStatus.TRADE_CLOSED_BY_TAOBAO.value))
        .when(pl.col("paid").is_null())
        .then(pl.lit(OrderStatus.WAIT_BUYER_PAY.value))
        .when(full)
        .then(pl.lit(OrderStatus.TRADE_CLOSED.value))
        .when(pl.col("consigned").is_null())
        .then(pl.lit(OrderStatus.WAIT_SELLER_SEND_GOODS.value))
        .when(pl.col("confirmed").is_null())
        .then(pl.lit(OrderStatus.WAIT_BUYER_CONFIRM_GOODS.value))
        .otherwise(pl.lit(OrderStatus.TRADE_FINISHED.value))
    )
    return o.with_columns(status=status).drop("order", "refund_at")
