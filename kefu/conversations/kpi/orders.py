"""Orders keyed like the messages, and as-of matching between orders, replies and buyer-days.

Every "last X before Y" and "first X after Y" question the KPIs ask (the agent who last served
the buyer before the order, the buyer's first order after an inquiry, a paid order in the
after-sales window) is a backward or forward as-of join on the packed (shop, buyer, time) key:
the match is the nearest key on one side, kept only when its thread (shop, buyer) is the same.
Both sides are sorted on that key, so the join is a single merge pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import polars as pl

from kefu.conversations.kpi.keys import DAY, KeyLayout, LocalClock, epoch_seconds
from kefu.conversations.kpi.settings import KpiSettings


@dataclass(frozen=True)
class OrderBook:
    orders: pl.DataFrame
    """Validated orders plus created, paid (epoch s), created_day, paid_day (local), ckey and
    pkey (packed keys at creation and payment); sorted by ckey."""
    paid_by_paid: pl.DataFrame
    """Paid orders (pkey, paid), sorted by pkey."""
    paid_by_created: pl.DataFrame
    """Paid orders (ckey, created, paid), sorted by ckey."""


def order_book(orders: pl.DataFrame, layout: KeyLayout, clock: LocalClock) -> OrderBook:
    keyed = (
        orders.with_columns(
            created=epoch_seconds("created_at"),
            paid=epoch_seconds("paid_at"),
        )
        .with_columns(
            ckey=layout.pack(pl.col("shop_id"), pl.col("buyer_id"), pl.col("created")),
            pkey=layout.pack(pl.col("shop_id"), pl.col("buyer_id"), pl.col("paid")),
            created_day=clock.day(pl.col("created")),
            paid_day=clock.day(pl.col("paid")),
        )
        .drop("created_at", "paid_at", "status")  # not needed: lighter to sort
        .sort("ckey", maintain_order=True)
    )
    paid = keyed.filter(pl.col("paid").is_not_null())
    return OrderBook(
        orders=keyed,
        paid_by_paid=paid.select("pkey", "paid").sort("pkey", maintain_order=True),
        paid_by_created=paid.select("ckey", "created", "paid"),
    )


def as_of(
    left: pl.DataFrame,
    query: pl.Expr,
    right: pl.DataFrame,
    *,
    key: str,
    columns: Sequence[str],
    names: Sequence[str],
    strategy: Literal["backward", "forward"],
    layout: KeyLayout,
) -> pl.DataFrame:
    """`left` with `names` taken from the nearest `right` row of the same thread (or null).

    `query` (a packed key) must be sorted in `left`'s order; Polars checks it."""
    queried = left.with_columns(query.alias("_q"))
    lookup = right.select(
        pl.col(key).alias("_q"),
        pl.col(key).alias("_m"),
        *(pl.col(c).alias(n) for c, n in zip(columns, names, strict=True)),
    )
    joined = queried.join_asof(lookup, on="_q", strategy=strategy)
    same = layout.thread(pl.col("_m")) == layout.thread(pl.col("_q"))
    return joined.with_columns(pl.when(same).then(pl.col(n)).alias(n) for n in names).drop(
        "_q", "_m"
    )


def mark_after_sales(
    frame: pl.DataFrame,
    book: OrderBook,
    layout: KeyLayout,
    clock: LocalClock,
    settings: KpiSettings,
) -> pl.DataFrame:
    """Add `after_sales`: the buyer-day is an after-sales consult, not an inquiry.

    KPI.md: a buyer with a paid order inside the after-sales window (paid within the
    `after_sales_window_days` local days ending with this day, the day itself included) and no
    new order created this day or the next.
    `frame` has `key` (any key of the buyer's thread) and `day`, sorted by thread then day.
    """
    day = pl.col("day")
    window = settings.after_sales_window_days
    out = as_of(
        frame,
        layout.with_seconds(pl.col("key"), clock.day_start(day)),
        book.orders,
        key="ckey",
        columns=["created"],
        names=["_next_order"],
        strategy="forward",
        layout=layout,
    )
    out = as_of(
        out,
        layout.with_seconds(pl.col("key"), clock.day_start(day + 1) - 1),
        book.paid_by_paid,
        key="pkey",
        columns=["paid"],
        names=["_last_paid"],
        strategy="backward",
        layout=layout,
    )
    new_order = pl.col("_next_order") < clock.day_start(day + 2)
    recent = pl.col("_last_paid") >= clock.day_start(day - window + 1)
    return out.with_columns(
        after_sales=(recent.fill_null(False) & ~new_order.fill_null(False))
    ).drop("_next_order", "_last_paid")


def is_final(day: pl.Expr, days_after: int, clock: LocalClock, as_of_s: int) -> pl.Expr:
    """A figure about `day` that waits `days_after` more days is final once the data was taken
    after the end of that last day (local midnight)."""
    return clock.day_start(day + days_after + 1) <= as_of_s


__all__ = ["DAY", "OrderBook", "as_of", "is_final", "mark_after_sales", "order_book"]
