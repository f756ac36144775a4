"""Sales attribution 销售归属: one agent per order, under the policy's mode and S1 overrides.

Served = a human message from the agent to the buyer. With N = inquiry_window_days (counting the
day itself), for each order:
- pre-order agent: the last to serve the buyer at or before creation, no earlier than N-1 local
  days before the creation day;
- pre-payment agent: the same before payment (window counted back from the payment day);
- first agent: the first to serve the buyer in the window before creation (for assists).

Mode (attribution.mode): `order` credits the pre-order agent on the creation date, counting the
order when it is paid by the end of creation day + payment_buffer_days; `payment` credits the
pre-payment agent on the payment date; `order_first` the pre-order agent if any (as `order`),
else the pre-payment agent (as `payment`).

Overrides, in this order:
1. flag owner wins (flag_owner_wins): the agent named in the seller note (flag_agent_id) gets the
   order when that agent also served the buyer in the window before the deciding time;
2. chase (chase_after_unpaid_hours = H): when the pre-payment agent C is another agent, served the
   buyer at least H hours after creation, and the credited agent A was offline then (no message
   to any buyer in the `offline_minutes` before C's message; Kefu default 60, no policy key), C
   gets the order.

Then `counted` is false, with `exclusion` saying why, when the flag colour is excluded
(excluded_flag_colours), the credited agent is excluded (after-sales agents, passed by the
caller), or a policy deduction applies: `return_buyer_whim` / `return_poor_service` (a return,
refund_items > 0, with that refund_reason) or `bad_review_by_agent`.
"""

from __future__ import annotations

from collections.abc import Collection

import polars as pl

from kefu.conversations.kpi.keys import KeyLayout, LocalClock, dense_index, shl, shr
from kefu.conversations.kpi.orders import OrderBook, as_of
from kefu.conversations.kpi.rounds import Conversations
from kefu.conversations.kpi.settings import DEDUCTION_REASONS, KpiSettings

ATTRIBUTION_COLUMNS = (
    "shop_id",
    "order_no",
    "buyer_id",
    "created_day",
    "paid_day",
    "sale_day",
    "amount",
    "items",
    "refund_amount",
    "refund_items",
    "paid_in_time",
    "pre_order_agent",
    "pre_payment_agent",
    "first_agent",
    "follow_up_agent",
    "flag_agent_id",
    "chaser",
    "credited_agent",
    "basis",
    "counted",
    "exclusion",
)


def _window_ok(t: str, day: pl.Expr, clock: LocalClock, days: int) -> pl.Expr:
    return pl.col(t) >= clock.day_start(day - (days - 1))


def _served(
    orders: pl.DataFrame, replies: pl.DataFrame, layout: KeyLayout, clock: LocalClock, n: int
) -> pl.DataFrame:
    """pre_order_agent, first_agent (+ times) on orders sorted by ckey."""
    out = as_of(
        orders,
        pl.col("ckey"),
        replies,
        key="key",
        columns=["agent_id", "t"],
        names=["pre_order_agent", "pre_order_t"],
        strategy="backward",
        layout=layout,
    )
    out = as_of(
        out,
        layout.with_seconds(pl.col("ckey"), clock.day_start(pl.col("created_day") - (n - 1))),
        replies,
        key="key",
        columns=["agent_id", "t"],
        names=["first_agent", "first_t"],
        strategy="forward",
        layout=layout,
    )
    ok = _window_ok("pre_order_t", pl.col("created_day"), clock, n)
    return out.with_columns(
        pl.when(ok).then(pl.col("pre_order_agent")).alias("pre_order_agent"),
        pl.when(ok).then(pl.col("pre_order_t")).alias("pre_order_t"),
        pl.when(pl.col("first_t") <= pl.col("created"))
        .then(pl.col("first_agent"))
        .alias("first_agent"),
    )


