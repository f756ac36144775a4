"""Facts are withdrawn when the shifts no longer produce them: punches imported after the facts
were written, leave approved after the day, a changed lateness; and restored when they come
back. The performance app's readers (the month close) no longer see a withdrawn fact."""

from __future__ import annotations

import datetime as dt

import pytest

from kefu.attendance.models import Punch
from kefu.attendance.services import attendance_facts_record
from kefu.attendance.tests.support import (
    agent_in,
    at,
    days,
    freeze,
    machine_punch,
    publish,
    shop_under,
)
from kefu.core.models import AuditEntry
from kefu.performance.models import Fact
from kefu.performance.services import facts_withdraw
from kefu.rota.choices import RequestKind, RequestStatus
from kefu.rota.models import Request

pytestmark = pytest.mark.django_db


def live() -> list[tuple[str, str, int | None]]:
    return [
        (f.local_date.isoformat(), f.key, f.minutes) for f in Fact.objects.order_by("local_date")
    ]


def voided() -> list[tuple[str, str, str]]:
    rows = Fact.all_objects.filter(voided_at__isnull=False).order_by("local_date", "id")
    return [(f.local_date.isoformat(), f.key, f.void_reason) for f in rows]


def test_late_punches_withdraw_the_absenteeism_and_change_a_lateness(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    freeze(monkeypatch, at(10, 9))
    shop = shop_under("taobao-s4-fines")
    mei = agent_in(shop, "小美")
    publish(shop, {(mei, d): "day" for d in days(5, 6)})
    machine_punch(shop, mei, at(5, 8, 25))
    machine_punch(shop, mei, at(5, 17, 30))
    assert attendance_facts_record(shop=shop, day=dt.date(2026, 1, 9)) == 2
    assert live() == [("2026-01-05", "late", 25), ("2026-01-06", "absenteeism", None)]
    absent = Fact.objects.get(key="absenteeism")

    # The punch-machine file arrives: the 6th was worked, and the 5th had an earlier punch.
    machine_punch(shop, mei, at(6, 7, 58))
    machine_punch(shop, mei, at(6, 17, 31))
    machine_punch(shop, mei, at(5, 8, 4))
    assert attendance_facts_record(shop=shop, day=dt.date(2026, 1, 9)) == 1
    assert live() == [("2026-01-05", "late", 4)]
    assert voided() == [("2026-01-06", "absenteeism", "考勤重新判定：该班次不再产生此事实")]
    stored = Fact.all_objects.get(pk=absent.pk)
    assert stored.voided_at is not None and stored.voided_by is None
    assert Fact.all_objects.count() == 2  # the lateness was restored in place: same row
    audits = list(
        AuditEntry.objects.filter(object_type="fact")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert audits == [
        "fact.record",
        "fact.record",
        "fact.void",  # the 25-minute lateness, before it is restored at 4
        "fact.restore",
        "fact.void",  # the absenteeism
    ]
    # Idempotent: a second run changes nothing.
    assert attendance_facts_record(shop=shop, day=dt.date(2026, 1, 9)) == 1
    assert AuditEntry.objects.filter(object_type="fact").count() == 5


def test_leave_approved_after_the_day_withdraws_and_a_revoked_leave_restores(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    freeze(monkeypatch, at(10, 9))
    shop = shop_under("taobao-s4-fines")
    mei = agent_in(shop, "小美")
    publish(shop, {(mei, d): "day" for d in days(7)})
    attendance_facts_record(shop=shop, day=dt.date(2026, 1, 9))
    assert live() == [("2026-01-07", "absenteeism", None)]
    first = Fact.objects.get()
    leave = Request.objects.create(
        shop=shop,
        agent=mei,
        kind=RequestKind.LEAVE,
        start_date=dt.date(2026, 1, 7),
        end_date=dt.date(2026, 1, 7),
        status=RequestStatus.APPROVED,
    )
    assert attendance_facts_record(shop=shop, day=dt.date(2026, 1, 9)) == 0
    assert live() == []
    leave.status = RequestStatus.REFUSED  # the approval taken back
    leave.save()
    assert attendance_facts_record(shop=shop, day=dt.date(2026, 1, 9)) == 1
    again = Fact.objects.get()
    assert again.pk == first.pk and again.voided_at is None and again.void_reason == ""


def test_pending_shifts_keep_their_facts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A run with an earlier clock (the shift not over yet) withdraws nothing of that shift."""
    freeze(monkeypatch, at(10, 9))
    shop = shop_under("taobao-s4-fines")
    mei = agent_in(shop, "小美")
    publish(shop, {(mei, d): "day" for d in days(7)})
    attendance_facts_record(shop=shop, day=dt.date(2026, 1, 9))
    attendance_facts_record(shop=shop, day=dt.date(2026, 1, 9), as_of=at(7, 12))
    assert live() == [("2026-01-07", "absenteeism", None)]


def test_full_attendance_is_withdrawn_when_a_late_fact_appears(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    freeze(monkeypatch, at(1, 9, month=2))
    shop = shop_under("taobao-s4-standard")
    mei = agent_in(shop, "小美")
    publish(shop, {(mei, d): "day" for d in days(5)})
    on_time = at(5, 8)  # the roster's day shift: 08:00-17:30
    machine_punch(shop, mei, on_time)
    machine_punch(shop, mei, at(5, 17, 30))
    attendance_facts_record(shop=shop, day=dt.date(2026, 1, 31))
    assert live() == [("2026-01-31", "full_attendance", None)]
    # The clock-in was typed wrong: she had really come at 08:12.
    Punch.objects.filter(at=on_time).update(at=on_time + dt.timedelta(minutes=12))
    attendance_facts_record(shop=shop, day=dt.date(2026, 1, 31))
    assert live() == [("2026-01-05", "late", 12)]
    assert voided() == [("2026-01-31", "full_attendance", "本月不再满足全勤条件")]


def test_withdraw_needs_a_reason_and_a_scope() -> None:
    from kefu.core.errors import InvalidInput
    from kefu.core.tests.factories import ShopFactory

    shop = ShopFactory()
    with pytest.raises(InvalidInput, match="撤销事实须写明原因"):
        facts_withdraw(shop=shop, source="attendance", refs=["x"], reason=" ")
    with pytest.raises(InvalidInput, match="须给出编号或日期范围"):
        facts_withdraw(shop=shop, source="attendance", reason="r")
