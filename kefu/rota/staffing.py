"""Demand for the roster: buyers per hour of the day from the shop's chat history (Polars over
the conversations' start times), and the agents Erlang C says each hour needs under the
policy's `schedule.staffing` (handle time, chat concurrency, answer target, shrinkage)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from kefu.conversations.models import Conversation
from kefu.core.models import Shop
from kefu.policy.schema.schedule import Schedule
from kefu.rota.solver.staffing import Staffing, staffing_by_hour


def buyers_per_hour(*, shop: Shop, start: dt.date, end: dt.date) -> dict[int, float]:
    """Average buyers starting a conversation in each local hour (0-23), over the days from
    start to end (inclusive) that have any conversation; hours with none are 0."""
    starts = list(
        Conversation.objects.filter(
            shop=shop, day__gte=start, day__lte=end, first_at__isnull=False
        ).values_list("first_at", flat=True)
    )
    if not starts:
        return {}
    local = (
        pl.DataFrame({"at": starts}, schema={"at": pl.Datetime("us", "UTC")})
        .with_columns(pl.col("at").dt.convert_time_zone(shop.timezone))
        .with_columns(pl.col("at").dt.date().alias("day"), pl.col("at").dt.hour().alias("hour"))
    )
    days = local["day"].n_unique()
    counts = local.group_by("hour").len()
    per_hour = {int(h): n / days for h, n in zip(counts["hour"], counts["len"], strict=True)}
    return {hour: per_hour.get(hour, 0.0) for hour in range(24)}


def staffing_needed(*, shop: Shop, schedule: Schedule, today: dt.date) -> dict[int, Staffing]:
    """Agents needed per hour under the policy, from the history before `today`; empty when
    the policy has no staffing section or there is no history."""
    rule = schedule.staffing
    if rule is None:
        return {}
    end = today - dt.timedelta(days=1)
    arrivals = buyers_per_hour(
        shop=shop, start=end - dt.timedelta(days=rule.history_days - 1), end=end
    )
    if not arrivals:
        return {}
    return staffing_by_hour(
        arrivals,
        handle_seconds=rule.handle_seconds,
        target_seconds=rule.answer_seconds,
        service_target=rule.service_level / 100,
        concurrency=rule.concurrency,
        shrinkage=rule.shrinkage / 100,
    )