def _paid_side(
    orders: pl.DataFrame,
    replies: pl.DataFrame,
    layout: KeyLayout,
    clock: LocalClock,
    settings: KpiSettings,
) -> pl.DataFrame:
    """pre_payment_agent (+ time) and follow_up_agent per paid order (_row)."""
    paid = orders.filter(pl.col("paid").is_not_null()).select("_row", "pkey", "paid", "paid_day")
    paid = paid.sort("pkey", maintain_order=True)
    out = as_of(
        paid,
        pl.col("pkey"),
        replies,
        key="key",
        columns=["agent_id", "t"],
        names=["pre_payment_agent", "pre_payment_t"],
        strategy="backward",
        layout=layout,
    )
    ok = _window_ok("pre_payment_t", pl.col("paid_day"), clock, settings.inquiry_window_days)
    out = out.with_columns(
        pl.when(ok).then(pl.col("pre_payment_agent")).alias("pre_payment_agent"),
        pl.when(ok).then(pl.col("pre_payment_t")).alias("pre_payment_t"),
    )
    minutes = settings.silent_follow_up_minutes
    if minutes is None:
        out = out.with_columns(pl.lit(None, pl.Int64).alias("follow_up_agent"))
    else:
        out = as_of(
            out,
            pl.col("pkey"),
            replies,
            key="key",
            columns=["agent_id", "t"],
            names=["follow_up_agent", "_follow_t"],
            strategy="forward",
            layout=layout,
        )
        soon = pl.col("_follow_t") <= pl.col("paid") + minutes * 60
        out = out.with_columns(
            pl.when(soon).then(pl.col("follow_up_agent")).alias("follow_up_agent")
        )
    return out.select("_row", "pre_payment_agent", "pre_payment_t", "follow_up_agent")


def _flag_owner(
    orders: pl.DataFrame, replies: pl.DataFrame, layout: KeyLayout, clock: LocalClock, n: int
) -> pl.DataFrame:
    """_row of orders whose flag agent served the buyer in the window before deciding."""
    candidates = orders.filter(
        pl.col("flag_agent_id").is_not_null()
        & pl.col("credited_agent").is_not_null()
        & (pl.col("flag_agent_id") != pl.col("credited_agent"))
    ).select(
        "_row",
        layout.thread(pl.col("ckey")).alias("thread"),
        pl.col("flag_agent_id").alias("agent_id"),
        clock.day_start(clock.day(pl.col("decided")) - (n - 1)).alias("since"),
        "decided",
    )
    if candidates.is_empty():
        return candidates.select("_row")
    threads = layout.thread(pl.col("key"))
    served = replies.filter(threads.is_in(candidates.get_column("thread").unique().implode()))
    served = served.select(threads.alias("thread"), "agent_id", "t")
    return (
        candidates.join(served, on=["thread", "agent_id"])
        .filter((pl.col("t") >= pl.col("since")) & (pl.col("t") <= pl.col("decided")))
        .select("_row")
        .unique()
    )


def _chased(
    orders: pl.DataFrame, replies: pl.DataFrame, layout: KeyLayout, settings: KpiSettings
) -> pl.DataFrame:
    """_row of orders taken over by a chase while the credited agent was offline."""
    hours = settings.chase_after_unpaid_hours
    assert hours is not None
    candidates = orders.filter(
        pl.col("credited_agent").is_not_null()
        & pl.col("pre_payment_agent").is_not_null()
        & (pl.col("pre_payment_agent") != pl.col("credited_agent"))
        & (pl.col("pre_payment_t") >= pl.col("created") + hours * 3600)
    ).select("_row", pl.col("credited_agent").alias("agent_id"), pl.col("pre_payment_t").alias("t"))
    if candidates.is_empty():
        return candidates.select("_row")
    agents = candidates.get_column("agent_id").unique().sort()
    bits = max(1, agents.len().bit_length())
    if bits + layout.t_bits > 64:
        raise ValueError("too many agents for the chase check's packed key")

    def packed(t: pl.Expr) -> pl.Expr:
        index = dense_index(agents, pl.col("agent_id"))
        return shl(index, layout.t_bits) | (t - layout.t0).cast(pl.UInt64)

    activity = (
        replies.filter(pl.col("agent_id").is_in(agents.implode()))
        .select(packed(pl.col("t")).alias("_q"), pl.col("t").alias("_last"))
        .sort("_q")
        .with_columns(_m=pl.col("_q"))
    )
    matched = (
        candidates.with_columns(_q=packed(pl.col("t")))
        .sort("_q")
        .join_asof(activity, on="_q", strategy="backward")
    )
    same = shr(pl.col("_m"), layout.t_bits) == shr(pl.col("_q"), layout.t_bits)
    recent = same & (pl.col("t") - pl.col("_last") <= settings.offline_minutes * 60)
    return matched.filter(~recent.fill_null(False)).select("_row")


