"""Entry point: `compute_day_kpis(messages, orders, settings=...)` -> `DayKpis`.

The frames may hold several shops that share one policy (one `KpiSettings`); shops with other
policies are computed in another call. Every output is keyed by shop_id and the shop-local
date (and agent_id where it applies); all of it is computed with whole-column Polars
expressions after one sort of the messages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

import polars as pl

from kefu.conversations.kpi import attribution, conversion, facts, hourly, sales, scores, service
from kefu.conversations.kpi.inputs import validate_messages, validate_orders
from kefu.conversations.kpi.keys import MARGIN_DAYS, KeyLayout, LocalClock
from kefu.conversations.kpi.orders import mark_after_sales, order_book
from kefu.conversations.kpi.rounds import Conversations, build_conversations
from kefu.conversations.kpi.settings import KpiSettings


@dataclass(frozen=True)
class DayKpis:
    """Every daily KPI of the period (docs/kpi.md defines each column)."""

    as_of: dt.datetime
    agent_day: pl.DataFrame
    """Service KPIs per (shop_id, agent_id, date)."""
    shop_day: pl.DataFrame
    """Service totals per (shop_id, date)."""
    agent_hour: pl.DataFrame
    shop_hour: pl.DataFrame
    """分时接待: per local hour; shop_hour has all 24 buckets of each date."""
    scores: pl.DataFrame
    """Marketplace service scores per (shop_id, date, kind)."""
    conversion: pl.DataFrame
    shop_conversion: pl.DataFrame
    sales: pl.DataFrame
    """Sales KPIs per (shop_id, agent_id, date) under the policy's attribution mode."""
    shop_sales: pl.DataFrame
    sales_split: pl.DataFrame
    attribution: pl.DataFrame
    """One row per order: who served it, who is credited, whether it counts and why not."""
    facts: pl.DataFrame
    """Facts for the rules, each with its round as evidence."""
    rounds: pl.DataFrame
    """The rounds themselves (for drill-down and checks)."""


def _bounds(messages: pl.DataFrame, orders: pl.DataFrame) -> tuple[int, int, int]:
    """(first, last) epoch second of any time in the inputs, and the largest buyer id."""
    spans = [
        frame.select(
            # min/max on the datetimes first: one conversion per column, not per row
            pl.col(column).min().dt.epoch("s").alias("lo"),
            pl.col(column).max().dt.epoch("s").alias("hi"),
            pl.col("buyer_id").max().alias("buyer"),
        )
        for frame, column in (
            (messages, "at"),
            (orders, "created_at"),
            (orders, "paid_at"),
        )
    ]
    lo, hi, buyer = (
        pl.concat(spans)
        .select(pl.col("lo").min(), pl.col("hi").max(), pl.col("buyer").max())
        .row(0)
    )
    if lo is None:  # no data at all: any instant will do
        return 0, 0, 0
    return int(lo), int(hi), int(buyer)


def readable_rounds(conv: Conversations) -> pl.DataFrame:
    layout = conv.layout

    def utc(column: str) -> pl.Expr:
        return (pl.col(column) * 1_000_000).cast(pl.Datetime("us", "UTC"))

    return conv.rounds.select(
        layout.shop(pl.col("key")).alias("shop_id"),
        layout.buyer(pl.col("key")).alias("buyer_id"),
        pl.col("agent").alias("agent_id"),
        "holder",
        "responder",
        pl.col("day").cast(pl.Date).alias("date"),
        utc("start").alias("start"),
        utc("end").alias("end"),
        pl.col("wait").alias("wait_s"),
        "answered",
        "left",
        "buyer_messages",
    )


def compute_day_kpis(
    messages: pl.DataFrame,
    orders: pl.DataFrame,
    *,
    settings: KpiSettings,
    as_of: dt.datetime | None = None,
    night_roster: pl.DataFrame | None = None,
    excluded_agents: Collection[int] = (),
) -> DayKpis:
    """All daily KPIs of `messages` and `orders` (schemas in `inputs`).

    as_of: when the data was taken; waits still open are measured up to it and figures that
    wait for later days are pending until it passes them. Default: the latest time in the data.
    night_roster: optional (shop_id, agent_id, date) of night shifts, for the night facts.
    excluded_agents: agents who never get sales credit (e.g. after-sales agents).
    """
    messages = validate_messages(messages)
    orders = validate_orders(orders)
    t_min, t_max, max_buyer = _bounds(messages, orders)
    as_of_s = int(as_of.timestamp()) if as_of is not None else t_max
    shops = pl.concat([messages.get_column("shop_id"), orders.get_column("shop_id")])
    # The clock and the key reach this far beyond the data: the longest window any KPI looks
    # back (after-sales) or ahead (final payment) over, with a margin.
    margin = max(
        MARGIN_DAYS,
        settings.after_sales_window_days + 2,
        settings.inquiry_window_days + settings.payment_buffer_days + 2,
    )
    t_end = max(t_max, as_of_s)
    layout = KeyLayout.fit(shops, max_buyer, t_min, t_end, margin)
    clock = LocalClock.covering(settings.timezone, t_min, t_end, margin)
    per_message = any(score.kind == "douyin_3min" for score in settings.scores)
    conv = build_conversations(
        messages, layout, clock, settings, as_of=as_of_s, message_waits=per_message
    )
    book = order_book(orders, layout, clock)
    runs = service.agent_runs(conv, settings)
    bd = mark_after_sales(service.buyer_days(runs, layout), book, layout, clock, settings)
    abd = service.agent_buyer_days(runs, layout, bd.get_column("after_sales"))
    agent_day = service.agent_day(abd, conv, settings, hourly.max_concurrency(conv))
    shop_day = service.shop_day(bd, conv, settings)
    agent_hour, shop_hour = hourly.hourly(conv, settings)
    agent_conversion, shop_conversion = conversion.conversion(
        abd, bd, book, layout, clock, settings, as_of_s
    )
    attributed = attribution.attribute(book, conv, settings, excluded_agents=excluded_agents)
    return DayKpis(
        as_of=dt.datetime.fromtimestamp(as_of_s, dt.UTC),
        agent_day=agent_day,
        shop_day=shop_day,
        agent_hour=agent_hour,
        shop_hour=shop_hour,
        scores=scores.platform_scores(conv, settings),
        conversion=agent_conversion,
        shop_conversion=shop_conversion,
        sales=sales.agent_sales(attributed, clock, settings, as_of_s),
        shop_sales=sales.shop_sales(attributed, clock, settings, as_of_s),
        sales_split=sales.sales_split(attributed),
        attribution=attributed.with_columns(
            pl.col("created_day").cast(pl.Date).alias("created_date"),
            pl.col("paid_day").cast(pl.Date).alias("paid_date"),
            pl.col("sale_day").cast(pl.Date).alias("sale_date"),
        ).drop("created_day", "paid_day", "sale_day"),
        facts=facts.facts(conv, abd, settings, night_roster=night_roster),
        rounds=readable_rounds(conv),
    )
