"""Daily KPI snapshots: the engine's Polars output stored per (shop, day) with the policy version
it was computed under, and the days waiting for a recompute (DirtyDay).

- `kpi_days_compute(shop=, days=)` recomputes exactly those local days: the days are grouped by
  the policy version in force on each, each group is read once (with the context around it the
  engine needs: the day before for waits across midnight, the inquiry window before for sales
  credit, the after-sales window and the payment buffer for conversion) and computed in one
  engine call; the rows of each day are then replaced (delete + bulk insert in one transaction)
  and the facts of that day written (kpi_facts).
- Days become dirty when messages are imported (their days), when a nickname is bound to an
  agent (the days of its messages) and when a policy version is adopted (its days, bounded).
- `dirty_days_compute()` is the Huey job's body (config/schedule.py).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import polars as pl
from django.db import transaction
from django.db.models import Count, Max, Min, Q

from kefu.conversations import selectors
from kefu.conversations.kpi import DayKpis, compute_day_kpis, kpi_settings
from kefu.conversations.kpi.settings import KpiSettings
from kefu.conversations.kpi_facts import facts_record
from kefu.conversations.models import (
    AgentDayKpi,
    Conversation,
    DirtyDay,
    HourKpi,
    ShopDayKpi,
)
from kefu.core import clock
from kefu.core.errors import NotFound
from kefu.core.models import Shop
from kefu.policy.models import PolicyVersion
from kefu.policy.selectors import PolicyInForce, policy_in_force

log = logging.getLogger(__name__)

FAST_ROUND_SECONDS = 180
"""The dashboard's 3-minute rate: rounds (not left messages) answered within this many seconds."""
POLICY_RECOMPUTE_DAYS = 92
"""A new policy version recomputes at most the last this many days of its period."""
RUN_GAP_DAYS = 7
"""Requested days further apart than this are read and computed separately."""

SNAPSHOT_COLUMNS = (
    "consulted",
    "served",
    "inquiries",
    "rounds",
    "answered_rounds",
    "left_rounds",
    "slow_rounds",
    "unanswered_buyers",
    "first_response_total_s",
    "first_response_count",
    "response_total_s",
    "response_count",
)
CONVERSION_COLUMNS = ("ordered_same_day", "ordered_final", "paid_final")
HOUR_COLUMNS = (
    "consulted",
    "served",
    "rounds",
    "answered_rounds",
    "slow_rounds",
    "response_total_s",
    "response_count",
)


def _runs(days: list[dt.date]) -> list[list[dt.date]]:
    runs: list[list[dt.date]] = []
    for day in sorted(days):
        if runs and (day - runs[-1][-1]).days <= RUN_GAP_DAYS:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def _local(shop: Shop, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=shop.tzinfo)


