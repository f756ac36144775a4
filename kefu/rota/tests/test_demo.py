"""The demo rosters: this month's and next month's, published."""

from __future__ import annotations

import datetime as dt

import pytest

from kefu.rota.choices import RosterStatus
from kefu.rota.demo import roster_demo_publish
from kefu.rota.models import RosterShift
from kefu.rota.tests.helpers import team

pytestmark = pytest.mark.django_db


def test_demo_publishes_two_months(shop) -> None:  # type: ignore[no-untyped-def]
    team(shop, 4)
    rosters = roster_demo_publish(shop=shop, today=dt.date(2026, 11, 23))
    assert [(r.month, r.status) for r in rosters] == [
        ("2026-11", RosterStatus.PUBLISHED),
        ("2026-12", RosterStatus.PUBLISHED),
    ]
    assert RosterShift.objects.filter(roster=rosters[1]).count() == 4 * 28
