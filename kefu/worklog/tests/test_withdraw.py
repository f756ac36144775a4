"""Worklog facts are withdrawn when the check no longer finds them: a handover entry written
late for the shift, leave approved after the day, a roster change that makes the entry's
reader someone else. S4.1 shifts: day 08:00-17:30, night 16:00-01:00."""

from __future__ import annotations

import datetime as dt

import pytest

from kefu.attendance.tests.support import agent_in, at, days, machine_punch, publish, shop_under
from kefu.performance.models import Fact
from kefu.rota.choices import RequestKind, RequestStatus
from kefu.rota.models import Request, RosterShift
from kefu.worklog.facts import (
    daily_record_facts_record,
    handover_missing_record,
    handover_unacknowledged_record,
)
from kefu.worklog.services import handover_write

pytestmark = pytest.mark.django_db


def voided() -> list[tuple[str, str, str]]:
    rows = Fact.all_objects.filter(voided_at__isnull=False).order_by("id")
    return [(f.key, f.local_date.isoformat(), f.void_reason) for f in rows]


def test_an_entry_written_late_withdraws_the_missing_handover() -> None:
    shop = shop_under("taobao-s4-fines")
    mei = agent_in(shop, "小美")
    publish(shop, {(mei, d): "day" for d in days(5)})
    machine_punch(shop, mei, at(5, 7, 58))
    machine_punch(shop, mei, at(5, 17, 31))
    day = dt.date(2026, 1, 5)
    assert handover_missing_record(shop=shop, day=day, as_of=at(6, 6, 30)) == 1
    assert [f.key for f in Fact.objects.all()] == ["handover_missing"]
    # The entry reached the log at 17:25 but was saved by hand the next morning for the 5th.
    handover_write(shop=shop, author=mei, text="补记：3 单待发", acting_user=None, at=at(5, 17, 25))
    assert handover_missing_record(shop=shop, day=day, as_of=at(6, 9)) == 0
    assert list(Fact.objects.all()) == []
    assert voided() == [("handover_missing", "2026-01-05", "交接本已补写，或该班次不再需要交接")]


def test_a_roster_change_withdraws_an_unacknowledged_entry_of_someone_no_longer_reading_it() -> (
    None
):
    shop = shop_under("taobao-s4-fines")
    mei = agent_in(shop, "小美")
    qiang = agent_in(shop, "阿强")
    li = agent_in(shop, "小李")
    publish(shop, {(mei, dt.date(2026, 1, 5)): "day", (qiang, dt.date(2026, 1, 5)): "night"})
    handover_write(shop=shop, author=mei, text="a", acting_user=None, at=at(5, 17, 20))
    day = dt.date(2026, 1, 5)
    assert handover_unacknowledged_record(shop=shop, day=day, as_of=at(6, 6, 30)) == 1
    assert [(f.agent, f.key) for f in Fact.objects.all()] == [(qiang, "handover_unacknowledged")]
    # The supervisor corrects the roster: 小李 worked that night, not 阿强.
    RosterShift.objects.filter(agent=qiang).update(agent=li)
    assert handover_unacknowledged_record(shop=shop, day=day, as_of=at(6, 6, 30)) == 1
    assert [(f.agent, f.key) for f in Fact.objects.all()] == [(li, "handover_unacknowledged")]
    assert voided() == [
        ("handover_unacknowledged", "2026-01-05", "该客服不再是这条交接的接收人（排班已变）")
    ]


def test_leave_approved_after_the_due_time_withdraws_the_missing_daily_record() -> None:
    shop = shop_under("dongyao-s4")
    mei = agent_in(shop, "小美")
    publish(shop, {(mei, d): "day" for d in days(7, 8)})
    assert daily_record_facts_record(shop=shop, as_of=at(10, 6, 30)) == 2
    Request.objects.create(
        shop=shop, kind=RequestKind.LEAVE, agent=mei, start_date=dt.date(2026, 1, 8),
        end_date=dt.date(2026, 1, 8), status=RequestStatus.APPROVED,
    )  # fmt: skip
    assert daily_record_facts_record(shop=shop, as_of=at(10, 6, 30)) == 1
    assert [f.local_date for f in Fact.objects.all()] == [dt.date(2026, 1, 7)]
    assert voided() == [
        ("daily_record_missing", "2026-01-08", "该日不再欠每日记录（已请假或班次已取消）")
    ]


def test_a_lowered_minimum_withdraws_a_short_summary_and_who_left_keeps_theirs() -> None:
    from kefu.policy.services import policy_set_value
    from kefu.staff.models import Assignment
    from kefu.worklog.facts import weekly_summary_facts_record
    from kefu.worklog.services import weekly_summary_save

    shop = shop_under("taobao-s4-fines")  # due Saturday 17:00, 200 characters
    qiang, lan = agent_in(shop, "阿强"), agent_in(shop, "小兰")
    weekly_summary_save(
        shop=shop, agent=qiang, week_start=dt.date(2026, 1, 5), text="好" * 199, submit=True,
        acting_user=None, at=at(10, 16),
    )  # fmt: skip
    assert weekly_summary_facts_record(shop=shop, as_of=at(11, 6, 30)) == 2
    assert sorted((f.agent.name, f.key) for f in Fact.objects.select_related("agent")) == [
        ("小兰", "weekly_summary_missing"),
        ("阿强", "weekly_summary_short"),
    ]
    policy_set_value(
        shop=shop, path="weekly_summary.min_chars", value=150,
        effective_from=dt.date(2025, 12, 1), acting_user=None,
    )  # fmt: skip
    Assignment.objects.filter(agent=lan).update(active=False)
    assert weekly_summary_facts_record(shop=shop, as_of=at(11, 6, 30)) == 0
    assert [(f.agent.name, f.key) for f in Fact.objects.select_related("agent")] == [
        ("小兰", "weekly_summary_missing")
    ]
    assert voided() == [("weekly_summary_short", "2026-01-10", "该客服本周不再欠周工作总结")]
