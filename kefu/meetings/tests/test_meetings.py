"""Meetings: the schedule from the policy, a past date refused, agenda, attendance and the
meeting_missed fact, action items followed up on the next agenda."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.meetings import services
from kefu.meetings.choices import AgendaSource, AttendanceStatus, MeetingStatus
from kefu.meetings.models import Meeting
from kefu.meetings.tests.conftest import SHANGHAI
from kefu.performance.models import Fact
from kefu.policy.models import PolicyVersion
from kefu.policy.services import policy_adopt_preset
from kefu.staff.models import Agent

pytestmark = pytest.mark.django_db


def _local(meeting: Meeting) -> str:
    return f"{meeting.starts_at.astimezone(SHANGHAI):%Y-%m-%d %a %H:%M}"


def test_meetings_are_generated_at_the_policys_weekday_and_time(shop: Shop) -> None:
    created = services.meetings_generate(shop=shop, weeks=3, acting_user=None)
    # S4.2: every Sunday at 14:30; today is Wednesday 4 March.
    assert [_local(m) for m in created] == [
        "2026-03-08 Sun 14:30",
        "2026-03-15 Sun 14:30",
        "2026-03-22 Sun 14:30",
    ]
    first = created[0]
    assert (first.title, first.clause, first.status) == (
        "3月8日部门例会",
        "S4.2 ch.4 §1.5 每周日下午14:30部门例会",
        MeetingStatus.SCHEDULED,
    )
    assert first.policy_version == PolicyVersion.objects.get(shop=shop)
    # Generating again adds only the weeks not yet there.
    again = services.meetings_generate(shop=shop, weeks=4, acting_user=None)
    assert [_local(m) for m in again] == ["2026-03-29 Sun 14:30"]


def test_a_new_policy_moves_the_later_meetings(shop: Shop) -> None:
    # From 16 March the shop follows S4.5 (Monday 13:30).
    policy_adopt_preset(
        shop=shop, preset="taobao-s4-points", effective_from=dt.date(2026, 3, 16), acting_user=None
    )
    created = services.meetings_generate(shop=shop, weeks=3, acting_user=None)
    # Each day is read under the policy in force on it.
    assert [_local(m) for m in created] == [
        "2026-03-08 Sun 14:30",
        "2026-03-15 Sun 14:30",
        "2026-03-16 Mon 13:30",
        "2026-03-23 Mon 13:30",
    ]
    assert created[2].clause == "S4.5 中度6 部门例会；日期和时间 S4.4 §2.4（借用）"


def test_a_meeting_in_the_past_cannot_be_scheduled(shop: Shop) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.meeting_schedule(
            shop=shop, starts_at=dt.datetime(2026, 3, 1, 14, 30, tzinfo=SHANGHAI), acting_user=None
        )
    assert caught.value.message == (
        "例会时间 2026-03-01 14:30 已经过去：只能安排今后的例会（过去的会议不能补排）"
    )
    meeting = services.meeting_schedule(
        shop=shop, starts_at=dt.datetime(2026, 3, 6, 9, 0, tzinfo=SHANGHAI), acting_user=None
    )
    assert meeting.title == "3月6日部门例会"
    with pytest.raises(InvalidInput, match="2026-03-06 已经安排了例会"):
        services.meeting_schedule(
            shop=shop, starts_at=dt.datetime(2026, 3, 6, 15, 0, tzinfo=SHANGHAI), acting_user=None
        )


def _meeting_held(shop: Shop, set_now: Callable[[dt.datetime], None], day: int) -> Meeting:
    meeting = services.meeting_schedule(
        shop=shop, starts_at=dt.datetime(2026, 3, day, 14, 30, tzinfo=SHANGHAI), acting_user=None
    )
    set_now(dt.datetime(2026, 3, day, 15, 0, tzinfo=SHANGHAI))
    return meeting


def test_absence_without_leave_is_a_meeting_missed_fact(
    shop: Shop, agents: list[Agent], set_now: Callable[[dt.datetime], None]
) -> None:
    meeting = services.meeting_schedule(
        shop=shop, starts_at=dt.datetime(2026, 3, 8, 14, 30, tzinfo=SHANGHAI), acting_user=None
    )
    mei, jie, lan = agents
    with pytest.raises(InvalidInput, match="例会还没有开始"):
        services.attendance_record(
            shop=shop, meeting=meeting, agent=mei, status="present", acting_user=None
        )
    set_now(dt.datetime(2026, 3, 8, 15, 0, tzinfo=SHANGHAI))
    services.attendance_record(
        shop=shop, meeting=meeting, agent=mei, status="present", acting_user=None
    )
    services.attendance_record(
        shop=shop, meeting=meeting, agent=jie, status="leave", note="病假", acting_user=None
    )
    absent = services.attendance_record(
        shop=shop, meeting=meeting, agent=lan, status="absent", acting_user=None
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    fact = Fact.objects.get()
    assert (fact.agent, fact.key, fact.source, fact.source_ref, fact.local_date) == (
        lan,
        "meeting_missed",
        "meeting",
        str(absent.pk),
        dt.date(2026, 3, 8),
    )
    assert fact.occurred_at == dt.datetime(2026, 3, 8, 14, 30, tzinfo=SHANGHAI)
    assert fact.evidence["title"] == "3月8日部门例会"
    # taobao-s4-standard has no points catalogue item for it: the fact is kept without clause.
    assert fact.evidence["clause"] == ""
    with pytest.raises(InvalidInput, match="小兰 已记为缺席并计入积分事实，不能再改"):
        services.attendance_record(
            shop=shop, meeting=meeting, agent=lan, status="present", acting_user=None
        )
    # Present and leave change nothing in the ledger.
    assert Fact.objects.count() == 1


def test_the_s45_catalogue_clause_is_in_the_evidence(
    shop: Shop, agents: list[Agent], set_now: Callable[[dt.datetime], None]
) -> None:
    policy_adopt_preset(
        shop=shop, preset="taobao-s4-points", effective_from=dt.date(2026, 3, 1), acting_user=None
    )
    meeting = _meeting_held(shop, set_now, 9)
    services.attendance_record(
        shop=shop, meeting=meeting, agent=agents[0], status="absent", acting_user=None
    )
    assert Fact.objects.get().evidence["clause"] == "S4.5 中度6"


def test_absent_on_approved_roster_leave_is_leave(
    shop: Shop, agents: list[Agent], set_now: Callable[[dt.datetime], None]
) -> None:
    from kefu.rota.choices import RequestKind, RequestStatus
    from kefu.rota.models import Request

    Request.objects.create(
        shop=shop,
        kind=RequestKind.LEAVE,
        agent=agents[1],
        start_date=dt.date(2026, 3, 7),
        end_date=dt.date(2026, 3, 8),
        status=RequestStatus.APPROVED,
    )
    meeting = _meeting_held(shop, set_now, 8)
    row = services.attendance_record(
        shop=shop, meeting=meeting, agent=agents[1], status="absent", acting_user=None
    )
    assert (row.status, row.note) == (AttendanceStatus.LEAVE, "排班中有已批准的请假")
    assert Fact.objects.count() == 0


def test_open_action_items_come_back_on_the_next_agenda(
    shop: Shop, agents: list[Agent], set_now: Callable[[dt.datetime], None]
) -> None:
    first = _meeting_held(shop, set_now, 8)
    services.minutes_save(shop=shop, meeting=first, minutes="  讨论了议价话术。 ", acting_user=None)
    first.refresh_from_db()
    assert first.minutes == "讨论了议价话术。"
    late = services.action_add(
        shop=shop,
        meeting=first,
        text="更新议价快捷短语",
        agent=agents[0],
        due_date=dt.date(2026, 3, 10),
        acting_user=None,
    )
    done = services.action_add(
        shop=shop,
        meeting=first,
        text="整理上周中差评",
        agent=agents[1],
        due_date=dt.date(2026, 3, 11),
        acting_user=None,
    )
    later = services.action_add(
        shop=shop,
        meeting=first,
        text="读十家竞品评价",
        agent=agents[2],
        due_date=dt.date(2026, 3, 20),
        acting_user=None,
    )
    with pytest.raises(InvalidInput, match="截止日期 2026-03-07 早于例会日期"):
        services.action_add(
            shop=shop,
            meeting=first,
            text="x",
            agent=agents[0],
            due_date=dt.date(2026, 3, 7),
            acting_user=None,
        )
    services.action_set_done(shop=shop, action=done, done=True, acting_user=None)
    second = services.meeting_schedule(
        shop=shop, starts_at=dt.datetime(2026, 3, 15, 14, 30, tzinfo=SHANGHAI), acting_user=None
    )
    services.agenda_add(shop=shop, meeting=second, text="新品上架准备", acting_user=None)
    services.agenda_assemble(shop=shop, meeting=second, acting_user=None)
    services.agenda_assemble(shop=shop, meeting=second, acting_user=None)  # rebuilt, not doubled
    agenda = [(a.position, a.source, a.text, a.ref) for a in second.agenda.all()]
    assert agenda == [
        (1, AgendaSource.FREE, "新品上架准备", ""),
        (
            2,
            AgendaSource.OVERDUE_ACTION,
            "逾期未完成：更新议价快捷短语（小美，截止 03-10，3月8日部门例会）",
            f"action:{late.pk}",
        ),
        (
            3,
            AgendaSource.OPEN_ACTION,
            "跟进：读十家竞品评价（小兰，截止 03-20，3月8日部门例会）",
            f"action:{later.pk}",
        ),
    ]


def test_an_app_contributes_to_the_weekly_report_through_its_hook(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    import types

    from kefu.meetings import agenda

    calls: list[tuple[dt.datetime, dt.datetime]] = []

    def meeting_agenda(*, shop: Shop, start: dt.datetime, end: dt.datetime) -> list[str]:
        calls.append((start, end))
        return ["售后：破损 2 件（快递责任）"]

    fake = types.SimpleNamespace(meeting_agenda=meeting_agenda)
    monkeypatch.setattr(agenda, "REPORT_APPS", ("aftersales",))
    monkeypatch.setattr(agenda.apps, "is_installed", lambda name: name == "kefu.aftersales")
    monkeypatch.setattr(agenda.importlib, "import_module", lambda name: fake)
    meeting = services.meeting_schedule(
        shop=shop, starts_at=dt.datetime(2026, 3, 8, 14, 30, tzinfo=SHANGHAI), acting_user=None
    )
    rows = services.agenda_assemble(shop=shop, meeting=meeting, acting_user=None)
    assert [(r.source, r.text, r.ref) for r in rows] == [
        (AgendaSource.REPORT, "售后：破损 2 件（快递责任）", "aftersales")
    ]
    assert calls == [
        (
            dt.datetime(2026, 3, 1, tzinfo=shop.tzinfo),
            dt.datetime(2026, 3, 8, tzinfo=shop.tzinfo),
        )
    ]


def test_unacknowledged_handovers_of_the_week_are_on_the_agenda(
    shop: Shop, agents: list[Agent]
) -> None:
    from kefu.worklog.models import HandoverAck, HandoverEntry

    def entry(day: int, text: str) -> HandoverEntry:
        return HandoverEntry.objects.create(
            shop=shop,
            author=agents[0],
            written_at=dt.datetime(2026, 3, day, 23, 0, tzinfo=SHANGHAI),
            shift_date=dt.date(2026, 3, day),
            text=text,
        )

    entry(2, "买家张三要求改地址，明早联系快递")
    read = entry(3, "已读的交接")
    HandoverAck.objects.create(
        shop=shop, entry=read, agent=agents[1], acknowledged_at=read.written_at
    )
    entry(8, "例会当天的交接不在上周")
    meeting = services.meeting_schedule(
        shop=shop, starts_at=dt.datetime(2026, 3, 8, 14, 30, tzinfo=SHANGHAI), acting_user=None
    )
    rows = services.agenda_assemble(shop=shop, meeting=meeting, acting_user=None)
    assert [(r.source, r.text, r.ref) for r in rows] == [
        (
            AgendaSource.REPORT,
            "无人确认的交接 1 条：03-02 小美：买家张三要求改地址，明早联系快递",
            "",
        )
    ]
