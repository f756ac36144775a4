"""考试与值日: the customer-service exam's fact thresholds and the office duty rota 值日.

Both sections are optional: a regime without an exam still records full marks and under 60
by the vocabulary's own definitions (100 and 60), and a regime without a duty rota has none."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from kefu.policy.schema.base import Key, Problems, Rule, Score, StrictModel


class Exams(Rule):
    full_marks: Score
    """A score (out of 100) at or above this is the fact `exam_full_marks` (S4.5 加分2: 100)."""
    pass_mark: Score
    """A score under this is the fact `exam_below_60` (S4.5 中度7: 60)."""

    @model_validator(mode="after")
    def _ordered(self) -> Exams:
        problems = Problems()
        if self.full_marks > 100:
            problems.add(("full_marks",), "exams are scored out of 100")
        if self.pass_mark > self.full_marks:
            problems.add(("pass_mark",), f"must not be above full_marks ({self.full_marks})")
        problems.raise_if_any()
        return self


class DutyTask(StrictModel):
    key: Key
    """A short code (office_morning, closing_up)."""
    label: str = Field(min_length=1, max_length=60)
    """What the person on duty does (上班前清洁办公室; 下班关窗、空调、灯)."""
    timing: Literal["early", "late"]
    """`early`: before work starts, by someone on the first shift; `late`: after work ends,
    by someone on the last shift (S4.1 §13: 早班上班前, 晚班下班前)."""


class Duty(Rule):
    tasks: list[DutyTask] = Field(min_length=1)
    """The daily tasks; each working day every task gets one agent."""
    swap_in_advance: bool = True
    """An agent who cannot do their day swaps it in advance with a colleague (S4.1, S4.2)."""

    @model_validator(mode="after")
    def _distinct(self) -> Duty:
        problems = Problems()
        seen: set[str] = set()
        for index, task in enumerate(self.tasks):
            if task.key in seen:
                problems.add(("tasks", index, "key"), f"{task.key} is listed twice")
            seen.add(task.key)
        problems.raise_if_any()
        return self
