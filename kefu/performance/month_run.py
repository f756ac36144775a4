"""Reading a month and running its rules, writing nothing: the month's facts and incidents,
the month rules' outcome under the policy in force, and the month's awards under a policy
(the month close stores them; the what-if pages compare them)."""

from __future__ import annotations

import datetime as dt

from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.performance import engine
from kefu.performance.attendance_month import AttendanceRecord
from kefu.performance.awards import (
    SERVICE_LANGUAGE_FACT,
    AgentFigures,
    AwardOutcome,
    awards_compute,
    overall_score,
    service_language_score,
)
from kefu.performance.evaluation import month_part_scores
from kefu.performance.models import Fact, Incident
from kefu.performance.sales import MonthSales, month_sales
from kefu.performance.selectors import (
    agents_punched,
    previous_awards,
    previous_outcomes,
    warnings_issued,
)
from kefu.policy.schema import Policy
from kefu.policy.selectors import PolicyInForce, policy_in_force
from kefu.staff.models import Agent, Assignment

STRADDLE_DAYS = 7
"""Facts of the days before the month count toward a week that straddles it."""


def parse_month(value: engine.Month | str) -> engine.Month:
    if isinstance(value, engine.Month):
        return value
    try:
        return engine.Month.parse(value)
    except ValueError as exc:
        raise InvalidInput(f"月份格式应为 YYYY-MM，例如 2026-10；收到 {value!r}") from exc


def month_inputs(
    shop: Shop, month: engine.Month
) -> tuple[list[engine.Fact], list[engine.Incident]]:
    since = month.first_day - dt.timedelta(days=STRADDLE_DAYS)
    window = {"shop": shop, "local_date__gte": since, "local_date__lte": month.last_day}
    facts = [
        engine.Fact(
            id=f"F{f.pk}",
            agent_id=str(f.agent_id),
            fact=f.key,
            at=f.occurred_at,
            local_date=f.local_date,
            quantity=f.quantity,
            minutes=f.minutes,
            evidence=f"{f.source}:{f.source_ref}",
        )
        for f in Fact.objects.filter(**window).order_by("occurred_at", "id")
    ]
    incidents = [
        engine.Incident(
            id=f"I{i.pk}",
            agent_id=str(i.agent_id),
            item=i.item,
            at=i.occurred_at,
            local_date=i.local_date,
            points=i.points,
            amount=i.amount,
            fact_ids=tuple(f"F{pk}" for pk in i.fact_ids),
            note=i.note,
        )
        for i in Incident.objects.filter(**window).order_by("occurred_at", "id")
    ]
    return facts, incidents


def month_rules_run(
    *, shop: Shop, month: engine.Month
) -> tuple[PolicyInForce, engine.MonthOutcome]:
    """Run the rules on the month as stored now, writing nothing: (policy in force, outcome)."""
    in_force = policy_in_force(shop=shop, on=month.last_day)
    agents = [
        str(pk)
        for pk in Assignment.objects.filter(shop=shop, active=True)
        .order_by("agent__name", "agent_id")
        .values_list("agent_id", flat=True)
    ]
    facts, incidents = month_inputs(shop, month)
    try:
        outcome = engine.month_rules_apply(
            policy=in_force.policy,
            facts=facts,
            incidents=incidents,
            month=month,
            agents=agents,
            part_scores=month_part_scores(shop=shop, month=month, policy=in_force.policy),
            previous=previous_outcomes(shop=shop, month=month),
            warnings_issued=warnings_issued(shop=shop, month=month),
        )
    except ValueError as exc:
        raise InvalidInput(f"无法结算{month.label}：{exc}") from exc
    return in_force, outcome


def on_probation(agent: Agent, month: engine.Month) -> bool:
    """On probation for the month when probation lasts to its last day (a probation ending
    mid-month counts as the full month at the level: the agent worked most of it as such)."""
    return agent.probation_end is not None and agent.probation_end >= month.last_day


def month_awards(
    *, shop: Shop, month: engine.Month, policy: Policy, outcome: engine.MonthOutcome
) -> tuple[AwardOutcome, MonthSales]:
    """The month's awards under `policy` from its sales (KPI snapshots), attendance facts and
    scores (`outcome`: the month rules' results under the same policy)."""
    sales = month_sales(shop=shop, month=month, policy=policy)
    facts, _ = month_inputs(shop, month)
    agents = Agent.objects.in_bulk([int(a) for a in outcome.agents])
    punched = agents_punched(shop=shop, month=month)
    hits: dict[str, int] = {}
    for fact in facts:
        if fact.fact == SERVICE_LANGUAGE_FACT and month.contains(fact.local_date):
            hits[fact.agent_id] = hits.get(fact.agent_id, 0) + fact.quantity
    figures = []
    for agent_id, result in outcome.agents.items():
        own = sales.of(int(agent_id))
        language = service_language_score(
            confirmed_hits=hits.get(agent_id, 0), answered_rounds=own.answered_rounds
        )
        figures.append(
            AgentFigures(
                agent_id=agent_id,
                sales=own.amount,
                conversion=own.conversion,
                overall_score=overall_score(
                    conversion=own.conversion,
                    payment_rate=own.payment_rate,
                    fast_rate=own.fast_rate,
                    service_language=language,
                    weights=policy.awards.overall_score,
                ),
                service_language=language,
                evaluation_score=result.score,
                attendance=AttendanceRecord.from_facts(
                    facts, agent_id=agent_id, month=month, punched=int(agent_id) in punched
                ),
                on_probation=on_probation(agents[int(agent_id)], month),
            )
        )
    awards = awards_compute(
        policy=policy,
        month=month,
        figures=figures,
        previous=previous_awards(shop=shop, month=month),
    )
    return awards, sales
