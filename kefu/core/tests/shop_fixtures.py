"""The shop most app tests start from: a Taobao shop under the dongyao-s4 preset, its supervisor
and one agent (慧兰), each with a signed-in client. An app's conftest imports the fixtures it
uses by name."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from kefu.core.choices import Platform, Role
from kefu.core.models import Shop
from kefu.core.tests.factories import AssignmentFactory, MembershipFactory, ShopFactory, UserFactory
from kefu.policy.services import policy_adopt_preset
from kefu.staff.models import Agent


@pytest.fixture
def shop() -> Shop:
    shop = ShopFactory(platform=Platform.TAOBAO)
    policy_adopt_preset(
        shop=shop, preset="dongyao-s4", effective_from=dt.date(2026, 1, 1), acting_user=None
    )
    return shop


@pytest.fixture
def supervisor_user(shop: Shop):  # type: ignore[no-untyped-def]
    return MembershipFactory(shop=shop, role=Role.SUPERVISOR).user


@pytest.fixture
def supervisor(supervisor_user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(supervisor_user)
    return client


@pytest.fixture
def agent(shop: Shop) -> Agent:
    user = UserFactory()
    MembershipFactory(shop=shop, user=user, role=Role.AGENT)
    return AssignmentFactory(shop=shop, agent__user=user, agent__name="慧兰").agent


@pytest.fixture
def agent_client(agent: Agent) -> Client:
    client = Client()
    client.force_login(agent.user)
    return client
