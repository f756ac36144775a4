"""A month of classified shifts per agent: the counts shown on the month page and full
attendance 全勤, decided once the month is over. Pure: no Django."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from kefu.attendance.engine.inputs import Absence
from kefu.attendance.engine.results import ShiftResult
from kefu.policy.schema.attendance import Attendance


@dataclass(frozen=True)
class AgentMonth:
    """One agent's month: the counts full attendance is judged on, and the decision."""

    agent_id: str
    year: int
    month: int
    shifts: int = 0
    late: int = 0
    late_excused: int = 0
    early_leave: int = 0
    absence: int = 0
    absenteeism: int = 0
    leave_days: int = 0
    swap_days: int = 0
    missing_punches: int = 0
    full_attendance: bool | None = None
    """None while the month is not over."""
    breaches: tuple[str, ...] = ()
    clause: str = ""


def month_last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def month_summary(
    results: Sequence[ShiftResult],
    *,
    agent_id: str,
    year: int,
    month: int,
    absence: Absence,
    rules: Attendance,
    month_over: bool,
) -> AgentMonth:
    """The month's counts for one agent and, once the month is over, full attendance.
    Leave and swap days are counted whether or not a shift was scheduled on them."""
    own = [
        r
        for r in results
        if r.shift.agent_id == agent_id
        and (r.shift.local_date.year, r.shift.local_date.month) == (year, month)
    ]
    counts: dict[str, int] = defaultdict(int)
    for result in own:
        for fact in result.facts:
            counts[fact.key] += 1
            if fact.excused:
                counts["late_excused"] += 1
        if result.status in ("forgotten_sign_in",):
            counts["swap_from_forgotten"] += 1
        if result.status == "missing_punch":
            counts["missing_punches"] += 1

    def in_month(days: frozenset[dt.date]) -> int:
        return sum(1 for d in days if (d.year, d.month) == (year, month))

    leave_days = in_month(absence.leave)
    swap_days = in_month(absence.swap) + counts["swap_from_forgotten"]
    have = {
        "no_late": counts["late"],
        "no_early_leave": counts["early_leave"],
        "no_absence": counts["absence"],
        "no_absenteeism": counts["absenteeism"],
        "no_leave": leave_days,
    }
    pending = any(r.status == "pending" for r in own)
    decided = month_over and not pending and bool(own)
    breaches = tuple(c for c in rules.full_attendance.requires if have[c] > 0)
    return AgentMonth(
        agent_id=agent_id,
        year=year,
        month=month,
        shifts=len(own),
        late=counts["late"],
        late_excused=counts["late_excused"],
        early_leave=counts["early_leave"],
        absence=counts["absence"],
        absenteeism=counts["absenteeism"],
        leave_days=leave_days,
        swap_days=swap_days,
        missing_punches=counts["missing_punches"],
        full_attendance=(not breaches) if decided else None,
        breaches=breaches,
        clause=rules.full_attendance.clause,
    )
