"""Template filters for money, dates and times in Chinese conventions.

    {{ amount|cny }}                  ¥1,234.50
    {{ day|cn_date }}                 2026年11月22日      (English: Nov 22, 2026)
    {{ moment|cn_datetime }}          2026年11月22日 20:05 in the current time zone, which
                                      `shop_view` sets to the shop's zone for shop pages
    {{ moment|cn_datetime:"UTC" }}    the same, in a named zone
    {{ cooloff|minutes }}             15  (a timedelta in whole minutes)

Chinese is the default; under an English locale the dates are written the English way.
Money is Decimal (or int, or a string of digits), never float.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from django import template
from django.utils import timezone, translation

from kefu.core.money import format_cny, money

register = template.Library()

_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _chinese() -> bool:
    return (translation.get_language() or "zh-hans").lower().startswith("zh")


def _date_text(day: dt.date) -> str:
    if _chinese():
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{_EN_MONTHS[day.month - 1]} {day.day}, {day.year}"


def _local(value: dt.datetime, tz: str | None) -> dt.datetime:
    zone: dt.tzinfo = zoneinfo.ZoneInfo(tz) if tz else timezone.get_current_timezone()
    if timezone.is_naive(value):
        # Naive values are taken to be local already (the project stores aware datetimes).
        return value
    return value.astimezone(zone)


@register.filter
def cny(value: Decimal | int | str | None) -> str:
    """¥1,234.50; negative amounts as -¥1,234.50; empty for None."""
    if value is None or value == "":
        return ""
    return format_cny(money(value))


@register.filter
def cn_date(value: dt.date | dt.datetime | None, tz: str | None = None) -> str:
    """2026年11月22日. A datetime is first moved into the current (or the named) time zone."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value, tz).date()
    return _date_text(value)


@register.filter
def cn_month(value: str | dt.date | None) -> str:
    """A month, given as "2026-10" or any date in it: 2026年10月 (English: Oct 2026)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        year, month = (int(part) for part in value.split("-")[:2])
    else:
        year, month = value.year, value.month
    return f"{year}年{month}月" if _chinese() else f"{_EN_MONTHS[month - 1]} {year}"


@register.filter
def cn_datetime(value: dt.datetime | None, tz: str | None = None) -> str:
    """2026年11月22日 20:05 in the current time zone (the shop's on shop pages) or the named one."""
    if value is None or value == "":
        return ""
    local = _local(value, tz)
    return f"{_date_text(local.date())} {local:%H:%M}"


@register.filter
def minutes(value: dt.timedelta | None) -> int:
    """A duration in whole minutes (for 'try again in 15 minutes'); 0 for anything else."""
    if not isinstance(value, dt.timedelta):
        return 0
    return int(value.total_seconds() // 60)
