"""Reads of agents, always through a shop."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from kefu.core.access import shop_object_or_404
from kefu.core.clock import shop_today
from kefu.core.models import Shop
from kefu.policy.selectors import policy_in_force
from kefu.staff.models import Agent, Assignment, SubAccount
from kefu.staff.tenure import Eligibility, LevelStep, level_eligibility


def agents_of_shop(*, shop: Shop) -> QuerySet[Agent]:
    """Agents assigned to this shop (the only way a shop sees agents)."""
    return Agent.objects.filter(
        pk__in=Assignment.objects.filter(shop=shop).values("agent_id")
    ).order_by("name", "id")


def agent_get(*, shop: Shop, agent_id: int) -> Agent:
    return shop_object_or_404(
        Agent.objects.all(), shop=shop, pk=agent_id, field="assignments__shop"
    )


def level_ladder(*, shop: Shop, on: dt.date | None = None) -> tuple[list[LevelStep], str]:
    """The shop's level ladder from the policy in force on a day (default: today in the shop),
    and the clause it comes from."""
    levels = policy_in_force(shop=shop, on=on or shop_today(tz=shop.timezone)).policy.levels
    steps = [LevelStep(s.key, s.label, s.min_tenure_months) for s in levels.ladder]
    return steps, levels.clause


@dataclass(frozen=True)
class AgentRow:
    agent: Agent
    assignment: Assignment
    sub_accounts: list[SubAccount]
    level_label: str
    eligibility: Eligibility


def agent_rows(*, shop: Shop, on: dt.date | None = None) -> list[AgentRow]:
    """The shop's agents with their level eligibility on a day (default: today in the shop)."""
    today = on or shop_today(tz=shop.timezone)
    ladder, _clause = level_ladder(shop=shop, on=today)
    labels = {s.key: s.label for s in ladder}
    assignments = (
        Assignment.objects.filter(shop=shop)
        .select_related("agent", "team")
        .prefetch_related(
            Prefetch(
                "agent__sub_accounts",
                queryset=SubAccount.objects.filter(shop=shop),
                to_attr="shop_sub_accounts",
            )
        )
        .order_by("agent__name", "agent_id")
    )
    return [
        AgentRow(
            agent=a.agent,
            assignment=a,
            sub_accounts=a.agent.shop_sub_accounts,  # type: ignore[attr-defined]
            level_label=labels.get(a.agent.level, a.agent.level),
            eligibility=level_eligibility(
                hire_date=a.agent.hire_date, current_level=a.agent.level, ladder=ladder, on=today
            ),
        )
        for a in assignments
    ]


@dataclass(frozen=True)
class AgentProfile:
    row: AgentRow
    other_shop_count: int
    level_clause: str
    ladder: list[LevelStep]


def agent_profile(*, shop: Shop, agent_id: int) -> AgentProfile:
    agent = agent_get(shop=shop, agent_id=agent_id)
    ladder, clause = level_ladder(shop=shop)
    row = next(r for r in agent_rows(shop=shop) if r.agent.pk == agent.pk)
    return AgentProfile(
        row=row,
        other_shop_count=agent.assignments.exclude(shop=shop).count(),
        level_clause=clause,
        ladder=sorted(ladder, key=lambda s: s.min_tenure_months),
    )
