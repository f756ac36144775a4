"""The natural month 自然月 that escalations count in, and the counting periods of a rule."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from kefu.policy.schema.base import Period


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month in the shop's time zone, e.g. `Month(2026, 3)` is March 2026."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1-12, got {self.month}")

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> Month:
        """ "2026-03" → Month(2026, 3)."""
        year, _, month = text.partition("-")
        return cls(int(year), int(month))

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def contains(self, day: dt.date) -> bool:
        return (day.year, day.month) == (self.year, self.month)

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"


PeriodKey = tuple[int, ...]


def period_key(period: Period, day: dt.date) -> PeriodKey:
    """Occurrences with the same key are counted together. Weeks are ISO weeks (Monday first),
    so a week that straddles two months is still one week."""
    if period == "day":
        return (day.year, day.month, day.day)
    if period == "week":
        iso = day.isocalendar()
        return (iso.year, iso.week)
    return (day.year, day.month)


PERIOD_WORD = {"day": "当天", "week": "本周", "month": "本月"}
"""How an explanation names the counting period."""
