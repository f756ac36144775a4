"""When a weekly summary or the week's daily records are due, and how a summary's length is
counted. Pure: no Django.

- A week runs Monday to Sunday; its summary is due on the policy's weekday and time in that
  week (S4.1: Saturday 17:00), and covers that week.
- The daily records handed in at a due time (S4.4: Friday 11:00) are those of the seven days
  before the due day.
- A summary's length is its characters without whitespace (a Chinese character is one)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from kefu.policy.schema.attendance import Due
from kefu.policy.schema.base import WEEKDAYS, clock_minutes


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def due_in_week(week_start: dt.date, due: Due, tz: ZoneInfo) -> dt.datetime:
    """The due instant of the week starting on Monday `week_start`."""
    day = week_start + dt.timedelta(days=WEEKDAYS.index(due.weekday))
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=tz)
    naive = midnight.replace(tzinfo=None) + dt.timedelta(minutes=clock_minutes(due.time))
    return naive.replace(tzinfo=tz)


def latest_due(as_of: dt.datetime, due: Due, tz: ZoneInfo) -> tuple[dt.date, dt.datetime]:
    """The week (its Monday) whose due time is the latest at or before `as_of`, and that time."""
    week = monday_of(as_of.astimezone(tz).date())
    at = due_in_week(week, due, tz)
    if at > as_of:
        week -= dt.timedelta(days=7)
        at = due_in_week(week, due, tz)
    return week, at


def record_days(due_at: dt.datetime, tz: ZoneInfo) -> list[dt.date]:
    """The days whose daily records are handed in at `due_at`: the seven days before it."""
    day = due_at.astimezone(tz).date()
    return [day - dt.timedelta(days=n) for n in range(7, 0, -1)]


def summary_chars(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())
