"""The attendance classifier and the punch-file reader. Pure: no Django (import-linter)."""

from kefu.attendance.engine.classify import PUNCH_WINDOW, classify, classify_shift
from kefu.attendance.engine.inputs import Absence, Punch, Shift
from kefu.attendance.engine.month import AgentMonth, month_last_day, month_summary
from kefu.attendance.engine.results import STATUS_LABELS, FactOut, ShiftResult

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
