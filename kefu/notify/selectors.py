"""Reads of the notify app. Notices are always scoped by shop AND recipient."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from kefu.core import clock
from kefu.core.models import Shop
from kefu.notify.models import Notice, RobotChannel, WorkerHeartbeat

# The heartbeat task runs every minute (config/schedule.py) and the consumer checks its periodic
# schedule once a minute, so a beat can legitimately be ~2 minutes old; 3 minutes without one
# means the worker is down (or stuck).
HEARTBEAT_STALE_AFTER = dt.timedelta(minutes=3)


def notices_for(
    *, shop: Shop, user: AbstractBaseUser | AnonymousUser, unread_only: bool = False
) -> QuerySet[Notice]:
    """This user's notices in this shop, newest first."""
    if not user.is_authenticated:
        return Notice.objects.none()
    notices = Notice.objects.filter(shop=shop, recipient_id=user.pk)
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    return notices.order_by("-created_at", "-id")


def unread_count(*, shop: Shop, user: AbstractBaseUser | AnonymousUser) -> int:
    return notices_for(shop=shop, user=user, unread_only=True).count()


def channels_of(*, shop: Shop) -> QuerySet[RobotChannel]:
    return RobotChannel.objects.filter(shop=shop).order_by("name", "id")


def worker_last_beat(*, name: str = "huey") -> dt.datetime | None:
    """When the job worker last proved it was running, or None if it never did."""
    return WorkerHeartbeat.objects.filter(name=name).values_list("beat_at", flat=True).first()


def worker_alive(*, name: str = "huey", now: dt.datetime | None = None) -> bool:
    """Whether jobs run: the worker's last heartbeat is recent (see HEARTBEAT_STALE_AFTER)."""
    last = worker_last_beat(name=name)
    return last is not None and (now or clock.now()) - last <= HEARTBEAT_STALE_AFTER
