"""Grouping the horizon's days into weeks, months and weekends (indexes into `days`)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence


def week_blocks(days: Sequence[dt.date]) -> list[list[int]]:
    """Day indexes per Monday-Sunday week, in order; the first and last may be cut short."""
    blocks: dict[tuple[int, int], list[int]] = {}
    for d, day in enumerate(days):
        year, week, _ = day.isocalendar()
        blocks.setdefault((year, week), []).append(d)
    return list(blocks.values())


def month_blocks(days: Sequence[dt.date]) -> list[tuple[list[int], int]]:
    """(day indexes, days in that calendar month) per month touched by the horizon."""
    blocks: dict[tuple[int, int], list[int]] = {}
    for d, day in enumerate(days):
        blocks.setdefault((day.year, day.month), []).append(d)
    return [(idx, calendar.monthrange(y, m)[1]) for (y, m), idx in blocks.items()]


def weekend_pairs(days: Sequence[dt.date]) -> list[list[int]]:
    """Saturday and Sunday of each week, as day indexes (one day if the horizon cuts it)."""
    pairs: dict[tuple[int, int], list[int]] = {}
    for d, day in enumerate(days):
        if day.weekday() >= 5:
            year, week, _ = day.isocalendar()
            pairs.setdefault((year, week), []).append(d)
    return list(pairs.values())


def change_blocks(days: Sequence[dt.date], change_weekdays: frozenset[int]) -> list[list[int]]:
    """Runs of days between change days (a change day starts a new run): within one run an
    agent keeps one shift under a rotation cycle."""
    blocks: list[list[int]] = []
    for d, day in enumerate(days):
        if not blocks or day.weekday() in change_weekdays:
            blocks.append([])
        blocks[-1].append(d)
    return blocks
