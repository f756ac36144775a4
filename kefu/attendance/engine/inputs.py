"""What the classifier reads: scheduled shifts, punches, approved leave and swap days, as plain
dataclasses. Pure: no Django. Every datetime is time-zone aware."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Direction = Literal["in", "out", ""]
"""A punch's direction when the source knows it (web buttons, 上班/下班 columns); "" otherwise."""


def _require_aware(value: dt.datetime, what: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be time-zone aware")


@dataclass(frozen=True)
class Shift:
    """One agent's scheduled shift. A night shift crossing midnight ends on the next day but
    belongs to `local_date`, the day it starts."""

    agent_id: str
    local_date: dt.date
    shift_key: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    label: str = ""
    night: bool = False
    parts: tuple[tuple[dt.datetime, dt.datetime], ...] = ()
    """The working parts [start, end) when the shift is split (S4.4's night 10:00-14:00 +
    17:30-23:00); empty or one part: the shift is one stretch from start to end."""

    def __post_init__(self) -> None:
        _require_aware(self.starts_at, f"shift {self.agent_id} {self.local_date}.starts_at")
        _require_aware(self.ends_at, f"shift {self.agent_id} {self.local_date}.ends_at")
        if self.ends_at < self.starts_at:
            raise ValueError(f"shift {self.agent_id} {self.local_date} ends before it starts")
        if self.parts and (self.parts[0][0] != self.starts_at or self.parts[-1][1] != self.ends_at):
            raise ValueError(f"shift {self.agent_id} {self.local_date}: parts must span the shift")

    @property
    def stretches(self) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
        """The parts, or the whole shift as its one part."""
        return self.parts or ((self.starts_at, self.ends_at),)

    @property
    def ref(self) -> str:
        return f"{self.agent_id}:{self.local_date.isoformat()}:{self.shift_key}"


@dataclass(frozen=True)
class Punch:
    id: str
    agent_id: str
    at: dt.datetime
    direction: Direction = ""

    def __post_init__(self) -> None:
        _require_aware(self.at, f"punch {self.id}.at")


@dataclass(frozen=True)
class Absence:
    """Approved requests of one agent: leave days 请假 (and days covered by another agent),
    when no punch is expected; swap days 调班, only counted."""

    leave: frozenset[dt.date] = frozenset()
    swap: frozenset[dt.date] = frozenset()
    over_allowance: frozenset[dt.date] = field(default_factory=frozenset)
    """Leave days beyond the month's swap allowance, which count as absence (S3)."""
