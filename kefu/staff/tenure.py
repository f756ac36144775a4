"""Level eligibility by tenure (S4.5: intermediate after 3 months, senior after 1 year, veteran
after 2 years). Pure: the ladder comes from the policy as plain data."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class LevelStep:
    key: str
    label: str
    min_tenure_months: int


@dataclass(frozen=True)
class Eligibility:
    tenure_months: int
    current: LevelStep | None
    eligible: LevelStep  # the highest level the tenure allows
    promotion_due: bool  # eligible for a level above the current one
    next_level: LevelStep | None  # the level after `eligible`
    next_on: dt.date | None  # when the tenure reaches `next_level`


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def whole_months_between(start: dt.date, end: dt.date) -> int:
    """Completed months from start to end (0 if end is before start)."""
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    return months if add_months(start, months) <= end else months - 1


def level_eligibility(
    *, hire_date: dt.date, current_level: str, ladder: list[LevelStep], on: dt.date
) -> Eligibility:
    if not ladder:
        raise ValueError("the level ladder is empty")
    steps = sorted(ladder, key=lambda s: s.min_tenure_months)
    tenure = whole_months_between(hire_date, on)
    reached = [s for s in steps if s.min_tenure_months <= tenure] or [steps[0]]
    eligible = reached[-1]
    current = next((s for s in steps if s.key == current_level), None)
    later = [s for s in steps if s.min_tenure_months > eligible.min_tenure_months]
    next_level = later[0] if later else None
    return Eligibility(
        tenure_months=tenure,
        current=current,
        eligible=eligible,
        promotion_due=current is None or eligible.min_tenure_months > current.min_tenure_months,
        next_level=next_level,
        next_on=add_months(hire_date, next_level.min_tenure_months) if next_level else None,
    )