def attribute(
    book: OrderBook,
    conv: Conversations,
    settings: KpiSettings,
    *,
    excluded_agents: Collection[int] = (),
) -> pl.DataFrame:
    """One row per order: who served it, who is credited and whether it counts."""
    layout, clock = conv.layout, conv.clock
    n = settings.inquiry_window_days
    replies = conv.replies.with_columns(t=layout.seconds(pl.col("key")))
    orders = book.orders.with_row_index("_row")
    orders = _served(orders, replies, layout, clock, n)
    orders = orders.join(
        _paid_side(orders, replies, layout, clock, settings), on="_row", how="left"
    )
    mode = settings.attribution_mode
    by_order = pl.col("pre_order_agent").is_not_null()
    if mode == "order":
        use_order = pl.lit(True)
    elif mode == "payment":
        use_order = pl.lit(False)
    else:
        use_order = by_order
    buffer_end = clock.day_start(pl.col("created_day") + settings.payment_buffer_days + 1)
    orders = orders.with_columns(
        credited_agent=pl.when(use_order).then("pre_order_agent").otherwise("pre_payment_agent"),
        basis=pl.when(use_order).then(pl.lit("pre_order")).otherwise(pl.lit("pre_payment")),
        decided=pl.when(use_order).then("created").otherwise("paid"),
        sale_day=pl.when(use_order).then("created_day").otherwise("paid_day"),
        paid_in_time=pl.when(use_order)
        .then(pl.col("paid") < buffer_end)
        .otherwise(pl.col("paid").is_not_null())
        .fill_null(False),
    ).with_columns(
        basis=pl.when(pl.col("credited_agent").is_not_null()).then("basis"),
        chaser=pl.lit(None, pl.Int64),
    )
    if settings.flag_owner_wins:
        won = _flag_owner(orders, replies, layout, clock, n).get_column("_row")
        hit = pl.col("_row").is_in(won.implode())
        orders = orders.with_columns(
            credited_agent=pl.when(hit).then("flag_agent_id").otherwise("credited_agent"),
            basis=pl.when(hit).then(pl.lit("flag_owner")).otherwise("basis"),
        )
    if settings.chase_after_unpaid_hours is not None:
        taken = _chased(orders, replies, layout, settings).get_column("_row")
        hit = pl.col("_row").is_in(taken.implode())
        orders = orders.with_columns(
            chaser=pl.when(hit).then("pre_payment_agent"),
            credited_agent=pl.when(hit).then("pre_payment_agent").otherwise("credited_agent"),
            basis=pl.when(hit).then(pl.lit("chase")).otherwise("basis"),
        )
    # Reasons in priority order: the first that applies is the one reported.
    reasons = [
        (pl.col("flag").is_in(sorted(settings.excluded_flag_colours)), "excluded_flag"),
        (pl.col("credited_agent").is_in(sorted(excluded_agents)), "excluded_agent"),
    ]
    for deduction, reason in DEDUCTION_REASONS.items():
        if deduction in settings.deductions:
            returned = (pl.col("refund_items") > 0) & (pl.col("refund_reason") == reason)
            reasons.append((returned, deduction))
    if "bad_review_by_agent" in settings.deductions:
        reasons.append((pl.col("bad_review_by_agent"), "bad_review_by_agent"))
    exclusion = pl.coalesce([pl.when(hit).then(pl.lit(name)) for hit, name in reasons])
    orders = orders.with_columns(
        exclusion=pl.when(pl.col("credited_agent").is_not_null()).then(exclusion)
    ).with_columns(
        counted=pl.col("credited_agent").is_not_null()
        & pl.col("paid_in_time")
        & pl.col("exclusion").is_null()
    )
    return orders.select(ATTRIBUTION_COLUMNS)
