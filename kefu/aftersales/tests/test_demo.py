"""The demo shop's after-sales seed: one case per type, the ledger with a signature and a
reversal, and a second run that adds nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kefu.aftersales import selectors
from kefu.aftersales.demo import aftersales_demo_seed
from kefu.aftersales.models import Case, Payment
from kefu.core.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)


def test_the_demo_seed(shop, agent, other_agent) -> None:  # type: ignore[no-untyped-def]
    MembershipFactory(shop=shop, role="finance")
    aftersales_demo_seed(shop=shop, today=TODAY)
    cases = Case.objects.filter(shop=shop)
    assert sorted(cases.values_list("type", "status")) == [
        ("damaged_in_transit", "open"),
        ("late_delivery", "open"),
        ("missing_items", "resolved"),
        ("not_as_expected", "open"),
        ("quality_problem", "resolved"),
        ("service_unhappy", "in_progress"),
    ]
    now = dt.datetime.combine(TODAY, dt.time(18), tzinfo=shop.tzinfo)
    assert [c.buyer_nick for c in selectors.cases_overdue(shop=shop, now=now)] == ["jd_王先生"]
    assert list(Payment.objects.filter(shop=shop).order_by("id").values_list("note", "amount")) == [
        ("删除中评_慧兰", Decimal("5.00")),
        ("补偿运费_小美", Decimal("12.00")),
        ("冲销：买家已由平台退运费_小美", Decimal("-12.00")),
    ]
    assert Payment.objects.filter(shop=shop, signed_at__isnull=False).count() == 1
    aftersales_demo_seed(shop=shop, today=TODAY)
    assert Case.objects.filter(shop=shop).count() == 6
