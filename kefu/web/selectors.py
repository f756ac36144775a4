"""Reads for the web shell's pages: each returns plain data a template shows as it is.

The staff selectors do the agent work; these add what a page needs around them (the dashboard's
figures, the level ladder as rows, a team list that still shows when no policy is set yet)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, Prefetch, QuerySet

from kefu.core.clock import shop_today
from kefu.core.errors import NotFound
from kefu.core.models import Shop
from kefu.notify import selectors as notify_selectors
from kefu.policy import selectors as policy_selectors
from kefu.staff import selectors as staff_selectors
from kefu.staff.choices import AgentStatus
from kefu.staff.models import Agent, Assignment, SubAccount
from kefu.staff.tenure import Eligibility, LevelStep, add_months, whole_months_between

# --- the policy in force -----------------------------------------------------------------------


@dataclass(frozen=True)
class PolicySummary:
    name: str
    version: int
    effective_from: dt.date


def _in_force(*, shop: Shop, on: dt.date) -> policy_selectors.PolicyInForce | None:
    """The policy in force on that day, or None when the shop has none yet."""
    try:
        return policy_selectors.policy_in_force(shop=shop, on=on)
    except NotFound:
        return None


def _summary(in_force: policy_selectors.PolicyInForce) -> PolicySummary:
    return PolicySummary(
        name=in_force.name, version=in_force.number, effective_from=in_force.effective_from
    )


# --- the dashboard -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelCount:
    label: str
    count: int


@dataclass(frozen=True)
class Dashboard:
    today: dt.date
    agent_count: int
    policy: PolicySummary | None
    unread_notices: int
    levels: list[LevelCount]

    @property
    def level_chart(self) -> dict[str, Any] | None:
        """The agents-by-level bar chart for kefu.js, or None when there is nothing to draw."""
        if not self.levels:
            return None
        return {
            "kind": "bar",
            "categories": [level.label for level in self.levels],
            "values": [level.count for level in self.levels],
        }


def _working_assignments(*, shop: Shop) -> QuerySet[Assignment]:
    """Assignments of agents who serve the shop now (active, and not left the agency)."""
    return Assignment.objects.filter(shop=shop, active=True).exclude(agent__status=AgentStatus.LEFT)


def dashboard_get(*, shop: Shop, user: AbstractBaseUser, with_levels: bool) -> Dashboard:
    """The dashboard's figures. `with_levels`: count the agents by level too (for roles that
    may see the team; an agent sees the head count only)."""
    today = shop_today(tz=shop.timezone)
    in_force = _in_force(shop=shop, on=today)
    counted = (
        _working_assignments(shop=shop).values("agent__level").annotate(n=Count("id")).order_by()
    )
    by_level: dict[str, int] = {r["agent__level"]: r["n"] for r in counted}
    levels: list[LevelCount] = []
    if with_levels and by_level:
        ladder = in_force.policy.levels.ladder if in_force is not None else []
        labels = {s.key: s.label for s in ladder}
        ordered = [s.key for s in sorted(ladder, key=lambda s: s.min_tenure_months)]
        keys = [k for k in ordered if k in by_level] + sorted(set(by_level) - set(labels))
        levels = [LevelCount(label=labels.get(k, k), count=by_level[k]) for k in keys]
    return Dashboard(
        today=today,
        agent_count=sum(by_level.values()),
        policy=_summary(in_force) if in_force is not None else None,
        unread_notices=notify_selectors.unread_count(shop=shop, user=user),
        levels=levels,
    )


# --- agents --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlainAgentRow:
    """An agent row when the shop has no policy yet: no ladder, so no eligibility."""

    agent: Agent
    assignment: Assignment
    sub_accounts: list[SubAccount]
    level_label: str
    tenure_months: int
    eligibility: Eligibility | None = None


def _plain_rows(*, shop: Shop, agent_id: int | None = None) -> list[PlainAgentRow]:
    today = shop_today(tz=shop.timezone)
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
    if agent_id is not None:
        assignments = assignments.filter(agent_id=agent_id)
    return [
        PlainAgentRow(
            agent=a.agent,
            assignment=a,
            sub_accounts=a.agent.shop_sub_accounts,  # type: ignore[attr-defined]
            level_label=a.agent.level,
            tenure_months=whole_months_between(a.agent.hire_date, today),
        )
        for a in assignments
    ]


@dataclass(frozen=True)
class TeamPage:
    rows: list[staff_selectors.AgentRow] | list[PlainAgentRow]
    policy_missing: bool


def team_page(*, shop: Shop) -> TeamPage:
    try:
        return TeamPage(rows=staff_selectors.agent_rows(shop=shop), policy_missing=False)
    except NotFound:
        return TeamPage(rows=_plain_rows(shop=shop), policy_missing=True)


@dataclass(frozen=True)
class LadderRow:
    step: LevelStep
    reached_on: dt.date  # the day the tenure reaches this step
    reached: bool
    current: bool  # the agent's level now
    eligible: bool  # the highest level the tenure allows


@dataclass(frozen=True)
class AgentPage:
    row: staff_selectors.AgentRow | PlainAgentRow
    other_shop_count: int
    level_clause: str
    ladder: list[LadderRow]
    policy_missing: bool

    @property
    def clause_ref(self) -> str:
        """The clause's reference alone ("S4.5") for a sentence; the full text is shown apart."""
        return self.level_clause.split()[0] if self.level_clause.strip() else ""


def agent_page(*, shop: Shop, agent_id: int) -> AgentPage:
    """One agent of the shop (404 for an agent of another shop) with the level ladder."""
    try:
        profile = staff_selectors.agent_profile(shop=shop, agent_id=agent_id)
    except NotFound:
        agent = staff_selectors.agent_get(shop=shop, agent_id=agent_id)
        return AgentPage(
            row=_plain_rows(shop=shop, agent_id=agent.pk)[0],
            other_shop_count=agent.assignments.exclude(shop=shop).count(),
            level_clause="",
            ladder=[],
            policy_missing=True,
        )
    eligibility = profile.row.eligibility
    hire_date = profile.row.agent.hire_date
    return AgentPage(
        row=profile.row,
        other_shop_count=profile.other_shop_count,
        level_clause=profile.level_clause,
        ladder=[
            LadderRow(
                step=step,
                reached_on=add_months(hire_date, step.min_tenure_months),
                reached=step.min_tenure_months <= eligibility.tenure_months,
                current=step.key == profile.row.agent.level,
                eligible=step.key == eligibility.eligible.key,
            )
            for step in profile.ladder
        ],
        policy_missing=False,
    )
