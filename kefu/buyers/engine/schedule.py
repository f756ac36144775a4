"""The return-visit schedule 回访 (S1: monthly in the first year after the first order, quarterly
after), for many buyers at once. Pure Polars: no Django."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class VisitPlan:
    """The policy's schedule in months: every `first_every` months during the first
    `first_period` months after the first order, then every `then_every` months."""

    first_period: int = 12
    first_every: int = 1
    then_every: int = 3

    def offsets(self, until_months: int) -> list[int]:
        """Month offsets of the visits up to `until_months` after the first order."""
        out = list(
            range(self.first_every, min(self.first_period, until_months) + 1, self.first_every)
        )
        month = self.first_period
        while True:
            month += self.then_every
            if month > until_months:
                return out
            out.append(month)


def _scheduled(elapsed: pl.Expr, plan: VisitPlan) -> pl.Expr:
    """The last scheduled month offset at or before `elapsed` months (0: none yet)."""
    first = (elapsed // plan.first_every) * plan.first_every
    last_of_first = (plan.first_period // plan.first_every) * plan.first_every
    later = plan.first_period + ((elapsed - plan.first_period) // plan.then_every) * plan.then_every
    return (
        pl.when(elapsed <= plan.first_period)
        .then(first)
        .otherwise(pl.max_horizontal(later, pl.lit(last_of_first)))
    )


def latest_due(first_orders: pl.DataFrame, *, today: dt.date, plan: VisitPlan) -> pl.DataFrame:
    """For each buyer (`buyer_id`, `first_order`: Date) the latest visit due on or before
    `today`: columns `buyer_id`, `due_on`, `month_offset`. Buyers with no visit due yet (first
    order less than one interval ago) are left out. Month ends clamp (31 Jan + 1 month is the
    last day of February)."""
    if first_orders.is_empty():
        return pl.DataFrame(
            schema={"buyer_id": pl.Int64, "due_on": pl.Date, "month_offset": pl.Int64}
        )
    t = pl.lit(today, dtype=pl.Date)
    first = pl.col("first_order")
    months = (t.dt.year() - first.dt.year()).cast(pl.Int64) * 12 + (
        t.dt.month().cast(pl.Int64) - first.dt.month().cast(pl.Int64)
    )

    def due(offset: pl.Expr) -> pl.Expr:
        return first.dt.offset_by(pl.format("{}mo", offset))

    frame = first_orders.select(
        pl.col("buyer_id").cast(pl.Int64), first, months.alias("months")
    ).with_columns(
        # The candidate for this calendar month; one month less when it falls after today.
        _scheduled(pl.col("months"), plan).alias("candidate"),
        _scheduled(pl.col("months") - 1, plan).alias("fallback"),
    )
    frame = frame.with_columns(
        pl.when(due(pl.col("candidate")) <= t)
        .then(pl.col("candidate"))
        .otherwise(pl.col("fallback"))
        .alias("month_offset")
    )
    return (
        frame.filter(pl.col("month_offset") >= plan.first_every)
        .with_columns(due(pl.col("month_offset")).alias("due_on"))
        .select("buyer_id", "due_on", "month_offset")
        .sort("buyer_id")
    )
