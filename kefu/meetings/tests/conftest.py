from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from kefu.core.choices import Role
from kefu.core.models import Shop
from kefu.core.tests.factories import AssignmentFactory, MembershipFactory, ShopFactory, UserFactory
from kefu.policy.services import policy_adopt_preset
from kefu.staff.models import Agent

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
# Wednesday 4 March 2026, 10:00 in Shanghai.
NOW = dt.datetime(2026, 3, 4, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def set_now(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.datetime], None]:
    def set_to(moment: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(dt.UTC))

    set_to(NOW)
    return set_to


@pytest.fixture
def shop(set_now: Callable[[dt.datetime], None]) -> Shop:
    shop = ShopFactory()
    policy_adopt_preset(
        shop=shop, preset="taobao-s4-standard", effective_from=dt.date(2026, 1, 1), acting_user=None
    )
    return shop


@pytest.fixture
def supervisor(shop: Shop) -> Client:
    client = Client()
    client.force_login(MembershipFactory(shop=shop, role=Role.SUPERVISOR).user)
    return client


def _agent(shop: Shop, name: str) -> Agent:
    user = UserFactory()
    MembershipFactory(shop=shop, user=user, role=Role.AGENT)
    return AssignmentFactory(shop=shop, agent__user=user, agent__name=name).agent


@pytest.fixture
def agents(shop: Shop) -> list[Agent]:
    return [_agent(shop, name) for name in ("小美", "阿杰", "小兰")]


@pytest.fixture
def agent_client(agents: list[Agent]) -> Client:
    client = Client()
    client.force_login(agents[0].user)
    return client
