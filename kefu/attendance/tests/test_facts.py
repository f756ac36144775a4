"""Classified shifts become facts with their evidence, from the published roster (kefu.rota's
tables) and the stored punches; and the month page shows them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from kefu.attendance.models import Punch
from kefu.attendance.services import attendance_days_close, attendance_facts_record, punch_clock
from kefu.attendance.tests.support import (
    agent_in,
    at,
    days,
    freeze,
    machine_punch,
    publish,
    shop_under,
)
from kefu.core.choices import Role
from kefu.core.tests.factories import MembershipFactory, UserFactory
from kefu.performance.models import Fact
from kefu.rota.choices import RequestKind, RequestStatus
from kefu.rota.models import Request

pytestmark = pytest.mark.django_db


def facts() -> list[tuple[str, str, str, int | None]]:
    return [
        (f.agent.name, f.local_date.isoformat(), f.key, f.minutes)
        for f in Fact.objects.select_related("agent").order_by("occurred_at", "id")
    ]


def test_a_month_of_s4_1_shifts_becomes_facts_with_their_evidence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    freeze(monkeypatch, at(1, 9, month=2))
    shop = shop_under("taobao-s4-fines")
    mei = agent_in(shop, "小美")
    qiang = agent_in(shop, "阿强")
    publish(
        shop, {(mei, d): "day" for d in days(5, 6, 7)} | {(qiang, d): "night" for d in days(5, 6)}
    )
    for when in (at(5, 8, 7), at(5, 17, 30), at(6, 8), at(6, 17, 10)):
        machine_punch(shop, mei, when)
    # 小美 on the 7th: no punch, no leave. 阿强: the night of the 5th ends at 01:00 on the 6th.
    for when in (at(5, 15, 55), at(6, 1, 3), at(6, 16, 0), at(7, 0, 50)):
        machine_punch(shop, qiang, when)
    count = attendance_facts_record(shop=shop, day=dt.date(2026, 1, 31))
    assert count == 4
    assert facts() == [
        ("小美", "2026-01-05", "late", 7),
        ("小美", "2026-01-06", "early_leave", 20),
        ("阿强", "2026-01-06", "early_leave", 10),
        ("小美", "2026-01-07", "absenteeism", None),
    ]
    late = Fact.objects.get(key="late")
    assert late.source == "attendance"
    assert late.source_ref == f"shift:{mei.pk}:2026-01-05:day:in"
    assert late.evidence["late_minutes"] == 7
    assert late.evidence["clause"] == "S4.1 §7；超过30分钟按缺勤 S3 §3(2)（借用）"
    assert late.evidence["shift"] == "day"
    assert late.evidence["starts_at"] == "2026-01-05T08:00:00+08:00"
    assert [p["at"] for p in late.evidence["punches"]] == [
        "2026-01-05T08:07:00+08:00",
        "2026-01-05T17:30:00+08:00",
    ]
    night = Fact.objects.get(agent=qiang)
    assert night.occurred_at == at(7, 0, 50)  # after midnight, but the 6th's shift
    # Idempotent: again, nothing new.
    assert attendance_facts_record(shop=shop, day=dt.date(2026, 1, 31)) == 4
    assert Fact.objects.count() == 4


def test_full_attendance_is_a_fact_at_the_end_of_the_month(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch, at(1, 9, month=2))
    shop = shop_under("taobao-s1")
    mei = agent_in(shop, "小美")
    qiang = agent_in(shop, "阿强")
    publish(shop, {(mei, d): "day" for d in days(5)} | {(qiang, d): "day" for d in days(5)})
    for who, late in ((mei, 0), (qiang, 5)):
        punch_clock(shop=shop, agent=who, direction="in", acting_user=None, at=at(5, 8, late))
        punch_clock(shop=shop, agent=who, direction="out", acting_user=None, at=at(5, 17, 30))
    attendance_days_close(shop=shop, on=dt.date(2026, 2, 1))
    assert facts() == [
        ("阿强", "2026-01-05", "late", 5),
        ("小美", "2026-01-31", "full_attendance", None),
    ]
    full = Fact.objects.get(key="full_attendance")
    assert full.source_ref == f"month:{mei.pk}:2026-01:full"
    assert full.evidence["shifts"] == 1
    # 阿强's five minutes are excused by S1's grace, yet he has no full attendance.
    assert Fact.objects.get(key="late").evidence["excused_by_grace"] is True


def test_approved_leave_excuses_the_shift_but_not_full_attendance(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    freeze(monkeypatch, at(1, 9, month=2))
    shop = shop_under("pdd-s3")
    mei = agent_in(shop, "小美")
    publish(shop, {(mei, d): "day" for d in days(5, 6)})
    Request.objects.create(
        shop=shop, kind=RequestKind.LEAVE, agent=mei, start_date=dt.date(2026, 1, 5),
        end_date=dt.date(2026, 1, 6), status=RequestStatus.APPROVED, over_allowance=1,
    )  # fmt: skip
    attendance_facts_record(shop=shop, day=dt.date(2026, 1, 31))
    # The second leave day is beyond S3's swap allowance: an absence.
    assert facts() == [("小美", "2026-01-06", "absence", None)]
    assert Fact.objects.get().evidence["reason"] == "leave_over_allowance"


def test_pending_shifts_give_no_fact_until_their_window_closes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    freeze(monkeypatch, at(5, 20))
    shop = shop_under("taobao-s1")
    mei = agent_in(shop, "小美")
    publish(shop, {(mei, d): "day" for d in days(5)})
    assert attendance_facts_record(shop=shop, day=dt.date(2026, 1, 5)) == 0
    freeze(monkeypatch, at(5, 21, 31))
    assert attendance_facts_record(shop=shop, day=dt.date(2026, 1, 5)) == 1
    assert facts() == [("小美", "2026-01-05", "absenteeism", None)]


def test_the_month_page_for_the_supervisor_and_the_agent(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch, at(20, 12))
    shop = shop_under("taobao-s1")
    user = UserFactory()
    MembershipFactory(shop=shop, user=user, role=Role.AGENT)
    mei = agent_in(shop, "小美", agent__user=user)
    qiang = agent_in(shop, "阿强")
    publish(shop, {(mei, d): "day" for d in days(5)} | {(qiang, d): "day" for d in days(5)})
    punch_clock(shop=shop, agent=mei, direction="in", acting_user=None, at=at(5, 8, 4))
    punch_clock(shop=shop, agent=mei, direction="out", acting_user=None, at=at(5, 17, 30))
    boss = Client()
    boss.force_login(MembershipFactory(shop=shop, role=Role.SUPERVISOR).user)
    page = boss.get(f"/s/{shop.pk}/attendance/?month=2026-01").content.decode()
    assert page.count('data-testid="attendance-row"') == 2
    assert 'data-status="late"' in page and 'data-status="absenteeism"' in page
    assert ">4*" in page.replace("\n", "").replace(" ", "")  # 4 minutes, excused
    response = boss.post(f"/s/{shop.pk}/attendance/facts/?month=2026-01")
    assert response.status_code == 302
    assert facts() == [  # in time order: 阿强's shift started at 08:00, 小美 came at 08:04
        ("阿强", "2026-01-05", "absenteeism", None),
        ("小美", "2026-01-05", "late", 4),
    ]
    own = Client()
    own.force_login(user)
    page = own.get(f"/s/{shop.pk}/attendance/?month=2026-01").content.decode()
    assert page.count('data-testid="attendance-row"') == 1
    assert "阿强" not in page
    # The agent clocks in through the button.
    freeze(monkeypatch, at(20, 7, 58))
    response = own.post(f"/s/{shop.pk}/attendance/clock/", {"direction": "in"})
    assert response.status_code == 302
    latest = Punch.objects.order_by("-at").first()
    assert (latest.agent_id, latest.at, latest.direction) == (mei.pk, at(20, 7, 58), "in")  # type: ignore[union-attr]
    # Agents cannot import or record facts.
    assert own.get(f"/s/{shop.pk}/attendance/import/").status_code == 403
    assert own.post(f"/s/{shop.pk}/attendance/facts/").status_code == 403


def test_the_import_page_shows_the_error_and_saves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    freeze(monkeypatch, at(20, 12))
    shop = shop_under("taobao-s1")
    boss = Client()
    boss.force_login(MembershipFactory(shop=shop, role=Role.SUPERVISOR).user)
    upload = SimpleUploadedFile("a.csv", "工号,打卡时间\n77,2026-01-05 08:00\n".encode())
    page = boss.post(f"/s/{shop.pk}/attendance/import/", {"file": upload}).content.decode()
    assert "a.csv 第 2 行「工号」列：未知的考勤工号 &#x27;77&#x27;" in page
