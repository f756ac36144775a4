"""Full attendance 满勤 on the payslip: the attendance app's `full_attendance` fact where it
judged the month (the agent punched), the month's other facts only where no attendance was
recorded (docs/payroll.md, "Full attendance")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kefu.attendance.choices import PunchSource
from kefu.attendance.models import Punch
from kefu.payroll.models import PayslipLine
from kefu.payroll.services import payroll_run
from kefu.performance.closing import month_close
from kefu.performance.models import AwardEntry
from kefu.performance.services import fact_record
from kefu.performance.tests.db import OCTOBER, record, team
from kefu.performance.tests.support import local

pytestmark = pytest.mark.django_db
FALLBACK = "无考勤打卡记录，按事实判定：无迟到、早退、旷工、请假"


def punch(t, agent, day: int) -> None:  # type: ignore[no-untyped-def]
    Punch.objects.create(
        shop=t.shop, agent=agent, at=local(dt.date(2026, 10, day), "08:58"), source=PunchSource.WEB
    )


def full(t, agent):  # type: ignore[no-untyped-def]
    """The fact the attendance app writes for a month it judged full (month:<agent>:...:full)."""
    return fact_record(
        shop=t.shop,
        agent=agent,
        key="full_attendance",
        occurred_at=local(dt.date(2026, 10, 31), "23:59"),
        source="attendance",
        source_ref=f"month:{agent.pk}:2026-10:full",
    )


def test_s1_full_attendance_follows_the_attendance_app_and_falls_back_without_punches():
    # S1 §3 满勤奖100元. 小美 punched and the attendance app judged her month full: paid, the
    # line links its fact. 小丽 punched but the app recorded no full attendance (a leave day
    # leaves no fact of its own): not paid, though no lateness fact exists. 小芳 has no punch
    # at all (attendance not kept for her): the facts decide, and she has none against her.
    # 阿强 has no punch and a lateness recorded by hand: not paid.
    t = team("taobao-s1", names=("小美", "小丽", "小芳", "阿强"))
    xiaomei, xiaoli, _, aqiang = t.agents
    punch(t, xiaomei, 5)
    punch(t, xiaoli, 5)
    verdict = full(t, xiaomei)
    record(t, aqiang, "late", 9, minutes=5)
    month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    run = payroll_run(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    lines = {
        line.payslip.agent.name: line
        for line in PayslipLine.objects.filter(payslip__run=run, code="full_attendance")
    }
    assert sorted(lines) == ["小美", "小芳"]
    paid = lines["小美"]
    assert (paid.amount, paid.fact_ids) == (Decimal("100.00"), [f"F{verdict.pk}"])
    assert paid.explanation.startswith("本月满勤（考勤记录判定全勤）：¥100（S1 §3 ")
    assert lines["小芳"].amount == Decimal("100.00")
    assert lines["小芳"].fact_ids == []
    assert lines["小芳"].explanation.startswith(f"本月满勤（{FALLBACK}）：¥100（S1 §3 ")


def test_a_full_attendance_fact_outweighs_a_lateness_recorded_by_hand():
    # The attendance app judged the month from the punches; a manual lateness fact does not
    # undo its verdict (the supervisor corrects the attendance, not the payslip).
    t = team("taobao-s1", names=("小美",))
    (xiaomei,) = t.agents
    punch(t, xiaomei, 5)
    verdict = full(t, xiaomei)
    record(t, xiaomei, "late", 9, minutes=5)
    month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    run = payroll_run(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    line = PayslipLine.objects.get(payslip__run=run, code="full_attendance")
    assert (line.amount, line.fact_ids) == (Decimal("100.00"), [f"F{verdict.pk}"])


def test_s43_full_attendance_award_from_the_attendance_app():
    # S4.3 §6(1) 全勤奖100元 as an award: 小美's month judged full by the attendance app;
    # 小丽 punched and was not judged full.
    t = team("taobao-s4-standard", names=("小美", "小丽"))
    xiaomei, xiaoli = t.agents
    punch(t, xiaomei, 5)
    punch(t, xiaoli, 5)
    verdict = full(t, xiaomei)
    close = month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    award = AwardEntry.objects.get(close=close, kind="full_attendance")
    assert (award.agent.name, award.amount, award.fact_ids) == (
        "小美",
        Decimal("100.00"),
        [verdict.pk],
    )
    assert award.explanation == "本月全勤（考勤记录判定全勤）：奖励¥100（S4.3 §6(1) 全勤奖100元）"
