"""Builders for the database tests of the month close and payroll: a shop on a preset with
agents assigned, facts at Shanghai clock times."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User

from kefu.core.choices import Role
from kefu.core.models import Shop
from kefu.core.tests.factories import AgentFactory, AssignmentFactory, MembershipFactory
from kefu.performance.models import Fact
from kefu.performance.services import fact_record
from kefu.performance.tests.support import local
from kefu.policy.services import policy_adopt_preset
from kefu.staff.models import Agent

OCTOBER = "2026-10"


@dataclass
class Team:
    shop: Shop
    supervisor: User
    agents: list[Agent]


def team(preset: str = "taobao-s4-fines", names: tuple[str, ...] = ("小美", "小丽")) -> Team:
    membership = MembershipFactory(role=Role.SUPERVISOR)
    shop = membership.shop
    policy_adopt_preset(
        shop=shop, preset=preset, effective_from=dt.date(2026, 1, 1), acting_user=None
    )
    agents = [
        AssignmentFactory(shop=shop, agent=AgentFactory(agency=shop.agency, name=name)).agent
        for name in names
    ]
    return Team(shop, membership.user, agents)


def record(t: Team, agent: Agent, key: str, day: int, ref: str = "", **kwargs: object) -> Fact:
    return fact_record(
        shop=t.shop,
        agent=agent,
        key=key,
        occurred_at=local(dt.date(2026, 10, day), "10:00"),
        source="attendance" if ref else "manual",
        source_ref=ref,
        **kwargs,  # type: ignore[arg-type]
    )
