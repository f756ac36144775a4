from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from kefu.core.choices import Role
from kefu.core.tests.factories import AgentFactory, AssignmentFactory, MembershipFactory
from kefu.performance.closing import month_close
from kefu.performance.models import FineEntry, Incident, MonthClose, Recommendation
from kefu.performance.tests.db import OCTOBER, record, team

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(t, name: str) -> str:
    return reverse(f"performance:{name}", kwargs={"shop_id": t.shop.pk})


def test_supervisor_records_an_incident_with_points_in_the_range():
    t = team("taobao-s4-points")
    client = _client(t.supervisor)
    page = client.get(_url(t, "incidents"))
    assert page.status_code == 200
    assert "迟到或早退" in page.content.decode()
    response = client.post(
        _url(t, "incident_add"),
        {
            "agent": t.agents[0].pk,
            "item": "late_or_early",
            "occurred_at": "2026-10-09T09:20",
            "points": "3",
            "note": "迟到 20 分钟",
        },
        follow=True,
    )
    incident = Incident.objects.get()
    assert (incident.agent, incident.points, incident.note) == (
        t.agents[0],
        Decimal(3),
        "迟到 20 分钟",
    )
    assert "已记录：小美 · 迟到或早退" in response.content.decode()


def test_incident_form_errors_are_shown_and_nothing_is_recorded():
    t = team("taobao-s4-points")
    stranger = AssignmentFactory(agent=AgentFactory(name="阿强")).agent
    client = _client(t.supervisor)
    out_of_range = client.post(
        _url(t, "incident_add"),
        {
            "agent": t.agents[0].pk,
            "item": "late_or_early",
            "occurred_at": "2026-10-09T09:20",
            "points": "9",
        },
        follow=True,
    )
    assert "「迟到或早退」的分值须在 2-5 之间，收到 9" in out_of_range.content.decode()
    not_ours = client.post(
        _url(t, "incident_add"),
        {"agent": stranger.pk, "item": "messy_desk", "occurred_at": "2026-10-09T09:20"},
        follow=True,
    )
    assert "客服「阿强」不在店铺" in not_ours.content.decode()
    assert Incident.objects.count() == 0


def test_close_from_the_page_and_an_agent_sees_only_own_lines():
    t = team()
    xiaomei, xiaoli = t.agents
    xiaomei.user = MembershipFactory(shop=t.shop, role=Role.AGENT).user
    xiaomei.save()
    record(t, xiaomei, "handover_missing", 3)
    record(t, xiaoli, "secrecy_breach", 4)
    client = _client(t.supervisor)
    client.post(_url(t, "close"), {"month": OCTOBER})
    assert MonthClose.objects.get().month == OCTOBER
    record(t, xiaoli, "cleaning_not_done", 5)
    client.post(_url(t, "close"), {"month": OCTOBER, "correction": "1"})
    again = client.post(_url(t, "close"), {"month": OCTOBER}, follow=True)
    assert "2026年10月已结算；如需更改，请做更正结算" in again.content.decode()
    assert MonthClose.objects.count() == 2
    html = client.get(_url(t, "month"), {"month": OCTOBER}).content.decode()
    assert "¥150.00" in html and "¥30.00" in html
    assert "小丽 · 罚款 ¥50.00 — 本月第1次值日卫生未完成" in html  # the correction's difference
    agent_html = _client(xiaomei.user).get(_url(t, "month"), {"month": OCTOBER}).content.decode()
    assert "¥30.00" in agent_html
    assert 'id="fact-' in agent_html and "交接本未填写" in agent_html
    assert "泄露公司秘密" not in agent_html  # 小丽's fact
    assert "¥150.00" not in agent_html
    assert "小丽" not in agent_html
    assert _client(xiaomei.user).post(_url(t, "close"), {"month": OCTOBER}).status_code == 403
    assert FineEntry.objects.count() == 3
    assert MonthClose.objects.count() == 2


def test_recommendation_is_decided_from_the_page():
    t = team()
    for day in (3, 4, 5, 6):
        record(t, t.agents[0], "handover_missing", day)
    month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    rec = Recommendation.objects.get()
    client = _client(t.supervisor)
    client.post(_url(t, "recommendation_decide"), {"recommendation": rec.pk, "decision": "accept"})
    rec.refresh_from_db()
    assert (rec.status, rec.decided_by) == ("accepted", t.supervisor)
    other = team()
    foreign = _client(other.supervisor).post(
        reverse("performance:recommendation_decide", kwargs={"shop_id": other.shop.pk}),
        {"recommendation": rec.pk, "decision": "dismiss"},
    )
    assert foreign.status_code == 404


def test_whatif_compares_the_month_under_another_preset_and_writes_nothing():
    t = team()
    record(t, t.agents[0], "handover_missing", 3)
    record(t, t.agents[0], "handover_missing", 4)
    client = _client(t.supervisor)
    html = client.get(_url(t, "whatif"), {"month": OCTOBER, "preset": "taobao-s4-points"})
    page = html.content.decode()
    assert html.status_code == 200
    assert "淘宝客服管理制度+奖金（积分制）" in page
    from kefu.performance.engine import Month
    from kefu.performance.whatif import month_whatif

    result = month_whatif(shop=t.shop, month=Month(2026, 10), preset="taobao-s4-points")
    row = next(r for r in result.rows if r.agent == t.agents[0])
    # S4.1 fines 30 + 50; S4.5 deducts 5 points per missing handover and fines nothing.
    assert (row.fines_now, row.fines_then) == (Decimal(80), Decimal(0))
    assert (row.score_now, row.score_then) == (Decimal(100), Decimal(95))
    assert MonthClose.objects.count() == 0 and FineEntry.objects.count() == 0
    unknown = client.get(_url(t, "whatif"), {"month": OCTOBER, "preset": "nope"}).content.decode()
    assert "没有名为 &#x27;nope&#x27; 的制度模板" in unknown