def _compute(shop: Shop, days: list[dt.date], settings: KpiSettings, as_of: dt.datetime) -> DayKpis:
    n, b = settings.inquiry_window_days, settings.payment_buffer_days
    first, last = days[0], days[-1]
    messages = selectors.message_frame(
        shop=shop,
        start=_local(shop, first - dt.timedelta(days=max(n, 1) + 1)),
        end=_local(shop, last + dt.timedelta(days=3)),
    )
    orders = selectors.order_frame(
        shop=shop,
        start=_local(shop, first - dt.timedelta(days=settings.after_sales_window_days + b + 2)),
        end=_local(shop, last + dt.timedelta(days=n + b + 2)),
    )
    return compute_day_kpis(messages, orders, settings=settings, as_of=as_of)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _records(frame: pl.DataFrame, drop: Iterable[str]) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Rows keyed by (date, agent_id) (agent_id None for shop frames), without `drop`."""
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    has_agent = "agent_id" in frame.columns
    for row in frame.iter_rows(named=True):
        key = (row["date"], row["agent_id"] if has_agent else None)
        out[key] = {k: _jsonable(v) for k, v in row.items() if k not in drop}
    return out


def _fast_rounds(kpis: DayKpis, days: set[dt.date]) -> pl.DataFrame:
    """Per (date, agent_id) and per date (agent_id null): rounds answered within 3 minutes."""
    fast = kpis.rounds.filter(
        ~pl.col("left"),
        pl.col("answered"),
        pl.col("wait_s") <= FAST_ROUND_SECONDS,
        pl.col("date").is_in(list(days)),
    )
    per_agent = fast.group_by("date", "agent_id").agg(pl.len().alias("fast_rounds"))
    per_shop = fast.group_by("date").agg(
        pl.lit(None, pl.Int64).alias("agent_id"), pl.len().alias("fast_rounds")
    )
    return pl.concat([per_agent, per_shop.select(per_agent.columns)])


def _snapshot_rows(
    shop: Shop, kpis: DayKpis, days: set[dt.date], version: PolicyVersion, now: dt.datetime
) -> tuple[list[ShopDayKpi], list[AgentDayKpi], list[HourKpi]]:
    def keep(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.filter(pl.col("shop_id") == shop.pk, pl.col("date").is_in(list(days)))

    key_cols = ("shop_id", "date", "agent_id")
    service = {
        "shop": _records(keep(kpis.shop_day), key_cols),
        "agent": _records(keep(kpis.agent_day), key_cols),
    }
    conversion = {
        "shop": _records(keep(kpis.shop_conversion), key_cols),
        "agent": _records(keep(kpis.conversion), key_cols),
    }
    sales = {
        "shop": _records(keep(kpis.shop_sales), key_cols),
        "agent": _records(keep(kpis.sales), key_cols),
    }
    split = _records(keep(kpis.sales_split), key_cols)
    scores: dict[dt.date, list[dict[str, Any]]] = {}
    for row in keep(kpis.scores).iter_rows(named=True):
        scores.setdefault(row["date"], []).append(
            {k: _jsonable(v) for k, v in row.items() if k not in key_cols}
        )
    fast = {(d, a): n for d, a, n in _fast_rounds(kpis, days).iter_rows()}

    def figures(level: str, key: tuple[Any, ...]) -> dict[str, Any]:
        svc = service[level].get(key, {})
        conv = conversion[level].get(key, {})
        sold = sales[level].get(key, {})
        amount = sold.get("sales" if level == "agent" else "credited_sales")
        return {
            **{c: int(svc.get(c) or 0) for c in SNAPSHOT_COLUMNS},
            **{
                c: conv.get(c) if conv.get(f"{c}_status") == "final" else None
                for c in CONVERSION_COLUMNS
            },
            "fast_rounds": fast.get(key, 0),
            "sales": Decimal(amount) if amount is not None else Decimal("0.00"),
            "orders": int(sold.get("orders" if level == "agent" else "credited_orders") or 0),
            "sales_pending": sold.get("status") == "pending",
        }

    common = {"shop": shop, "policy_version": version, "computed_at": now}
    shop_rows = []
    for day in sorted({k[0] for k in (*service["shop"], *sales["shop"])}):
        key = (day, None)
        data = {
            "service": service["shop"].get(key, {}),
            "conversion": conversion["shop"].get(key, {}),
            "sales": sales["shop"].get(key, {}),
            "scores": scores.get(day, []),
        }
        shop_rows.append(ShopDayKpi(local_date=day, data=data, **figures("shop", key), **common))
    agent_rows = []
    for key in sorted(
        {*service["agent"], *sales["agent"], *split}, key=lambda k: (k[0], k[1] or 0)
    ):
        data = {
            "service": service["agent"].get(key, {}),
            "conversion": conversion["agent"].get(key, {}),
            "sales": sales["agent"].get(key, {}),
            "split": split.get(key, {}),
        }
        agent_rows.append(
            AgentDayKpi(
                local_date=key[0], agent_id=key[1], data=data, **figures("agent", key), **common
            )
        )
    hours = [
        HourKpi(
            shop=shop,
            local_date=row["date"],
            hour=row["hour"],
            agent_id=None,
            **{c: int(row[c] or 0) for c in HOUR_COLUMNS},
        )
        for row in keep(kpis.shop_hour).iter_rows(named=True)
        if row["rounds"]
    ]
    hours += [
        HourKpi(
            shop=shop,
            local_date=row["date"],
            hour=row["hour"],
            agent_id=row["agent_id"],
            **{c: int(row[c] or 0) for c in HOUR_COLUMNS},
        )
        for row in keep(kpis.agent_hour).iter_rows(named=True)
    ]
    return shop_rows, agent_rows, hours


def _versions(shop: Shop, days: list[dt.date]) -> list[tuple[PolicyInForce, list[dt.date]]]:
    """Days grouped by the policy version in force on each (days before any: skipped)."""
    versions = list(
        PolicyVersion.objects.filter(shop=shop)
        .order_by("effective_from", "number")
        .values_list("pk", "effective_from")
    )
    groups: dict[int, list[dt.date]] = {}
    for day in sorted(set(days)):
        in_force = [pk for pk, since in versions if since <= day]
        if not in_force:
            log.info("shop %s has no policy in force on %s: no KPIs", shop.pk, day)
            continue
        groups.setdefault(in_force[-1], []).append(day)
    return [(policy_in_force(shop=shop, on=group[0]), group) for group in groups.values()]


def kpi_days_compute(*, shop: Shop, days: Iterable[dt.date]) -> int:
    """Recompute the snapshots (and facts) of exactly these local days. Returns the number of
    days stored. Days with no data keep no rows; days before the first policy are skipped."""
    now = clock.now()
    stored = 0
    for in_force, group in _versions(shop, list(days)):
        settings = kpi_settings(in_force.policy)
        for run in _runs(group):
            kpis = _compute(shop, run, settings, now)
            wanted = set(run)
            shop_rows, agent_rows, hours = _snapshot_rows(shop, kpis, wanted, in_force.version, now)
            with transaction.atomic():
                # One writer per shop at a time (the job and a CLI import may overlap).
                Shop.objects.select_for_update().filter(pk=shop.pk).exists()
                for model in (ShopDayKpi, AgentDayKpi, HourKpi):
                    model.objects.filter(shop=shop, local_date__in=run).delete()
                ShopDayKpi.objects.bulk_create(shop_rows, batch_size=1000)
                AgentDayKpi.objects.bulk_create(agent_rows, batch_size=1000)
                HourKpi.objects.bulk_create(hours, batch_size=1000)
                facts_record(
                    shop=shop,
                    facts=kpis.facts.filter(
                        pl.col("shop_id") == shop.pk, pl.col("date").is_in(list(wanted))
                    ),
                )
                DirtyDay.objects.filter(shop=shop, day__in=run).delete()
            stored += len(run)
    return stored


def dirty_days_mark(*, shop: Shop, days: Iterable[dt.date], reason: str) -> int:
    """Mark local days for a recompute (a day already marked keeps its first reason)."""
    marked = [DirtyDay(shop=shop, day=day, reason=reason[:200]) for day in set(days)]
    DirtyDay.objects.bulk_create(marked, ignore_conflicts=True)
    return len(marked)


DAYS_PER_PASS = 100


def _placed_or_paid(day: dt.date, tz: dt.tzinfo) -> Count:
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return Count(
        "id",
        filter=Q(created_at__gte=start, created_at__lt=end)
        | Q(paid_at__gte=start, paid_at__lt=end),
    )


def order_days_mark(*, batch_id: int) -> int:
    """Mark the local days on which the orders an import wrote (new or changed: those carry
    its batch) were placed or paid, where the shop has conversations: the days whose
    conversion and sales can change. A re-import that changed nothing marks nothing."""
    from kefu.orders.models import ImportBatch as OrderImportBatch
    from kefu.orders.models import Order

    batch = OrderImportBatch.objects.select_related("shop").filter(pk=batch_id).first()
    if batch is None:
        return 0
    shop = batch.shop
    orders = Order.objects.filter(shop=shop, batch=batch).order_by()
    span = orders.aggregate(
        c0=Min("created_at"), c1=Max("created_at"), p0=Min("paid_at"), p1=Max("paid_at")
    )
    moments = [moment for moment in span.values() if moment is not None]
    if not moments:
        return 0
    tz = shop.tzinfo
    chat_days = list(
        Conversation.objects.filter(
            shop=shop,
            day__gte=min(moments).astimezone(tz).date(),
            day__lte=max(moments).astimezone(tz).date(),
        )
        .order_by("day")
        .values_list("day", flat=True)
        .distinct()
    )
    # Each day with chats is tested by a conditional count over the batch's orders: plain
    # comparisons of stored instants against the day's bounds in the shop's zone, in one pass
    # per block of days (a per-row zone conversion is a Python call per row on SQLite).
    with_orders: list[dt.date] = []
    for block in range(0, len(chat_days), DAYS_PER_PASS):
        days = chat_days[block : block + DAYS_PER_PASS]
        counts = orders.aggregate(
            **{f"d{i}": _placed_or_paid(day, tz) for i, day in enumerate(days)}
        )
        with_orders += [day for i, day in enumerate(days) if counts[f"d{i}"]]
    return dirty_days_mark(shop=shop, days=with_orders, reason=f"订单导入 {batch.file_name}")


def dirty_days_compute(*, shop: Shop | None = None) -> int:
    """Recompute every dirty day (of one shop, or of all). Returns the days recomputed."""
    shops = (
        [shop]
        if shop is not None
        else list(Shop.objects.filter(pk__in=DirtyDay.objects.values("shop")))
    )
    total = 0
    for one in {s.pk: s for s in shops}.values():
        days = list(DirtyDay.objects.filter(shop=one).values_list("day", flat=True))
        if days:
            total += kpi_days_compute(shop=one, days=days)
            # Days skipped (no policy in force) would stay dirty for ever: drop them too.
            DirtyDay.objects.filter(shop=one, day__in=days).delete()
    return total


def recent_days_compute(*, shop: Shop, today: dt.date | None = None) -> int:
    """Recompute the days whose figures may still change (pending conversion and sales: the
    inquiry window plus the payment buffer) and that hold conversations. Nightly job."""
    today = today or clock.shop_today(tz=shop.timezone)
    try:
        settings = kpi_settings(policy_in_force(shop=shop, on=today).policy)
        span = settings.inquiry_window_days + settings.payment_buffer_days + 1
    except NotFound:
        return 0
    start = today - dt.timedelta(days=span)
    days = (
        Conversation.objects.filter(shop=shop, day__gte=start, day__lte=today)
        .order_by()
        .values_list("day", flat=True)
        .distinct()
    )
    return kpi_days_compute(shop=shop, days=list(days))


def policy_days_mark(*, version: PolicyVersion, today: dt.date | None = None) -> int:
    """A version was adopted: mark its period's days that hold conversations, from its effective
    date to the day before the next version (or today), at most the last
    POLICY_RECOMPUTE_DAYS days of it."""
    shop = version.shop
    today = today or clock.shop_today(tz=shop.timezone)
    later = (
        PolicyVersion.objects.filter(shop=shop, effective_from__gt=version.effective_from)
        .order_by("effective_from")
        .values_list("effective_from", flat=True)
        .first()
    )
    end = min(today, later - dt.timedelta(days=1)) if later else today
    start = max(version.effective_from, end - dt.timedelta(days=POLICY_RECOMPUTE_DAYS - 1))
    days = (
        Conversation.objects.filter(shop=shop, day__gte=start, day__lte=end)
        .order_by()
        .values_list("day", flat=True)
        .distinct()
    )
    return dirty_days_mark(shop=shop, days=days, reason=f"制度第{version.number}版生效")
