"""A month's attendance as the awards (S4.3 全勤奖) and pay (S1 满勤奖) judge it: the attendance
app's verdict (its `full_attendance` fact) where it judged the month, else the month's
attendance facts against `attendance.full_attendance.requires`. Pure: no Django."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kefu.performance.engine import Fact, Month
from kefu.policy.describe_text import FULL_ATTENDANCE
from kefu.policy.schema import Policy

FULL_ATTENDANCE_FACT = "full_attendance"
"""Recorded by the attendance app for a month it judged full (docs/attendance.md)."""

_ATTENDANCE_FACTS = {
    "late": "late",
    "early_leave": "early_leave",
    "absence": "absence",
    "absenteeism": "absenteeism",
}


@dataclass(frozen=True)
class AttendanceRecord:
    """A month's attendance counts, judged against `attendance.full_attendance`."""

    late: int = 0
    early_leave: int = 0
    absence: int = 0
    absenteeism: int = 0
    leave: int = 0
    """Days of approved leave 请假."""
    fact_ids: tuple[str, ...] = ()
    judged: bool | None = None
    """The attendance app's verdict on the month, from the punches: True when it recorded the
    fact `full_attendance`, False when the agent punched in the month but it recorded no such
    fact; None when no attendance was recorded (then the counts above decide)."""

    @classmethod
    def from_facts(
        cls,
        facts: Sequence[Fact],
        *,
        agent_id: str,
        month: Month,
        leave: int = 0,
        punched: bool = False,
    ) -> AttendanceRecord:
        """Counts from the month's attendance facts (`late_or_early` counts as a lateness).
        An excused lateness (S1 grace) still counts: full attendance means no lateness.
        `punched`: the agent has punches in the month, so the attendance app judges it."""
        counts = dict.fromkeys(_ATTENDANCE_FACTS.values(), 0)
        ids: list[str] = []
        full: list[str] = []
        for fact in facts:
            if fact.agent_id != agent_id or not month.contains(fact.local_date):
                continue
            if fact.fact == FULL_ATTENDANCE_FACT:
                full.append(fact.id)
                continue
            key = "late" if fact.fact == "late_or_early" else _ATTENDANCE_FACTS.get(fact.fact)
            if key is not None:
                counts[key] += fact.quantity
                ids.append(fact.id)
        if full:
            return cls(leave=leave, fact_ids=tuple(full), judged=True, **counts)
        judged = False if punched else None
        return cls(leave=leave, fact_ids=tuple(ids), judged=judged, **counts)

    def breaches(self, requires: Sequence[str]) -> list[str]:
        """The conditions of `requires` this month breaks (no_late, no_leave ...)."""
        have = {
            "no_late": self.late,
            "no_early_leave": self.early_leave,
            "no_absence": self.absence,
            "no_absenteeism": self.absenteeism,
            "no_leave": self.leave,
        }
        return [condition for condition in requires if have[condition] > 0]


def full_attendance_met(policy: Policy, record: AttendanceRecord) -> bool:
    """The attendance app's verdict where it judged the month, else the month's facts against
    `attendance.full_attendance.requires`."""
    if record.judged is not None:
        return record.judged
    return not record.breaches(policy.attendance.full_attendance.requires)


def full_attendance_basis(policy: Policy, record: AttendanceRecord) -> str:
    """Why the month counts as full attendance, for the explanation."""
    if record.judged:
        return "考勤记录判定全勤"
    requires = policy.attendance.full_attendance.requires
    return f"无考勤打卡记录，按事实判定：无{'、'.join(FULL_ATTENDANCE[c] for c in requires)}"
