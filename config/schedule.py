"""Every periodic job of the project, in one place.

Each entry is a thin `@db_periodic_task` that calls one service; the work lives in the apps.
djhuey registers this module through kefu/core/tasks.py. Capabilities add their jobs here (for
example the 16:00 unpaid-order reminder).

Times: Huey runs with utc=True, so a bare `crontab(hour=16)` would fire at 16:00 UTC (midnight
in Shanghai). `local_crontab` reads the schedule in a named zone instead. Jobs that depend on a
shop's own policy time (each shop may set its reminder hour and zone) should instead run every
few minutes and let the service pick the shops whose time has come.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from kefu.core import clock
from kefu.core.models import Shop
from kefu.notify import services as notify_services
from kefu.orders import reminders as order_reminders
from kefu.reviews import escalation as review_escalation
from kefu.staff import services as staff_services
from kefu.worklog import facts as worklog_facts

# Read notices are kept this long after they were created, then purged: long enough to look
# back over a quarter's notices at review time, short enough that the table stays small.
# Unread notices are never purged.
READ_NOTICE_RETENTION = dt.timedelta(days=90)

# A robot delivery still pending this long after it was last touched lost its queue message
# (the queue was down when the notice was committed): queue it again.
DELIVERY_STALE_AFTER = dt.timedelta(minutes=10)

# The heartbeat name the dashboard reads (kefu.notify.selectors.worker_alive).
HEARTBEAT_NAME = "huey"


def local_crontab(
    *,
    minute: str = "*",
    hour: str = "*",
    day: str = "*",
    month: str = "*",
    day_of_week: str = "*",
    tz: str | None = None,
) -> Callable[[dt.datetime], bool]:
    """A crontab read in zone `tz` (default settings.TIME_ZONE) whatever Huey's clock is.

    Huey hands the validator a naive datetime: UTC when huey.utc is set, else the server's
    local time; convert it to the zone before matching."""
    matches = crontab(
        minute=minute, hour=hour, day=day, month=month, day_of_week=day_of_week, strict=True
    )
    zone = zoneinfo.ZoneInfo(tz or settings.TIME_ZONE)

    def validate(timestamp: dt.datetime) -> bool:
        aware = timestamp.replace(tzinfo=dt.UTC) if HUEY.utc else timestamp.astimezone()
        return bool(matches(aware.astimezone(zone).replace(tzinfo=None)))

    return validate


@db_periodic_task(local_crontab(minute="30", hour="3"))
def notices_purge() -> None:
    """Daily at 03:30 in settings.TIME_ZONE (quiet hours): delete read notices older than
    READ_NOTICE_RETENTION."""
    notify_services.notices_purge(created_before=clock.now() - READ_NOTICE_RETENTION)


@db_periodic_task(crontab(minute="*/5"))
def deliveries_requeue() -> None:
    """Every 5 minutes: queue again robot deliveries whose queue message was lost."""
    notify_services.deliveries_requeue(stale_before=clock.now() - DELIVERY_STALE_AFTER)


@db_periodic_task(crontab())
def worker_heartbeat() -> None:
    """Every minute: record that the consumer's scheduler and a worker are both running, so the
    dashboard can say whether jobs run (kefu.notify.selectors.worker_alive)."""
    notify_services.heartbeat_record(name=HEARTBEAT_NAME)


@db_periodic_task(local_crontab(minute="0", hour="9"))
def promotion_reviews() -> None:
    """Daily at 09:00: tell each shop's supervisors whose tenure now allows a higher level."""
    for shop in Shop.objects.all():
        staff_services.promotion_reviews_send(shop=shop, on=clock.shop_today(tz=shop.timezone))


@db_periodic_task(crontab(minute="*/5"))
def unpaid_reminders() -> None:
    """Every 5 minutes: each shop whose unpaid-reminder time (policy orders.unpaid_reminder.at,
    in the shop's zone; S4.4: 16:00) has passed today gets the day's list once; the outcomes of
    listed orders are read from the orders as last imported."""
    order_reminders.reminder_batches_create_due(now=clock.now())
    order_reminders.reminder_outcomes_refresh_all()


@db_periodic_task(crontab(minute="*/5"))
def aftersales_overdue() -> None:
    """Every 5 minutes: an open after-sales case past its first-action or resolve deadline (from
    the policy's case path) is noticed to its agent and the supervisors, once per deadline."""
    from kefu.aftersales.overdue import cases_overdue_notify_all

    cases_overdue_notify_all(now=clock.now())


@db_periodic_task(local_crontab(minute="5", hour="9-22"))
def low_stock_alerts() -> None:
    """Hourly at :05 from 09:05 to 22:05: tell the agents on duty about listed items below the
    policy's low-stock threshold (S4.2: 10 pieces); each product once until restocked."""
    from kefu.knowledge.stock import low_stock_check_all

    low_stock_check_all(at=clock.now())


@db_periodic_task(crontab(minute="*/15"))
def review_phone_escalation() -> None:
    """Every 15 minutes: a mid/negative review whose buyer has not answered the message and SMS
    within the policy's hours (reviews.escalate_to_phone_after_hours; S4.3/S4.4: 48) becomes a
    phone task due inside the policy's call windows (S4.4: around 10:00, after 16:00)."""
    review_escalation.reviews_escalate_all(now=clock.now())


@db_periodic_task(crontab(minute="*/5"))
def kpi_dirty_days() -> None:
    """Every 5 minutes: recompute the KPI snapshots and facts of the days marked dirty (new
    messages imported, a nickname bound, a policy version adopted)."""
    from kefu.conversations.kpi_services import dirty_days_compute

    dirty_days_compute()


@db_periodic_task(local_crontab(minute="40", hour="4"))
def kpi_recent_days() -> None:
    """Daily at 04:40: recompute each shop's days whose conversion and sales may still change
    (the inquiry window plus the payment buffer; orders imported since count then)."""
    from kefu.conversations.kpi_services import recent_days_compute

    for shop in Shop.objects.all():
        recent_days_compute(shop=shop)


@db_periodic_task(local_crontab(minute="15", hour="6"))
def buyers_daily() -> None:
    """Daily at 06:15: buyer groups recomputed, today's return visits scheduled and assigned,
    visits past their grace marked missed (kefu.buyers.jobs)."""
    from kefu.buyers.jobs import buyers_daily as run

    for shop in Shop.objects.all():
        run(shop=shop)


@db_periodic_task(local_crontab(minute="30", hour="6"))
def attendance_and_worklog_facts() -> None:
    """Daily at 06:30 (after the latest night shift's punch window has closed): yesterday's
    attendance facts (lateness, absence, absenteeism; full attendance on the 1st), missing or
    unacknowledged handovers, and summaries and daily records past their due time."""
    for shop in Shop.objects.all():
        worklog_facts.day_close(shop=shop, on=clock.shop_today(tz=shop.timezone))
