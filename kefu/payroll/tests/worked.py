"""Shared shape of the worked examples: one month (March 2026) for three agents, the facts
written out, the month rules, the awards and the payroll run; the tests assert every number."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from kefu.payroll.calculator import AgentMonth, Payslip, payslips_compute
from kefu.performance.awards import AgentFigures, AwardOutcome, awards_compute
from kefu.performance.engine import Fact, Incident, Month, MonthOutcome, month_rules_apply
from kefu.policy.schema import Policy

MARCH = Month(2026, 3)
TEAM = ("xiaomei", "xiaoli", "aqiang")
"""小美, 小丽, 阿强."""


@dataclass(frozen=True)
class Worked:
    outcome: MonthOutcome
    awards: AwardOutcome
    slips: dict[str, Payslip]

    def fines(self, agent_id: str) -> list[Decimal]:
        return [entry.amount for entry in self.outcome.agent(agent_id).fines]

    def points(self, agent_id: str) -> list[tuple[Decimal, str]]:
        return [(entry.points, entry.clause) for entry in self.outcome.agent(agent_id).points]

    def recommended(self, agent_id: str) -> list[str]:
        return [r.consequence for r in self.outcome.agent(agent_id).recommendations]

    def awarded(self, agent_id: str) -> list[tuple[str, Decimal]]:
        return [(e.kind, e.amount) for e in self.awards.for_agent(agent_id)]

    def lines(self, agent_id: str) -> list[tuple[str, Decimal]]:
        return [(line.code, line.amount) for line in self.slips[agent_id].lines]

    def total(self, agent_id: str) -> Decimal:
        return self.slips[agent_id].total


def work_month(
    policy: Policy,
    *,
    facts: Sequence[Fact] = (),
    incidents: Sequence[Incident] = (),
    pay: Sequence[AgentMonth],
    figures: Sequence[AgentFigures] | Callable[[MonthOutcome], Sequence[AgentFigures]] = (),
    part_scores: dict[str, dict[str, Decimal]] | None = None,
    previous: Sequence[MonthOutcome] = (),
    previous_awards: Sequence[AwardOutcome] = (),
    department_sales: Decimal | None = None,
) -> Worked:
    outcome = month_rules_apply(
        policy=policy,
        facts=facts,
        incidents=incidents,
        month=MARCH,
        agents=TEAM,
        part_scores=part_scores,
        previous=previous,
    )
    # The figures may depend on the month's outcome (S4.5 ranks the evaluation scores).
    ranked = figures(outcome) if callable(figures) else figures
    awards = awards_compute(policy=policy, month=MARCH, figures=ranked, previous=previous_awards)
    slips = payslips_compute(
        policy=policy,
        month=MARCH,
        agents=pay,
        outcomes=outcome,
        awards=awards,
        department_sales=department_sales,
    )
    return Worked(outcome, awards, {slip.agent_id: slip for slip in slips})
