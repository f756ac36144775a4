"""The incident log (S1): time, place, symptom and plan, then the fault report."""

from __future__ import annotations

import datetime as dt

import pytest

from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.meetings import incidents
from kefu.meetings.choices import IncidentStatus
from kefu.meetings.tests.conftest import SHANGHAI

pytestmark = pytest.mark.django_db


def test_an_incident_and_its_fault_report(shop: Shop) -> None:
    with pytest.raises(InvalidInput) as caught:
        incidents.incident_record(
            shop=shop,
            occurred_at=dt.datetime(2026, 3, 4, 9, 10, tzinfo=SHANGHAI),
            place=" ",
            symptom="",
            plan="改用手机千牛",
            acting_user=None,
        )
    assert caught.value.message == "请填写：地点、现象"
    with pytest.raises(InvalidInput, match="发生时间不能晚于现在"):
        incidents.incident_record(
            shop=shop,
            occurred_at=dt.datetime(2026, 3, 4, 12, 0, tzinfo=SHANGHAI),
            place="客服部",
            symptom="断网",
            plan="手机热点",
            acting_user=None,
        )
    incident = incidents.incident_record(
        shop=shop,
        occurred_at=dt.datetime(2026, 3, 4, 9, 10),  # naive: the shop's zone
        place="客服部办公室",
        symptom="千牛全部掉线，买家消息无法接收",
        plan="改用手机千牛接待，联系网管",
        acting_user=None,
    )
    assert incident.occurred_at == dt.datetime(2026, 3, 4, 1, 10, tzinfo=dt.UTC)
    assert incident.status == IncidentStatus.OPEN
    with pytest.raises(InvalidInput, match="请填写：纠正措施"):
        incidents.incident_report(
            shop=shop,
            incident=incident,
            impact="40 分钟未能接待",
            cause="路由器故障",
            corrective_action="",
            acting_user=None,
        )
    incidents.incident_report(
        shop=shop,
        incident=incident,
        impact="40 分钟内 12 位买家等待超过 2 分钟",
        cause="路由器电源故障",
        corrective_action="备用 4G 路由器放在主管桌上",
        acting_user=None,
    )
    incident.refresh_from_db()
    assert (incident.status, incident.cause, incident.report_at) == (
        IncidentStatus.CLOSED,
        "路由器电源故障",
        dt.datetime(2026, 3, 4, 2, 0, tzinfo=dt.UTC),
    )
    with pytest.raises(InvalidInput, match="这起事件已经有故障报告"):
        incidents.incident_report(
            shop=shop,
            incident=incident,
            impact="x",
            cause="x",
            corrective_action="x",
            acting_user=None,
        )
