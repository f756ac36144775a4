"""罚款: what each fact costs, in one of four escalation forms counted over a period (the natural
month unless a rule says otherwise):

- `each`: the same amount every time (S4.1 non-work activity 50);
- `list`: fixed amounts in turn, then consequences in turn (S4.1 handover 30, 50, 80, then the
  month's pay withheld, then resignation); once the list is used up the last entry repeats;
- `doubling`: a first amount doubled each time, up to `limit` fines, then consequences
  (S4.1 complaints: 100, 200, then resignation); with no limit it doubles on;
- `threshold`: once the count in the period is over a step's `over`, that step's amount is due
  once; the highest step reached applies (S1: more than 3 slow rounds a month, 50).

`grace` lets the first N occurrences in the period pass free. `also` names other facts the rule
counts and prices as its own, in the same escalation (S4.1 §3: a weekly summary under 200
characters is not the summary asked for, so it counts as one not handed in). Consequences are
recommendations: Kefu shows them to the supervisor and never acts on them by itself."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from kefu.policy.schema.base import Count, Money, Period, PositiveInt, Problems, Rule, StrictModel
from kefu.policy.schema.vocab import Consequence, Fact


class FineRule(Rule):
    fact: Fact
    """The fact priced, from the vocabulary (docs/policy.md lists them)."""
    period: Period = "month"
    """Occurrences are counted per natural month (or day / week)."""
    grace: Count = 0
    """The first this many occurrences in the period cost nothing."""
    also: list[Fact] | None = None
    """Other facts counted and priced as this one, in the same escalation (S4.1 §3: a weekly
    summary too short counts as not handed in)."""

    @property
    def facts(self) -> tuple[str, ...]:
        """Every fact the rule prices: its own first, then `also`."""
        return (self.fact, *(self.also or ()))


class EachFine(FineRule):
    form: Literal["each"]
    amount: Money
    """Paid for every occurrence after the grace."""


class ListFine(FineRule):
    form: Literal["list"]
    amounts: list[Money] = Field(min_length=1)
    """The 1st, 2nd, 3rd ... occurrence's amount."""
    then: list[Consequence] = Field(default_factory=list)
    """After the amounts: the consequence of each further occurrence, in turn."""


class DoublingFine(FineRule):
    form: Literal["doubling"]
    first: Money
    """The first occurrence's amount; each further one is twice the one before."""
    limit: PositiveInt | None = None
    """How many occurrences are fined before `then` applies; none: it doubles without end."""
    then: list[Consequence] = Field(default_factory=list)
    """After `limit` fines: the consequence of each further occurrence, in turn."""

    @model_validator(mode="after")
    def _then_needs_limit(self) -> DoublingFine:
        if self.then and self.limit is None:
            raise ValueError("`then` needs `limit`: the number of doubling fines before it")
        return self


class ThresholdStep(StrictModel):
    over: Count
    """Reached when the period's count is greater than this (S3 "达到3次" is over: 2)."""
    amount: Money
    """Due once in the period when this is the highest step reached."""


class ThresholdFine(FineRule):
    form: Literal["threshold"]
    steps: list[ThresholdStep] = Field(min_length=1)
    """Steps in increasing `over`; the highest step reached applies."""

    @model_validator(mode="after")
    def _ordered(self) -> ThresholdFine:
        problems = Problems()
        for index in range(1, len(self.steps)):
            if self.steps[index].over <= self.steps[index - 1].over:
                problems.add(
                    ("steps", index, "over"),
                    f"must be greater than the step before ({self.steps[index - 1].over})",
                )
        problems.raise_if_any()
        return self


Fine = Annotated[EachFine | ListFine | DoublingFine | ThresholdFine, Field(discriminator="form")]


class Fund(Rule):
    all_fines_to_department_fund: bool = True
    """Every fine goes into the department fund 部门基金 (S4.1 §16) ..."""
    spent_openly: bool = True
    """... which is spent openly on team activities."""


class Fines(StrictModel):
    rules: list[Fine] = Field(default_factory=list)
    """One rule per fact."""
    fund: Fund | None = None
    """Where fines go; none: they simply come off pay."""

    @model_validator(mode="after")
    def _one_rule_per_fact(self) -> Fines:
        # Two rules on one fact would charge it twice (a fact in `also` counts too).
        problems = Problems()
        first: dict[str, int] = {}
        for index, rule in enumerate(self.rules):
            for position, fact in enumerate(rule.facts):
                at: tuple[str | int, ...] = ("rules", index, "fact")
                if position:
                    at = ("rules", index, "also", position - 1)
                if first.get(fact) == index:
                    problems.add(at, f"{fact} is already counted by this rule")
                elif fact in first:
                    problems.add(at, f"{fact} is already priced by rules.{first[fact]}")
                else:
                    first[fact] = index
        problems.raise_if_any()
        return self

    def rule_for(self, fact: str) -> Fine | None:
        return next((rule for rule in self.rules if fact in rule.facts), None)
