"""级别与薪资: the level ladder by tenure, and the parts of a payslip (base or guaranteed minimum,
probation pay, commission flat or progressive, bonus pool, allowances, rounding)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from kefu.policy.schema.base import (
    Count,
    Key,
    Money,
    Problems,
    Rate,
    Rule,
    StrictModel,
    check_unique,
)


class LevelStep(StrictModel):
    key: Key
    """Level code stored on the agent, e.g. `junior`."""
    label: str = Field(min_length=1)
    """Its name, e.g. 初级客服."""
    min_tenure_months: Count
    """Months of service after which an agent may hold it (S4.5: 0, 3, 12, 24)."""


class Levels(Rule):
    ladder: list[LevelStep] = Field(min_length=1)
    """The levels from the lowest up."""
    probation_months: Count
    """Length of probation 试用期 for a new agent (S4.5: 1)."""

    @model_validator(mode="after")
    def _ladder(self) -> Levels:
        problems = Problems()
        check_unique(problems, ("ladder",), [s.key for s in self.ladder], "level")
        problems.items = [((*at, "key"), m) for at, m in problems.items]
        if self.ladder[0].min_tenure_months != 0:
            problems.add(("ladder", 0, "min_tenure_months"), "the first level starts at 0 months")
        for index in range(1, len(self.ladder)):
            if self.ladder[index].min_tenure_months <= self.ladder[index - 1].min_tenure_months:
                problems.add(
                    ("ladder", index, "min_tenure_months"),
                    "must be more than the level before "
                    f"({self.ladder[index - 1].min_tenure_months})",
                )
        problems.raise_if_any()
        return self

    def keys(self) -> list[str]:
        return [step.key for step in self.ladder]


class BasePay(Rule):
    by_level: dict[Key, Money] = Field(min_length=1)
    """Monthly base pay 底薪 by level (S1: 1500 / 1800 / 2200 / 2700)."""


class GuaranteeTier(StrictModel):
    key: Key
    """Tier code, e.g. `first`."""
    label: str = Field(min_length=1)
    """Its name, e.g. 首保底."""
    amount: Money
    """The monthly minimum (S4.5: 2000 / 2200 / 2500)."""
    levels: list[Key] = Field(min_length=1)
    """The levels this tier applies to."""


class GuaranteedMinimum(Rule):
    tiers: list[GuaranteeTier] = Field(min_length=1)
    """Pay is topped up to the agent's tier minimum (S4.5: 核算月保底)."""


class Probation(Rule):
    pay: Money
    """Monthly pay during probation (S4.5: 1600) ..."""
    bonus: bool
    """... and whether a probationer earns bonus (S4.5: no)."""


class CommissionTier(StrictModel):
    up_to: Money | None = None
    """Upper bound of this band of sales; none for the last, open band."""
    rate: Rate
    """Rate applied to the part of sales inside this band only (progressive)."""


class Commission(Rule):
    basis: Literal["personal_sales", "department_sales"]
    """Whose sales: the agent's attributed sales (S1) or the department's (S4.5, then split
    through the bonus pool)."""
    flat_rate: Rate | None = None
    """One rate on all sales (S1: "0.005"); give this or tiers."""
    tiers: list[CommissionTier] | None = None
    """Progressive bands [{up_to, rate}, ..., {rate}]: up_to strictly increasing, only the last
    open."""

    @model_validator(mode="after")
    def _one_form(self) -> Commission:
        problems = Problems()
        if (self.flat_rate is None) == (self.tiers is None):
            problems.add((), "give exactly one of flat_rate or tiers")
        tiers = self.tiers or []
        if self.tiers is not None and not tiers:
            problems.add(("tiers",), "give at least one tier")
        previous: Decimal | None = None
        for index, tier in enumerate(tiers):
            last = index == len(tiers) - 1
            if tier.up_to is None:
                if not last:
                    problems.add(("tiers", index, "up_to"), "only the last tier may be open")
                continue
            if last:
                problems.add(("tiers", index, "up_to"), "the last tier must be open (no up_to)")
            if previous is not None and tier.up_to <= previous:
                problems.add(
                    ("tiers", index, "up_to"),
                    f"must be greater than the tier before ({previous}); tiers go in order",
                )
            previous = tier.up_to
        problems.raise_if_any()
        return self


class BonusPool(Rule):
    split: Literal["by_score"]
    """Personal bonus = pool / sum of all agents' scores x own score (S4.5 (g))."""


class Allowances(Rule):
    full_attendance: Money | None = None
    """Full-attendance bonus 满勤奖 paid with pay (S1: 100)."""
    living: Money | None = None
    """Living allowance 生活提升助 (S1: 200)."""
    team_score_share_of_base: Rate | None = None
    """Team-score bonus as a share of base pay at full team score (S1: "0.10")."""


class Rounding(StrictModel):
    to: Money = Decimal("0.01")
    """Amounts are rounded to this step ..."""
    mode: Literal["half_up", "half_even", "down"] = "half_up"
    """... this way (half_up is the Chinese payroll convention 四舍五入)."""

    @model_validator(mode="after")
    def _positive(self) -> Rounding:
        if self.to <= 0:
            raise ValueError('`to` must be a positive step such as "0.01"')
        return self


class Pay(StrictModel):
    base: BasePay | None = None
    """Base pay by level."""
    guaranteed_minimum: GuaranteedMinimum | None = None
    """Guaranteed monthly minimum by tier."""
    probation: Probation | None = None
    """Probation pay (its length is levels.probation_months)."""
    commission: Commission | None = None
    """Sales commission."""
    bonus_pool: BonusPool | None = None
    """How a department commission is split into personal bonuses."""
    allowances: Allowances | None = None
    """Fixed allowances and bonuses."""
    rounding: Rounding = Field(default_factory=Rounding)
    """Rounding of every computed amount."""
