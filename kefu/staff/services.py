"""Writes to agents, their shop assignments, teams and sub-accounts."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse

from kefu.core.audit import audit_record
from kefu.core.choices import Role
from kefu.core.errors import InvalidInput
from kefu.core.models import Agency, Membership, Shop
from kefu.notify.models import Notice
from kefu.notify.services import notice_send
from kefu.staff.choices import AgentStatus, Duty
from kefu.staff.models import Agent, Assignment, SubAccount, Team
from kefu.staff.selectors import agent_rows


def agent_create(
    *,
    agency: Agency,
    name: str,
    hire_date: dt.date,
    level: str,
    level_since: dt.date | None = None,
    probation_end: dt.date | None = None,
    status: AgentStatus | str = AgentStatus.ACTIVE,
    badge: str = "",
    user: User | None = None,
) -> Agent:
    if probation_end is not None and probation_end < hire_date:
        raise InvalidInput(
            f"agent {name}: probation_end {probation_end} is before hire_date {hire_date}"
        )
    return Agent.objects.create(
        agency=agency,
        name=name,
        hire_date=hire_date,
        level=level,
        level_since=level_since or hire_date,
        probation_end=probation_end,
        status=AgentStatus(status),
        badge=badge,
        user=user,
    )


def team_create(*, shop: Shop, name: str) -> Team:
    return Team.objects.create(shop=shop, name=name)


@transaction.atomic
def agent_assign(
    *,
    shop: Shop,
    agent: Agent,
    since: dt.date,
    duty: Duty | str = Duty.PRE_SALES,
    team: Team | None = None,
    acting_user: User | None = None,
) -> Assignment:
    """Let an agent serve a shop. The agent must belong to the shop's agency."""
    if agent.agency_id != shop.agency_id:
        raise InvalidInput(f"agent {agent.name} belongs to another agency than shop {shop.name}")
    if team is not None and team.shop_id != shop.pk:
        raise InvalidInput(f"team {team.name} is not a team of shop {shop.name}")
    assignment, created = Assignment.objects.update_or_create(
        shop=shop,
        agent=agent,
        defaults={"since": since, "duty": Duty(duty), "team": team, "active": True},
    )
    audit_record(
        shop=shop,
        actor=acting_user,
        action="agent.assign",
        object_type="agent",
        object_id=agent.pk,
        new_value={"duty": str(duty), "created": created},
    )
    return assignment


def sub_account_add(*, shop: Shop, agent: Agent, nickname: str) -> SubAccount:
    """Map a platform sub-account nickname (as it appears in chat records) to an agent."""
    nickname = nickname.strip()
    if not nickname:
        raise InvalidInput("sub-account nickname is empty")
    if not Assignment.objects.filter(shop=shop, agent=agent).exists():
        raise InvalidInput(f"agent {agent.name} does not serve shop {shop.name}")
    taken = SubAccount.objects.filter(shop=shop, nickname=nickname).exclude(agent=agent).first()
    if taken is not None:
        raise InvalidInput(f"sub-account {nickname} already belongs to {taken.agent.name}")
    sub_account, _ = SubAccount.objects.get_or_create(shop=shop, agent=agent, nickname=nickname)
    return sub_account


def promotion_reviews_send(*, shop: Shop, on: dt.date) -> list[str]:
    """Tell the shop's supervisors which agents' tenure now allows a higher level (S4.5 ladder
    from the policy). Each (agent, level) is announced once; returns the agents announced."""
    supervisors = [
        m.user
        for m in Membership.objects.filter(shop=shop, role=Role.SUPERVISOR).select_related("user")
    ]
    if not supervisors:
        return []
    announced = []
    for row in agent_rows(shop=shop, on=on):
        if not row.eligibility.promotion_due or row.agent.status == AgentStatus.LEFT:
            continue
        link = reverse("web:agent_detail", kwargs={"shop_id": shop.pk, "agent_id": row.agent.pk})
        title = f"{row.agent.name} 已满足“{row.eligibility.eligible.label}”级别条件"
        if Notice.objects.filter(shop=shop, link=link, title=title).exists():
            continue
        body = (
            f"入职 {row.eligibility.tenure_months} 个月，当前级别“{row.level_label}”。"
            "请评估是否晋级。"
        )
        notice_send(
            shop=shop, recipients=supervisors, kind="task", title=title, body=body, link=link
        )
        announced.append(row.agent.name)
    return announced
