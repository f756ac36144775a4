"""Deadlines of the weekly summary and daily records, and the length rule. Pure: no Django."""

from kefu.worklog.engine.deadlines import (
    due_in_week,
    latest_due,
    monday_of,
    record_days,
    summary_chars,
)

__all__ = ["due_in_week", "latest_due", "monday_of", "record_days", "summary_chars"]
