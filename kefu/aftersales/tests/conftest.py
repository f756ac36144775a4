from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import pytest
from django.test import Client

from kefu.core.choices import Role
from kefu.core.models import Shop
from kefu.core.tests.factories import AssignmentFactory, MembershipFactory, ShopFactory, UserFactory
from kefu.policy.services import policy_adopt_preset
from kefu.staff.models import Agent

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
OPENED = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SH)


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def shop() -> Shop:
    shop = ShopFactory()
    policy_adopt_preset(
        shop=shop, preset="dongyao-s4", effective_from=dt.date(2026, 1, 1), acting_user=None
    )
    return shop


def _agent(shop: Shop, name: str) -> Agent:
    user = UserFactory()
    MembershipFactory(shop=shop, user=user, role=Role.AGENT)
    return AssignmentFactory(shop=shop, agent__user=user, agent__name=name).agent


@pytest.fixture
def agent(shop: Shop) -> Agent:
    return _agent(shop, "慧兰")


@pytest.fixture
def other_agent(shop: Shop) -> Agent:
    return _agent(shop, "小美")


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def supervisor(shop: Shop):  # type: ignore[no-untyped-def]
    return MembershipFactory(shop=shop, role=Role.SUPERVISOR).user


@pytest.fixture
def finance(shop: Shop):  # type: ignore[no-untyped-def]
    return MembershipFactory(shop=shop, role=Role.FINANCE).user
