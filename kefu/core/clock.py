"""Time is zone-aware: stored in UTC, shown and reasoned about in the shop's zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def shop_now(*, tz: str) -> dt.datetime:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(tz))


def shop_today(*, tz: str) -> dt.date:
    return shop_now(tz=tz).date()
