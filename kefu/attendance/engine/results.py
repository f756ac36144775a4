"""What the classifier returns: a shift's result and the facts to record. Pure: no Django."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from kefu.attendance.engine.inputs import Punch, Shift

Status = Literal[
    "pending",  # the shift has not ended yet (or its punch window is still open)
    "ok",
    "late",
    "early_leave",
    "late_and_early",
    "absence",
    "absenteeism",
    "leave",
    "forgotten_sign_in",
    "missing_punch",
]

STATUS_LABELS: dict[str, str] = {
    "pending": "未结束",
    "ok": "正常",
    "late": "迟到",
    "early_leave": "早退",
    "late_and_early": "迟到早退",
    "absence": "缺勤",
    "absenteeism": "旷工",
    "leave": "请假",
    "forgotten_sign_in": "漏打卡（按调休）",
    "missing_punch": "缺卡",
}


@dataclass(frozen=True)
class FactOut:
    """A fact to record: `side` makes its reference unique within the shift."""

    key: str
    side: str
    """"in", "out" or "day"; for the later parts of a split shift "in2", "out2" (late to or
    early from part 2), and "part2" for a part not worked at all."""
    at: dt.datetime
    local_date: dt.date
    clause: str
    minutes: int | None = None
    excused: bool = False
    """Excused by the lateness grace (the month rules charge nothing for it)."""
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ShiftResult:
    shift: Shift
    status: Status
    clock_in: Punch | None = None
    clock_out: Punch | None = None
    late_minutes: int = 0
    early_minutes: int = 0
    facts: tuple[FactOut, ...] = ()
    punches: tuple[Punch, ...] = ()

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def excused(self) -> bool:
        return any(f.excused for f in self.facts)
