"""config/schedule.py: the periodic jobs are registered, fire at local times and do their work."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from huey.contrib.djhuey import HUEY

import kefu.core.tasks  # noqa: F401  (what djhuey's autodiscovery imports)
from config import schedule
from kefu.notify import selectors, services
from kefu.notify.models import Delivery, Notice, RobotChannel, WorkerHeartbeat
from kefu.notify.tests.makers import member_make, shop_make


def test_periodic_jobs_are_registered_with_huey() -> None:
    periodic = {task.name for task in HUEY._registry.periodic_tasks}

    assert {"notices_purge", "deliveries_requeue", "worker_heartbeat"} <= periodic


def test_the_purge_fires_at_0330_shanghai_time_under_huey_utc_clock() -> None:
    assert HUEY.utc  # the settings' choice this schedule is written for

    def due(utc_naive: dt.datetime) -> set[str]:
        # What the consumer's scheduler enqueues at that minute (it passes naive UTC).
        return {task.name for task in HUEY.read_periodic(utc_naive)} & {
            "notices_purge",
            "deliveries_requeue",
            "worker_heartbeat",
        }

    # 03:30 in Shanghai is 19:30 UTC the day before.
    assert due(dt.datetime(2026, 3, 1, 19, 30)) == {
        "notices_purge",
        "deliveries_requeue",
        "worker_heartbeat",
    }
    assert due(dt.datetime(2026, 3, 1, 3, 30)) == {"deliveries_requeue", "worker_heartbeat"}
    assert due(dt.datetime(2026, 3, 1, 19, 31)) == {"worker_heartbeat"}


def test_local_crontab_in_another_zone() -> None:
    at_four_pm_tokyo = schedule.local_crontab(minute="0", hour="16", tz="Asia/Tokyo")

    assert at_four_pm_tokyo(dt.datetime(2026, 3, 1, 7, 0))
    assert not at_four_pm_tokyo(dt.datetime(2026, 3, 1, 16, 0))


@pytest.mark.django_db
def test_notices_purge_job_uses_the_90_day_retention() -> None:
    shop = shop_make()
    user = member_make(shop=shop)
    now = timezone.now()
    for title, age in (("91 天前", 91), ("89 天前", 89)):
        [notice] = services.notice_send(shop=shop, recipients=[user], kind="info", title=title)
        Notice.objects.filter(pk=notice.pk).update(
            created_at=now - dt.timedelta(days=age), read_at=now - dt.timedelta(days=age)
        )

    schedule.notices_purge.call_local()

    assert schedule.READ_NOTICE_RETENTION.days == 90
    assert list(Notice.objects.values_list("title", flat=True)) == ["89 天前"]


@pytest.mark.django_db
def test_heartbeat_job_makes_the_worker_alive() -> None:
    assert selectors.worker_alive() is False
    assert selectors.worker_last_beat() is None

    schedule.worker_heartbeat.call_local()

    beat = WorkerHeartbeat.objects.get()
    assert beat.name == "huey"
    assert selectors.worker_last_beat() == beat.beat_at
    assert selectors.worker_alive() is True
    assert selectors.worker_alive(now=beat.beat_at + dt.timedelta(minutes=3)) is True
    assert selectors.worker_alive(now=beat.beat_at + dt.timedelta(minutes=3, seconds=1)) is False

    schedule.worker_heartbeat.call_local()  # a second beat updates the same row

    assert WorkerHeartbeat.objects.count() == 1


@pytest.mark.django_db
def test_requeue_job_resends_deliveries_pending_for_over_10_minutes(
    robot_server, huey_immediate
) -> None:
    shop = shop_make()
    user = member_make(shop=shop)
    RobotChannel.objects.create(
        shop=shop,
        kind="wecom",
        name="群",
        webhook_url=robot_server.url("/cgi-bin/webhook/send?key=k"),
        relay_kinds=["info"],
    )
    now = timezone.now()
    for title, minutes in (("11 分钟", 11), ("9 分钟", 9)):
        # Sent outside an on_commit capture: the queue message is "lost".
        [notice] = services.notice_send(shop=shop, recipients=[user], kind="info", title=title)
        Delivery.objects.filter(notice=notice).update(
            updated_at=now - dt.timedelta(minutes=minutes)
        )

    schedule.deliveries_requeue.call_local()

    assert schedule.DELIVERY_STALE_AFTER.total_seconds() == 600
    assert dict(Delivery.objects.values_list("notice__title", "status")) == {
        "11 分钟": "sent",
        "9 分钟": "pending",
    }
    assert len(robot_server.requests) == 1
