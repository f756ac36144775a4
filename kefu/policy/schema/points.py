"""积分: the monthly points scale, the daily catalogue of additions and deductions, composite
rules and the consequences of low scores.

Points in the catalogue are magnitudes: `severity: bonus` adds them, light / medium / severe
deduct them. A catalogue item may price each occurrence (`points`), count occurrences in the
period against `steps` (S3: 3 complaints in a month 5 points, 5 complaints 10 points; the
highest step reached replaces the per-occurrence total), or both."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from kefu.policy.schema.base import (
    Count,
    Key,
    Money,
    Period,
    Points,
    PositiveInt,
    Problems,
    Rule,
    Score,
    StrictModel,
)
from kefu.policy.schema.vocab import Consequence, Fact

Severity = Literal["light", "medium", "severe", "bonus"]


class Scale(Rule):
    kind: Literal["ten", "hundred"]
    """The scale: `ten` (S3: each agent starts the month at 10) or `hundred` (S4.5: a score out
    of 100 made of parts)."""
    start: Score
    """Points an agent starts the month with (the total of a hundred-point scale)."""
    parts: dict[Key, Score] = Field(default_factory=dict)
    """Hundred-point scale only: the parts that make up the total (S4.5: team_task 30,
    handover_and_work 20, return_visit 30, competence 20)."""

    @model_validator(mode="after")
    def _parts_sum(self) -> Scale:
        problems = Problems()
        if self.kind == "hundred":
            if not self.parts:
                problems.add(("parts",), "a hundred-point scale needs its parts")
            elif (total := sum(self.parts.values())) != self.start:
                problems.add(("parts",), f"the parts add up to {total}, not the total {self.start}")
        elif self.parts:
            problems.add(("parts",), "only a hundred-point scale has parts")
        problems.raise_if_any()
        return self


class Thresholds(Rule):
    warning_at_or_below: Score | None = None
    """A month ending at or below this earns a verbal warning (S3: 5)."""
    punishment_at_or_below: Score | None = None
    """A month ending at or below this earns a punishment (S3: 2)."""

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        warning, punishment = self.warning_at_or_below, self.punishment_at_or_below
        if warning is not None and punishment is not None and punishment > warning:
            raise ValueError("punishment_at_or_below must not be above warning_at_or_below")
        return self


class BelowScore(Rule):
    score: Score
    """The pass mark: a month below it fails (S4.5: 60) ..."""
    fine: Money
    """... and costs this much (S4.5: 100)."""


class ConsecutiveLow(Rule):
    months: PositiveInt
    """This many months in a row ..."""
    at_or_below: Score
    """... ending at or below this score ..."""
    recommend: Consequence
    """... lead to this (S3: three low months, severe punishment)."""


class PointStep(StrictModel):
    over: Count
    """Reached when the period's count is greater than this (S3 "达到3次" is over: 2)."""
    points: Points
    """The item's points for the period when this is the highest step reached."""


class CatalogueItem(Rule):
    item: Fact
    """The fact, from the vocabulary."""
    severity: Severity
    """light, medium, severe (deduct) or bonus (add)."""
    points: Points | None = None
    """Points per occurrence: a number, or a range like 2-5 the supervisor chooses within."""
    steps: list[PointStep] = Field(default_factory=list)
    """Counted steps over the period (see the module docstring)."""
    period: Period = "month"
    """The period `steps` count over."""
    compensate: bool = False
    """The agent also pays the damage at its price (S4.5: equipment taken, 照价赔偿)."""

    @model_validator(mode="after")
    def _priced(self) -> CatalogueItem:
        problems = Problems()
        if self.points is None and not self.steps:
            problems.add(("points",), "give points, steps, or both")
        for index in range(1, len(self.steps)):
            if self.steps[index].over <= self.steps[index - 1].over:
                problems.add(
                    ("steps", index, "over"),
                    f"must be greater than the step before ({self.steps[index - 1].over})",
                )
        problems.raise_if_any()
        return self


class Composite(Rule):
    when: dict[Literal["light", "medium", "severe"], PositiveInt] = Field(min_length=1)
    """Counts of violations by severity in the period (S4.5: medium 2, light 4) ..."""
    any: bool = True
    """... any one of them reached is enough (false: all are needed) ..."""
    points: Points
    """... and costs this many more points (S4.5: 20)."""
    period: Period = "month"
    """The counting period."""


class PointsConsequence(Rule):
    when: Literal["failing_months_in_row", "warnings"]
    """What is counted: failing months in a row (below the pass mark), or warnings received."""
    count: PositiveInt
    """How many (S4.5: 2 failing months, or 3 warnings) ..."""
    recommend: Consequence
    """... lead to this recommendation (S4.5: dismissal)."""


class PointsPolicy(StrictModel):
    scale: Scale
    """The monthly scale."""
    thresholds: Thresholds | None = None
    """Warning and punishment levels (ten-point scale)."""
    below: BelowScore | None = None
    """Pass mark and the fine for a failing month."""
    consecutive_low: ConsecutiveLow | None = None
    """Several low months in a row."""
    catalogue: list[CatalogueItem] = Field(default_factory=list)
    """Additions and deductions by fact."""
    composite: list[Composite] = Field(default_factory=list)
    """Extra deductions for many violations in a period."""
    consequences: list[PointsConsequence] = Field(default_factory=list)
    """Recommendations that follow from failing months or warnings."""

    @model_validator(mode="after")
    def _coherent(self) -> PointsPolicy:
        problems = Problems()
        first: dict[str, int] = {}
        for index, entry in enumerate(self.catalogue):
            if entry.item in first:
                problems.add(
                    ("catalogue", index, "item"),
                    f"{entry.item} is already in catalogue.{first[entry.item]}",
                )
            else:
                first[entry.item] = index
        scores = [
            (("below", "score"), self.below.score if self.below else None),
            (
                ("thresholds", "warning_at_or_below"),
                self.thresholds.warning_at_or_below if self.thresholds else None,
            ),
            (
                ("consecutive_low", "at_or_below"),
                self.consecutive_low.at_or_below if self.consecutive_low else None,
            ),
        ]
        for at, score in scores:
            if score is not None and score > self.scale.start:
                problems.add(at, f"{score} is above the scale's {self.scale.start} points")
        for index, consequence in enumerate(self.consequences):
            if consequence.when == "failing_months_in_row" and self.below is None:
                problems.add(
                    ("consequences", index, "when"),
                    "failing months need a pass mark: set points.below",
                )
        problems.raise_if_any()
        return self

    def item(self, fact: str) -> CatalogueItem | None:
        return next((entry for entry in self.catalogue if entry.item == fact), None)
