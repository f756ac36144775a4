"""When a phone call may be made: the policy's local call windows (S4.4: around 10:00, after
16:00). Pure: no Django."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo


def _clock(text: str) -> dt.time:
    hours, minutes = text.split(":")
    if int(hours) == 24:
        return dt.time(23, 59, 59)
    return dt.time(int(hours), int(minutes))


def next_call_time(
    *, after: dt.datetime, windows: Sequence[tuple[str, str]], tz: str
) -> dt.datetime:
    """The first moment at or after `after` (aware) that lies inside a call window, in the
    shop's zone `tz`: `after` itself when it is inside one, else the next window's start.
    No windows: any time will do, so `after`."""
    if timezone_naive(after):
        raise ValueError("after must be time-zone aware")
    if not windows:
        return after
    zone = ZoneInfo(tz)
    local = after.astimezone(zone)
    spans = sorted((_clock(a), _clock(b)) for a, b in windows)
    for offset in range(0, 8):
        day = local.date() + dt.timedelta(days=offset)
        for start, end in spans:
            begin = dt.datetime.combine(day, start, tzinfo=zone)
            finish = dt.datetime.combine(day, end, tzinfo=zone)
            if local < begin:
                return begin
            if begin <= local < finish:
                return local
    return after  # unreachable with at least one window


def in_call_window(*, at: dt.datetime, windows: Sequence[tuple[str, str]], tz: str) -> bool:
    return next_call_time(after=at, windows=windows, tz=tz) == at.astimezone(ZoneInfo(tz))


def timezone_naive(value: dt.datetime) -> bool:
    return value.tzinfo is None or value.tzinfo.utcoffset(value) is None
