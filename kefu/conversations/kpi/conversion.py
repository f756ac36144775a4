"""Conversion 询单转化 per (shop, agent, date) and per (shop, date), with pending figures.

An inquiry 询单 is a served buyer-day that is not an after-sales consult (`orders.
mark_after_sales`); its time is the start of the buyer's first round that day credited to the
agent (for the shop total: the buyer's first round that day). With N = inquiry_window_days
(counting the inquiry day) and B = payment_buffer_days:

- ordered_same_day 询单→当日下单: the buyer created an order at or after the inquiry, the same
  local day d; final after the end of d.
- ordered_final 询单→最终下单: created one within the window, by the end of d+N-1; final then.
- paid_next_day 询单→次日付款: has a paid order created in the window and paid by the end of
  d+1; final after d+1.
- paid_final 询单→最终付款: has a paid order created in the window and paid by the end of
  d+N-1+B; final after d+N-1+B.

"Order" is the buyer's first order created at or after the inquiry; "paid order" the first such
order that is paid (as of the data). A buyer who inquired with two agents converts for both:
conversion is per inquiry, sales credit is not (attribution.py).

Pending: until the data was taken after the end of the last day a figure waits for, its count
and rate are null and its `*_status` column says `pending`, so a number never changes silently.
"""

from __future__ import annotations

import polars as pl

from kefu.conversations.kpi.keys import KeyLayout, LocalClock
from kefu.conversations.kpi.orders import OrderBook, as_of, is_final
from kefu.conversations.kpi.settings import KpiSettings

FIGURES = ("ordered_same_day", "ordered_final", "paid_next_day", "paid_final")


def _waits(settings: KpiSettings) -> dict[str, int]:
    """Days after the inquiry day each figure waits for."""
    last = settings.inquiry_window_days - 1
    return {
        "ordered_same_day": 0,
        "ordered_final": last,
        "paid_next_day": 1,
        "paid_final": last + settings.payment_buffer_days,
    }


def _matched(
    inquiries: pl.DataFrame,
    book: OrderBook,
    layout: KeyLayout,
    clock: LocalClock,
    settings: KpiSettings,
) -> pl.DataFrame:
    """Each inquiry with its four flags; `inquiries` has key, day, t and is sorted on the
    query key (thread, t)."""
    query = layout.with_seconds(pl.col("key"), pl.col("t"))
    out = as_of(
        inquiries,
        query,
        book.orders,
        key="ckey",
        columns=["created"],
        names=["_ordered"],
        strategy="forward",
        layout=layout,
    )
    out = as_of(
        out,
        query,
        book.paid_by_created,
        key="ckey",
        columns=["created", "paid"],
        names=["_paid_created", "_paid"],
        strategy="forward",
        layout=layout,
    )
    day = pl.col("day")
    last = settings.inquiry_window_days - 1

    def by_end_of(column: str, days_after: int) -> pl.Expr:
        return (pl.col(column) < clock.day_start(day + days_after + 1)).fill_null(False)

    in_window = by_end_of("_paid_created", last)
    return out.with_columns(
        ordered_same_day=by_end_of("_ordered", 0),
        ordered_final=by_end_of("_ordered", last),
        paid_next_day=in_window & by_end_of("_paid", 1),
        paid_final=in_window & by_end_of("_paid", last + settings.payment_buffer_days),
    )


def _figures(
    counts: pl.DataFrame, clock: LocalClock, settings: KpiSettings, as_of_s: int
) -> pl.DataFrame:
    columns: list[pl.Expr] = []
    for name, wait in _waits(settings).items():
        final = is_final(pl.col("day"), wait, clock, as_of_s)
        columns += [
            pl.when(final).then(pl.col(name)).alias(name),
            pl.when(final & (pl.col("inquiries") > 0))
            .then(pl.col(name) / pl.col("inquiries"))
            .alias(f"{name}_rate"),
            pl.when(final)
            .then(pl.lit("final"))
            .otherwise(pl.lit("pending"))
            .alias(f"{name}_status"),
        ]
    return counts.with_columns(columns)


def conversion(
    abd: pl.DataFrame,
    bd: pl.DataFrame,
    book: OrderBook,
    layout: KeyLayout,
    clock: LocalClock,
    settings: KpiSettings,
    as_of_s: int,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(agent conversion, shop conversion). `abd`/`bd` carry `after_sales`."""
    inquiry = (pl.col("answered") > 0) & ~pl.col("after_sales")
    by_agent = (
        abd.filter(inquiry & pl.col("agent").is_not_null())
        .select("key", "day", "agent", pl.col("conv_start").alias("t"))
        .with_columns(_q=layout.with_seconds(pl.col("key"), pl.col("t")))
        .sort("_q", maintain_order=True)
        .drop("_q")
    )
    by_shop = bd.filter(inquiry).select("key", "day", pl.col("conv_start").alias("t"))
    sums = [pl.len().alias("inquiries"), *(pl.col(name).sum() for name in FIGURES)]
    agent_counts = (
        _matched(by_agent, book, layout, clock, settings)
        .group_by(
            layout.shop(pl.col("key")).alias("shop_id"), pl.col("agent").alias("agent_id"), "day"
        )
        .agg(sums)
    )
    shop_counts = (
        _matched(by_shop, book, layout, clock, settings)
        .group_by(layout.shop(pl.col("key")).alias("shop_id"), "day")
        .agg(sums)
    )

    def finish(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
        out = _figures(frame, clock, settings, as_of_s)
        rest = [f"{name}{part}" for name in FIGURES for part in ("", "_rate", "_status")]
        return (
            out.with_columns(pl.col("day").cast(pl.Date).alias("date"))
            .select(*keys, "date", "inquiries", *rest)
            .sort(*keys, "date")
        )

    return finish(agent_counts, ["shop_id", "agent_id"]), finish(shop_counts, ["shop_id"])
