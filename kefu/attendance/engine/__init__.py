"""The attendance classifier and the punch-file reader. Pure: no Django (import-linter)."""

from kefu.attendance.engine.classify import (
    PUNCH_WINDOW,
    STATUS_LABELS,
    AgentMonth,
    FactOut,
    ShiftResult,
    classify,
    classify_shift,
    month_last_day,
    month_summary,
)
from kefu.attendance.engine.inputs import Absence, Punch, Shift

__all__ = [
    "PUNCH_WINDOW",
    "STATUS_LABELS",
    "Absence",
    "AgentMonth",
    "FactOut",
    "Punch",
    "Shift",
    "ShiftResult",
    "classify",
    "classify_shift",
    "month_last_day",
    "month_summary",
]
