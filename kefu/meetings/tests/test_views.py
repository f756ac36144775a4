"""The meetings pages: supervisor and agent flows through the views."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from kefu.core.models import Shop
from kefu.meetings import services
from kefu.meetings.choices import ActionStatus, DutyStatus, IncidentStatus
from kefu.meetings.models import DutyAssignment, Incident, Meeting
from kefu.meetings.tests.conftest import SHANGHAI
from kefu.performance.models import Fact
from kefu.staff.models import Agent

pytestmark = pytest.mark.django_db


def _url(shop: Shop, name: str, **kwargs: int) -> str:
    return reverse(f"meetings:{name}", kwargs={"shop_id": shop.pk, **kwargs})


def _messages(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def test_the_supervisor_generates_and_runs_a_meeting(
    shop: Shop,
    supervisor: Client,
    agents: list[Agent],
    set_now: Callable[[dt.datetime], None],
) -> None:
    page = supervisor.get(_url(shop, "list"))
    assert page.status_code == 200
    assert "每周日 14:30（S4.2 ch.4 §1.5 每周日下午14:30部门例会）" in page.content.decode()
    response = supervisor.post(_url(shop, "generate"), {"weeks": "2"})
    assert _messages(response) == ["已安排 2 次例会"]
    past = supervisor.post(_url(shop, "schedule"), {"starts_at": "2026-03-01T14:30"})
    assert _messages(past)[-1:] == [
        "例会时间 2026-03-01 14:30 已经过去：只能安排今后的例会（过去的会议不能补排）"
    ]
    meeting = Meeting.objects.get(local_date=dt.date(2026, 3, 8))
    detail = supervisor.get(_url(shop, "meeting", meeting_id=meeting.pk))
    assert "3月8日部门例会" in detail.content.decode()
    weekly = reverse("weekly:report", kwargs={"shop_id": shop.pk}) + "?week=2026-03-01"
    assert f'href="{weekly}"' in detail.content.decode()
    supervisor.post(_url(shop, "agenda_add", meeting_id=meeting.pk), {"text": "议价话术"})
    set_now(dt.datetime(2026, 3, 8, 15, 0, tzinfo=SHANGHAI))
    supervisor.post(
        _url(shop, "attendance", meeting_id=meeting.pk),
        {"agent": agents[2].pk, "status": "absent", "note": ""},
    )
    assert Fact.objects.get().key == "meeting_missed"
    supervisor.post(_url(shop, "minutes", meeting_id=meeting.pk), {"minutes": "纪要"})
    supervisor.post(
        _url(shop, "action_add", meeting_id=meeting.pk),
        {"text": "更新快捷短语", "agent": agents[0].pk, "due_date": "2026-03-10"},
    )
    meeting.refresh_from_db()
    assert (meeting.minutes, [a.text for a in meeting.agenda.all()]) == ("纪要", ["议价话术"])
    assert meeting.actions.get().agent == agents[0]
    bad = supervisor.post(
        _url(shop, "action_add", meeting_id=meeting.pk),
        {"text": "x", "agent": "999999", "due_date": "2026-03-10"},
    )
    assert _messages(bad)[-1:] == ["请选择本店在岗客服"]


def test_an_agent_closes_only_their_own_action_items(
    shop: Shop,
    agent_client: Client,
    agents: list[Agent],
    set_now: Callable[[dt.datetime], None],
) -> None:
    meeting = services.meeting_schedule(
        shop=shop, starts_at=dt.datetime(2026, 3, 5, 9, 0, tzinfo=SHANGHAI), acting_user=None
    )
    mine = services.action_add(
        shop=shop,
        meeting=meeting,
        text="更新快捷短语",
        agent=agents[0],
        due_date=dt.date(2026, 3, 9),
        acting_user=None,
    )
    theirs = services.action_add(
        shop=shop,
        meeting=meeting,
        text="整理差评",
        agent=agents[1],
        due_date=dt.date(2026, 3, 9),
        acting_user=None,
    )
    page = agent_client.get(_url(shop, "list"))
    assert "更新快捷短语" in page.content.decode()
    assert "整理差评" not in page.content.decode()
    agent_client.post(_url(shop, "action_done", action_id=mine.pk), {"done": "1"})
    refused = agent_client.post(_url(shop, "action_done", action_id=theirs.pk), {"done": "1"})
    assert _messages(refused) == ["只能更新分配给自己的待办"]
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == (ActionStatus.DONE, ActionStatus.OPEN)
    # Supervisor-only writes are forbidden to agents.
    assert agent_client.post(_url(shop, "generate"), {"weeks": "1"}).status_code == 403
    assert agent_client.post(_url(shop, "duty_generate")).status_code == 403


def test_the_duty_rota_through_the_pages(
    shop: Shop, supervisor: Client, agent_client: Client, agents: list[Agent]
) -> None:
    response = supervisor.post(_url(shop, "duty_generate"), {"month": "2026-03"})
    assert response["Location"] == _url(shop, "duty") + "?month=2026-03"
    assert _messages(response) == ["已排 56 次值日"]
    page = supervisor.get(_url(shop, "duty") + "?month=2026-03")
    assert page.status_code == 200
    today = DutyAssignment.objects.get(local_date=dt.date(2026, 3, 4), task_key="office_morning")
    assert today.agent.name == "小兰"
    # 小美 (the agent client) is on the closing-up duty today.
    closing = DutyAssignment.objects.get(local_date=dt.date(2026, 3, 4), task_key="closing_up")
    assert closing.agent == agents[0]
    refused = agent_client.post(_url(shop, "duty_confirm", duty_id=today.pk))
    assert _messages(refused) == ["只有当天值日的人可以确认"]
    agent_client.post(_url(shop, "duty_confirm", duty_id=closing.pk))
    closing.refresh_from_db()
    assert closing.status == DutyStatus.CONFIRMED
    supervisor.post(
        _url(shop, "duty_finding", duty_id=closing.pk),
        {"kind": "lights", "note": "22:40 空调未关"},
    )
    fact = Fact.objects.get()
    assert (fact.key, fact.agent, fact.evidence["confirmed_by_agent"]) == (
        "lights_left_on",
        agents[0],
        True,
    )
    sixth = {
        d.task_key: d.agent.name
        for d in DutyAssignment.objects.filter(local_date=dt.date(2026, 3, 6))
    }
    seventh = {
        d.task_key: d.agent.name
        for d in DutyAssignment.objects.filter(local_date=dt.date(2026, 3, 7))
    }
    assert (sixth, seventh) == (
        {"office_morning": "小美", "closing_up": "阿杰"},
        {"office_morning": "小兰", "closing_up": "小美"},
    )
    first = DutyAssignment.objects.get(local_date=dt.date(2026, 3, 6), task_key="closing_up")
    second = DutyAssignment.objects.get(local_date=dt.date(2026, 3, 7), task_key="office_morning")
    swapped = supervisor.post(_url(shop, "duty_swap", duty_id=first.pk), {"other": second.pk})
    assert _messages(swapped)[-1:] == ["已换班"]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.agent.name, second.agent.name) == ("小兰", "阿杰")


def test_incidents_are_logged_and_reported(
    shop: Shop, supervisor: Client, agent_client: Client
) -> None:
    response = agent_client.post(
        _url(shop, "incidents"),
        {
            "occurred_at": "2026-03-04T09:10",
            "place": "客服部",
            "symptom": "千牛掉线",
            "plan": "手机千牛接待",
        },
    )
    incident = Incident.objects.get()
    assert response["Location"] == _url(shop, "incident", incident_id=incident.pk)
    assert incident.occurred_at == dt.datetime(2026, 3, 4, 9, 10, tzinfo=SHANGHAI)
    assert agent_client.get(_url(shop, "incidents")).status_code == 200
    refused = agent_client.post(
        _url(shop, "incident", incident_id=incident.pk),
        {"impact": "a", "cause": "b", "corrective_action": "c"},
    )
    assert _messages(refused) == ["故障报告由主管填写"]
    supervisor.post(
        _url(shop, "incident", incident_id=incident.pk),
        {"impact": "12 位买家等待", "cause": "路由器故障", "corrective_action": "备用路由器"},
    )
    incident.refresh_from_db()
    assert (incident.status, incident.corrective_action) == (IncidentStatus.CLOSED, "备用路由器")
    page = supervisor.get(_url(shop, "incident", incident_id=incident.pk))
    assert "路由器故障" in page.content.decode()
