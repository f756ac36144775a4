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
from kefu.staff import services as staff_services

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
