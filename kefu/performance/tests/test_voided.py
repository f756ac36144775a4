"""The supervisor's audit of withdrawn (voided) facts: the selector, the section of the month
page (team viewers only) and `GET /api/shops/{id}/facts/voided`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kefu.api.services import token_issue
from kefu.core.choices import Role
from kefu.core.models import Shop
from kefu.core.tests.factories import MembershipFactory
from kefu.performance.engine import Month
from kefu.performance.models import Fact
from kefu.performance.selectors import facts_voided_list
from kefu.performance.services import fact_record, facts_withdraw
from kefu.performance.tests.db import OCTOBER, Team, record, team
from kefu.performance.tests.support import local
from kefu.staff.models import Agent

pytestmark = pytest.mark.django_db

UTC = dt.UTC
BY_SUPERVISOR = dt.datetime(2026, 11, 2, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai
BY_SYSTEM = dt.datetime(2026, 11, 3, 2, 5, tzinfo=UTC)  # 10:05 in Shanghai
LATE_EVIDENCE = {"shift_label": "早班", "clause": "S4.1 §2 迟到"}
ABSENT_EVIDENCE = {"shift": "late_shift", "clause": "S4.1 §3 旷工"}


@dataclass
class World:
    t: Team
    late: Fact  # 小美's, withdrawn by the supervisor
    live: Fact  # 小丽's, in force
    absent: Fact  # 小丽's, withdrawn by the attendance job (no user)
    september: Fact  # withdrawn, but of another month
    foreign: Fact  # another shop's, withdrawn


def _withdraw(
    monkeypatch: pytest.MonkeyPatch,
    shop: Shop,
    ref: str,
    reason: str,
    at: dt.datetime,
    user: User | None = None,
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: at)
    facts_withdraw(shop=shop, source="attendance", refs=[ref], reason=reason, acting_user=user)


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> World:
    t = team()
    t.supervisor.first_name = "王芳"
    t.supervisor.save(update_fields=["first_name"])
    mei, li = t.agents
    late = record(t, mei, "late", 3, ref="shift:mei:3:in", minutes=25, evidence=LATE_EVIDENCE)
    live = record(t, li, "handover_missing", 4, ref="handover_missing:li:4")
    absent = record(t, li, "absenteeism", 6, ref="shift:li:6:day", evidence=ABSENT_EVIDENCE)
    september = fact_record(
        shop=t.shop,
        agent=mei,
        key="late",
        occurred_at=local(dt.date(2026, 9, 30), "09:10"),
        minutes=10,
        source="attendance",
        source_ref="shift:mei:930:in",
    )
    other = team()
    foreign = record(other, other.agents[0], "late", 3, ref="shift:x:in", minutes=5)
    _withdraw(monkeypatch, other.shop, "shift:x:in", "别的店撤销", BY_SUPERVISOR)
    _withdraw(monkeypatch, t.shop, "shift:mei:930:in", "九月的撤销", BY_SUPERVISOR)
    _withdraw(
        monkeypatch, t.shop, "shift:mei:3:in", "补登打卡后不再迟到", BY_SUPERVISOR, t.supervisor
    )
    _withdraw(monkeypatch, t.shop, "shift:li:6:day", "请假已批准（事后）", BY_SYSTEM)
    return World(t, late, live, absent, september, foreign)


def _rows(shop: Shop, month: Month, agent: Agent | None = None) -> list[tuple[object, ...]]:
    return [
        (
            r.id,
            r.agent.name,
            r.key,
            r.label,
            r.local_date,
            r.minutes,
            r.evidence,
            r.reason,
            r.voided_at,
            r.voided_by,
            r.by_system,
        )
        for r in facts_voided_list(shop=shop, month=month, agent=agent)
    ]


def test_the_months_voided_facts_of_the_shop_newest_withdrawal_first(world: World) -> None:
    t = world.t
    october = Month(2026, 10)
    absent_fact = (world.absent.pk, "小丽", "absenteeism", "旷工", dt.date(2026, 10, 6), None)
    absent = (
        *absent_fact,
        "late_shift · S4.1 §3 旷工",
        "请假已批准（事后）",
        BY_SYSTEM,
        None,
        True,
    )
    late_fact = (world.late.pk, "小美", "late", "迟到", dt.date(2026, 10, 3), 25)
    late = (
        *late_fact,
        "早班 · S4.1 §2 迟到",
        "补登打卡后不再迟到",
        BY_SUPERVISOR,
        t.supervisor,
        False,
    )
    assert _rows(t.shop, october) == [absent, late]
    assert _rows(t.shop, october, t.agents[0]) == [late]
    assert [r[0] for r in _rows(t.shop, Month(2026, 9))] == [world.september.pk]
    # Another shop's withdrawal is its own; the live fact is in no list.
    assert [r.id for r in facts_voided_list(shop=world.foreign.shop, month=october)] == [
        world.foreign.pk
    ]
    # Recording the reference again restores the fact: it leaves the list.
    record(t, t.agents[0], "late", 3, ref="shift:mei:3:in", minutes=4)
    assert _rows(t.shop, october) == [absent]
    assert list(Fact.objects.filter(shop=t.shop).order_by("id").values_list("pk", "minutes")) == [
        (world.late.pk, 4),
        (world.live.pk, None),
    ]


def _page(user: User, month: str, shop: Shop) -> str:
    client = Client()
    client.force_login(user)
    url = reverse("performance:month", kwargs={"shop_id": shop.pk})
    response = client.get(url, {"month": month})
    assert response.status_code == 200
    return response.content.decode()


def test_the_month_page_lists_them_for_the_supervisor_in_the_shops_time(world: World) -> None:
    html = _page(world.t.supervisor, OCTOBER, world.t.shop)
    assert "已撤销的事实" in html
    assert 'data-testid="voided-count">2</span>' in html
    absent_row = html.index(f'id="voided-fact-{world.absent.pk}"')
    late_row = html.index(f'id="voided-fact-{world.late.pk}"')
    assert absent_row < late_row  # newest withdrawal first
    absent_html, late_html = html[absent_row:late_row], html[late_row:]
    absent_texts = ("小丽", "旷工", "2026年10月6日", "late_shift · S4.1 §3 旷工")
    for text in (*absent_texts, "请假已批准（事后）"):
        assert text in absent_html
    assert "2026年11月3日 10:05" in absent_html and ">系统</span>" in absent_html
    for text in ("小美", "迟到", "2026年10月3日", "早班 · S4.1 §2 迟到", "补登打卡后不再迟到"):
        assert text in late_html
    assert "2026年11月2日 09:30" in late_html and "王芳" in late_html
    assert "九月的撤销" not in html and "别的店撤销" not in html
    empty = _page(world.t.supervisor, "2026-08", world.t.shop)
    assert 'data-testid="voided-count">0</span>' in empty
    assert "2026年8月没有撤销的事实" in empty


def test_an_agent_sees_no_withdrawn_facts_and_the_api_refuses(world: World) -> None:
    mei = world.t.agents[0]
    mei.user = MembershipFactory(shop=world.t.shop, role=Role.AGENT).user
    mei.save(update_fields=["user"])
    html = _page(mei.user, OCTOBER, world.t.shop)
    assert "已撤销的事实" not in html
    assert "补登打卡后不再迟到" not in html and "请假已批准（事后）" not in html
    api = Client(headers={"authorization": f"Bearer {token_issue(user=mei.user)}"})
    refused = api.get(f"/api/shops/{world.t.shop.pk}/facts/voided?month={OCTOBER}")
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "forbidden")


def test_the_api_lists_them_with_who_withdrew_them(world: World) -> None:
    t = world.t
    api = Client(headers={"authorization": f"Bearer {token_issue(user=t.supervisor)}"})
    base = f"/api/shops/{t.shop.pk}/facts/voided"
    body = api.get(f"{base}?month={OCTOBER}").json()
    assert (body["shop"], body["month"], body["count"]) == (t.shop.pk, OCTOBER, 2)
    assert body["facts"] == [
        {
            "id": world.absent.pk,
            "agent_id": t.agents[1].pk,
            "agent": "小丽",
            "key": "absenteeism",
            "label": "旷工",
            "local_date": "2026-10-06",
            "occurred_at": "2026-10-06T02:00:00Z",
            "quantity": 1,
            "minutes": None,
            "source": "attendance",
            "source_ref": "shift:li:6:day",
            "evidence": "late_shift · S4.1 §3 旷工",
            "note": "",
            "reason": "请假已批准（事后）",
            "voided_at": "2026-11-03T02:05:00Z",
            "voided_by": None,
            "by_system": True,
        },
        {
            "id": world.late.pk,
            "agent_id": t.agents[0].pk,
            "agent": "小美",
            "key": "late",
            "label": "迟到",
            "local_date": "2026-10-03",
            "occurred_at": "2026-10-03T02:00:00Z",
            "quantity": 1,
            "minutes": 25,
            "source": "attendance",
            "source_ref": "shift:mei:3:in",
            "evidence": "早班 · S4.1 §2 迟到",
            "note": "",
            "reason": "补登打卡后不再迟到",
            "voided_at": "2026-11-02T01:30:00Z",
            "voided_by": t.supervisor.username,
            "by_system": False,
        },
    ]
    one = api.get(f"{base}?month={OCTOBER}&agent={t.agents[0].pk}").json()
    assert [f["id"] for f in one["facts"]] == [world.late.pk]
    # No month: the last full month in the shop's zone (the clock says 3 November).
    assert api.get(base).json()["month"] == OCTOBER
    september = api.get(f"{base}?month=2026-09").json()
    assert [(f["id"], f["reason"]) for f in september["facts"]] == [
        (world.september.pk, "九月的撤销")
    ]
    foreign_agent = api.get(f"{base}?agent={world.foreign.agent_id}")
    assert (foreign_agent.status_code, foreign_agent.json()["error"]["code"]) == (
        404,
        "not_found",
    )
    bad = api.get(f"{base}?month=2026-13")
    assert bad.status_code == 422
    assert bad.json()["error"]["message"] == "月份格式应为 YYYY-MM，例如 2026-10；收到 '2026-13'"
