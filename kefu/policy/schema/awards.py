"""奖励: monthly awards, each a `kind` with its amounts and clause."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from kefu.policy.schema.base import Money, PositiveInt, Problems, Rate, Rule, StrictModel

Metric = Literal["sales", "conversion", "overall_score", "service_language", "evaluation_score"]
"""What agents are ranked by: sales 销售额, conversion 转化率, overall score 综合评分 (S4.3:
conversion, payment rate, response speed and tone), service language 服务用语, the monthly
evaluation score 考核分 (S4.5)."""


class TeamSizeTier(StrictModel):
    min_size: PositiveInt
    """Smallest team this tier applies to ..."""
    max_size: PositiveInt | None = None
    """... and the largest (none: no upper bound)."""
    amounts: list[Money] = Field(min_length=1)
    """Amounts for the 1st, 2nd, 3rd ... place."""


class TopByTeamSize(Rule):
    kind: Literal["top_by_team_size"]
    metric: Metric
    """What is ranked."""
    tiers: list[TeamSizeTier] = Field(min_length=1)
    """By team size: how many places are paid and how much (S0: up to 4 agents 100; 5-6
    100/50; 7 or more 200/100/50)."""

    @model_validator(mode="after")
    def _contiguous(self) -> TopByTeamSize:
        # The tiers must cover team sizes without gaps or overlaps, or some team would get two
        # award tables or none.
        problems = Problems()
        expected = 1
        for index, tier in enumerate(self.tiers):
            if tier.min_size != expected:
                problems.add(
                    ("tiers", index, "min_size"), f"must be {expected} (no gap or overlap)"
                )
            if tier.max_size is None:
                if index != len(self.tiers) - 1:
                    problems.add(("tiers", index, "max_size"), "only the last tier may be open")
                break
            if tier.max_size < tier.min_size:
                problems.add(("tiers", index, "max_size"), "is below min_size")
            expected = tier.max_size + 1
        else:
            problems.add(("tiers", len(self.tiers) - 1, "max_size"), "the last tier must be open")
        problems.raise_if_any()
        return self

    def amounts_for(self, team_size: int) -> list[Money]:
        for tier in self.tiers:
            if tier.min_size <= team_size and (tier.max_size is None or team_size <= tier.max_size):
                return list(tier.amounts)
        return []


class Top(Rule):
    kind: Literal["top"]
    metric: Metric
    """What is ranked."""
    amounts: list[Money] = Field(min_length=1)
    """Amounts for the 1st, 2nd ... place (S4.3: top sales 100)."""


class FullAttendanceAward(Rule):
    kind: Literal["full_attendance"]
    amount: Money
    """Paid for a month meeting attendance.full_attendance (S4.3: 100)."""


class LadderStep(StrictModel):
    months: PositiveInt
    """Months in a row in first place ..."""
    amount: Money
    """... earn this, in the month the run reaches that length."""


class ConsecutiveFirst(Rule):
    kind: Literal["consecutive_first"]
    metric: Metric
    """What first place is measured by (S4.5: the evaluation score)."""
    ladder: list[LadderStep] = Field(min_length=1)
    """Steps in increasing months (S4.5: 3 months 100, 6 months 200)."""
    continues: bool = False
    """The ladder goes on in the same steps (如此类推: 9 months 300 ...)."""

    @model_validator(mode="after")
    def _increasing(self) -> ConsecutiveFirst:
        problems = Problems()
        for index in range(1, len(self.ladder)):
            if self.ladder[index].months <= self.ladder[index - 1].months:
                problems.add(
                    ("ladder", index, "months"),
                    f"must be more than the step before ({self.ladder[index - 1].months})",
                )
        problems.raise_if_any()
        return self


Award = Annotated[
    TopByTeamSize | Top | FullAttendanceAward | ConsecutiveFirst, Field(discriminator="kind")
]


class Stacking(Rule):
    stackable: bool
    """An agent may win several awards in one month (S4.3: 如同时达到，奖项给于叠加)."""


class OverallScoreWeights(Rule):
    """The weights of the four measures of the overall score 综合评分 (S4.3 §6(3): "接单转换率,
    成交付款率,回复响应速度以及接待客户语气"). Each is a fraction; together they make 1."""

    conversion: Rate
    """Inquiry conversion 接单转换率 (paid over inquiries)."""
    payment_rate: Rate
    """Payment rate 成交付款率 (paid over ordered)."""
    response_speed: Rate
    """Response speed 回复响应速度 (the 3-minute response rate)."""
    service_language: Rate
    """Tone 接待客户语气 (the service-language score from the quality checks)."""

    @model_validator(mode="after")
    def _sum_to_one(self) -> OverallScoreWeights:
        total = self.conversion + self.payment_rate + self.response_speed + self.service_language
        if total != Decimal(1):
            raise ValueError(f"the four weights must add up to 1, not {total.normalize()}")
        return self


class Awards(StrictModel):
    items: list[Award] = Field(default_factory=list)
    """The awards."""
    stacking: Stacking | None = None
    """Whether awards add up; none: they do."""
    overall_score: OverallScoreWeights | None = None
    """How the overall score 综合评分 weighs its four measures; none: equally (a quarter each,
    as the seed gives no weights)."""
