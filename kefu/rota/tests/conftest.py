from __future__ import annotations

import datetime as dt

import pytest

from kefu.core.choices import Role
from kefu.core.models import Shop
from kefu.core.tests.factories import AssignmentFactory, MembershipFactory, ShopFactory, UserFactory
from kefu.core.tests.shop_fixtures import (  # noqa: F401 - fixtures, found by name
    agent_client,
    supervisor,
    supervisor_user,
)
from kefu.policy.services import policy_adopt_preset
from kefu.staff.models import Agent


@pytest.fixture
def shop() -> Shop:
    """A shop under S4.1 (taobao-s4-fines): day 08:00-17:30, night 16:00-01:00."""
    shop = ShopFactory()
    policy_adopt_preset(
        shop=shop, preset="taobao-s4-fines", effective_from=dt.date(2026, 1, 1), acting_user=None
    )
    return shop


@pytest.fixture
def agent(shop: Shop) -> Agent:
    user = UserFactory()
    MembershipFactory(shop=shop, user=user, role=Role.AGENT)
    return AssignmentFactory(shop=shop, agent__user=user, agent__name="小美").agent
