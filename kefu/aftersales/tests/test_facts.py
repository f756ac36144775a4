"""A case resolved with the agent at fault writes one fact for points and payroll, the case as
evidence; other parties write none."""

from __future__ import annotations

import datetime as dt

import pytest

from kefu.aftersales import services
from kefu.aftersales.models import Case
from kefu.aftersales.tests.conftest import OPENED
from kefu.performance.models import Fact

pytestmark = pytest.mark.django_db


def later(hours: float) -> dt.datetime:
    return OPENED + dt.timedelta(hours=hours)


def resolve(shop, agent, party: str, resolution: str, nick: str) -> Case:  # type: ignore[no-untyped-def]
    case = services.case_open(
        shop=shop, type="service_unhappy", buyer_nick=nick, agent=agent, acting_user=None,
        now=OPENED,
    )  # fmt: skip
    services.case_step_done(shop=shop, case=case, index=0, acting_user=None, now=later(1))
    services.case_chat_read(shop=shop, case=case, acting_user=None, now=later(1))
    services.case_fault_record(
        shop=shop, case=case, party=party, note="回复生硬，买家要求退货", acting_user=None
    )
    return services.case_resolve(
        shop=shop, case=case, resolution=resolution, acting_user=None, now=later(20)
    )


def test_a_return_caused_by_service_is_a_fact_once(shop, agent) -> None:
    case = resolve(shop, agent, "staff", "return", "乙")
    fact = Fact.objects.get()
    assert (fact.agent, fact.key, fact.occurred_at, fact.local_date) == (
        agent,
        "return_poor_service",
        later(20),
        dt.date(2026, 3, 3),
    )
    assert (fact.source, fact.source_ref) == ("aftersales", f"case:{case.pk}:staff_fault")
    assert fact.evidence == {
        "case_id": case.pk,
        "type": "service_unhappy",
        "order_no": "",
        "buyer": "乙",
        "resolution": "return",
        "fault_note": "回复生硬，买家要求退货",
        "opened_at": OPENED.isoformat(),
        "resolved_at": later(20).isoformat(),
    }
    # Recording again (a retried job, a second call) changes nothing.
    assert services.case_fault_fact(shop=shop, case=case, acting_user=None) == fact
    assert Fact.objects.count() == 1


def test_other_resolutions_and_parties(shop, agent) -> None:
    resolve(shop, agent, "staff", "compensation", "丙")
    resolve(shop, agent, "product", "return", "丁")
    resolve(shop, agent, "buyer", "exchange", "戊")
    assert list(Fact.objects.values_list("key", "evidence__buyer")) == [
        ("aftersales_staff_fault", "丙")
    ]


def test_no_agent_on_the_case_no_fact(shop) -> None:
    resolve(shop, None, "staff", "return", "己")
    assert not Fact.objects.exists()
