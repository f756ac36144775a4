from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kefu.core.errors import InvalidInput
from kefu.core.models import AuditEntry
from kefu.core.tests.factories import AgentFactory, AssignmentFactory
from kefu.performance.models import Fact, Incident
from kefu.performance.services import incident_record
from kefu.performance.tests.db import record, team
from kefu.performance.tests.support import local

pytestmark = pytest.mark.django_db
DAY = local(dt.date(2026, 10, 9), "15:00")


def test_fact_record_is_idempotent_on_source_ref():
    t = team()
    first = record(t, t.agents[0], "handover_missing", 3, ref="punch-17", minutes=None)
    again = record(t, t.agents[0], "handover_missing", 3, ref="punch-17")
    assert again.pk == first.pk
    assert Fact.objects.filter(shop=t.shop).count() == 1
    assert first.local_date == dt.date(2026, 10, 3)
    assert first.source == "attendance"


def test_fact_record_refuses_an_unknown_key():
    t = team()
    with pytest.raises(InvalidInput, match="未知的事实代码 'nap'"):
        record(t, t.agents[0], "nap", 3)
    assert Fact.objects.count() == 0


def test_incident_in_a_range_takes_the_chosen_points():
    t = team("taobao-s4-points")
    incident = incident_record(
        shop=t.shop,
        agent=t.agents[0],
        item="late_or_early",
        occurred_at=DAY,
        points=Decimal(4),
        note="迟到 12 分钟",
        acting_user=t.supervisor,
    )
    assert (incident.points, incident.clause, incident.local_date) == (
        Decimal(4),
        "S4.5 轻度4",
        dt.date(2026, 10, 9),
    )
    assert AuditEntry.objects.filter(action="incident.record", object_id=str(incident.pk)).exists()


@pytest.mark.parametrize(
    ("points", "message"),
    [
        (Decimal(6), "「迟到或早退」的分值须在 2-5 之间，收到 6"),
        (None, "「迟到或早退」是 2-5 分的范围：请选择分值"),
    ],
)
def test_incident_points_outside_the_range_are_refused(points, message):
    t = team("taobao-s4-points")
    with pytest.raises(InvalidInput) as caught:
        incident_record(
            shop=t.shop,
            agent=t.agents[0],
            item="late_or_early",
            occurred_at=DAY,
            points=points,
            acting_user=t.supervisor,
        )
    assert caught.value.message == message
    assert Incident.objects.count() == 0


def test_incident_for_an_agent_not_on_the_shop_is_refused():
    t = team("taobao-s4-points")
    stranger = AssignmentFactory(agent=AgentFactory(name="阿强")).agent
    with pytest.raises(InvalidInput) as caught:
        incident_record(
            shop=t.shop,
            agent=stranger,
            item="messy_desk",
            occurred_at=DAY,
            acting_user=t.supervisor,
        )
    assert caught.value.message == f"客服「阿强」不在店铺「{t.shop.name}」：只能给本店客服记录"
    assert Incident.objects.count() == 0


def test_incident_not_in_the_catalogue_is_refused():
    t = team("taobao-s1")
    with pytest.raises(InvalidInput, match="本店制度的奖惩目录里没有"):
        incident_record(
            shop=t.shop,
            agent=t.agents[0],
            item="messy_desk",
            occurred_at=DAY,
            acting_user=t.supervisor,
        )
