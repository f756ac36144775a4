"""The month rules: facts and incidents in, points, fines, recommendations and scores out.
Pure Python: no Django (an import-linter contract keeps it so)."""

from kefu.performance.engine.apply import VALID_COMPLAINTS, month_rules_apply
from kefu.performance.engine.inputs import Fact, Incident, RuleOptions, require_decimal
from kefu.performance.engine.month import Month
from kefu.performance.engine.results import (
    AgentOutcome,
    FineEntry,
    MonthOutcome,
    Note,
    PointEntry,
    Recommendation,
)
from kefu.performance.engine.shares import split_exact

__all__ = [
    "VALID_COMPLAINTS",
    "AgentOutcome",
    "Fact",
    "FineEntry",
    "Incident",
    "Month",
    "MonthOutcome",
    "Note",
    "PointEntry",
    "Recommendation",
    "RuleOptions",
    "month_rules_apply",
    "require_decimal",
    "split_exact",
]
