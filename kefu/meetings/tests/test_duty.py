"""The duty rota 值日: fair generation, roster and leave, swaps, confirmation, findings."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.meetings import duty as duty_services
from kefu.meetings.choices import DutyStatus
from kefu.meetings.models import DutyAssignment
from kefu.performance.models import Fact
from kefu.policy.models import PolicyVersion
from kefu.policy.services import policy_adopt_preset
from kefu.staff.models import Agent

pytestmark = pytest.mark.django_db

CLAUSE = (
    "S4.2 §7 每天上班前清洁办公室，每人一天，轮流清理，有事需提前换好班"
    "（下班收尾：S4.1 §13, S4.5 中度2（借用））"
)


def _rota(shop: Shop) -> list[tuple[int, str, str]]:
    return [
        (d.local_date.day, d.task_key, d.agent.name)
        for d in DutyAssignment.objects.filter(shop=shop).select_related("agent")
    ]


def test_the_month_is_shared_fairly_one_task_a_day_each(shop: Shop, agents: list[Agent]) -> None:
    created = duty_services.duty_generate(
        shop=shop, month="2026-03", acting_user=None, today=dt.date(2026, 3, 1)
    )
    assert len(created) == 62  # 31 days x (office_morning, closing_up)
    assert _rota(shop)[:6] == [
        (1, "office_morning", "小兰"),
        (1, "closing_up", "小美"),
        (2, "office_morning", "阿杰"),
        (2, "closing_up", "小兰"),
        (3, "office_morning", "小美"),
        (3, "closing_up", "阿杰"),
    ]
    assert Counter(name for _, _, name in _rota(shop)) == {"小兰": 21, "小美": 21, "阿杰": 20}
    per_task = Counter((task, name) for _, task, name in _rota(shop))
    assert per_task == {
        ("office_morning", "小兰"): 11,
        ("office_morning", "小美"): 10,
        ("office_morning", "阿杰"): 10,
        ("closing_up", "小兰"): 10,
        ("closing_up", "小美"): 11,
        ("closing_up", "阿杰"): 10,
    }
    first = created[0]
    assert (first.task_label, first.timing, first.clause) == ("上班前清洁办公室", "early", CLAUSE)
    assert created[1].task_label == "下班关窗、空调、灯"
    # Nobody has both tasks on one day.
    days = Counter((day, name) for day, _, name in _rota(shop))
    assert max(days.values()) == 1
    # Re-running fills only gaps: nothing.
    assert (
        duty_services.duty_generate(
            shop=shop, month="2026-03", acting_user=None, today=dt.date(2026, 3, 1)
        )
        == []
    )


def test_days_before_today_are_not_planned(shop: Shop, agents: list[Agent]) -> None:
    created = duty_services.duty_generate(shop=shop, month="2026-03", acting_user=None)
    assert (created[0].local_date, len(created)) == (dt.date(2026, 3, 4), 56)


def test_agents_on_approved_leave_are_skipped_and_catch_up(shop: Shop, agents: list[Agent]) -> None:
    from kefu.rota.choices import RequestKind, RequestStatus
    from kefu.rota.models import Request

    Request.objects.create(
        shop=shop,
        kind=RequestKind.LEAVE,
        agent=agents[1],  # 阿杰
        start_date=dt.date(2026, 3, 10),
        end_date=dt.date(2026, 3, 14),
        status=RequestStatus.APPROVED,
    )
    duty_services.duty_generate(
        shop=shop, month="2026-03", acting_user=None, today=dt.date(2026, 3, 1)
    )
    rota = _rota(shop)
    assert [day for day, _, name in rota if name == "阿杰" and 10 <= day <= 14] == []
    # Still fair over the month: 阿杰 catches up after the leave.
    assert Counter(name for _, _, name in rota) == {"小兰": 21, "小美": 20, "阿杰": 21}


def test_with_a_published_roster_early_and_late_shifts_take_their_tasks(
    shop: Shop, agents: list[Agent]
) -> None:
    from kefu.rota.choices import RosterStatus
    from kefu.rota.models import Roster, RosterShift

    mei, jie, lan = agents
    roster = Roster.objects.create(
        shop=shop,
        month="2026-03",
        status=RosterStatus.PUBLISHED,
        policy_version=PolicyVersion.objects.get(shop=shop),
        shift_templates={
            "early": {"label": "早班", "parts": [[480, 1050]], "night": False},
            "late": {"label": "晚班", "parts": [[900, 1440]], "night": True},
        },
    )
    for day, agent, key in (
        (30, mei, "early"),
        (30, jie, "late"),
        (31, lan, "early"),
        (31, mei, "late"),
    ):
        RosterShift.objects.create(
            shop=shop, roster=roster, agent=agent, local_date=dt.date(2026, 3, day), shift_key=key
        )
    duty_services.duty_generate(
        shop=shop, month="2026-03", acting_user=None, today=dt.date(2026, 3, 30)
    )
    assert _rota(shop) == [
        (30, "office_morning", "小美"),
        (30, "closing_up", "阿杰"),
        (31, "office_morning", "小兰"),
        (31, "closing_up", "小美"),
    ]


def test_a_policy_without_a_duty_rota_says_so(shop: Shop, agents: list[Agent]) -> None:
    policy_adopt_preset(
        shop=shop, preset="taobao-s1", effective_from=dt.date(2026, 3, 1), acting_user=None
    )
    with pytest.raises(InvalidInput) as caught:
        duty_services.duty_generate(shop=shop, month="2026-03", acting_user=None)
    assert caught.value.message == "本店管理制度没有值日安排（duty）：请先在制度中写明值日任务"
    with pytest.raises(InvalidInput, match="月份应写成 2026-10 这样，收到 '2026-13'"):
        duty_services.duty_generate(shop=shop, month="2026-13", acting_user=None)


def _duty(shop: Shop, day: int, task: str = "office_morning") -> DutyAssignment:
    return DutyAssignment.objects.select_related("agent").get(
        shop=shop, local_date=dt.date(2026, 3, day), task_key=task
    )


def test_swaps_are_made_in_advance(shop: Shop, agents: list[Agent]) -> None:
    duty_services.duty_generate(
        shop=shop, month="2026-03", acting_user=None, today=dt.date(2026, 3, 1)
    )
    sixth, seventh = _duty(shop, 6, "closing_up"), _duty(shop, 7)
    assert (sixth.agent.name, seventh.agent.name) == ("阿杰", "小兰")
    duty_services.duty_swap(shop=shop, duty=sixth, other=seventh, acting_user=None)
    sixth, seventh = _duty(shop, 6, "closing_up"), _duty(shop, 7)
    assert sixth.swapped_from is not None and seventh.swapped_from is not None
    assert (sixth.agent.name, sixth.swapped_from.name) == ("小兰", "阿杰")
    assert (seventh.agent.name, seventh.swapped_from.name) == ("阿杰", "小兰")
    with pytest.raises(InvalidInput) as caught:
        duty_services.duty_swap(
            shop=shop, duty=_duty(shop, 4), other=_duty(shop, 8), acting_user=None
        )
    assert caught.value.message == f"值日需提前换班（{CLAUSE}）：2026-03-04 的值日已经不能再换"
    # 小美 would have both tasks on the 9th.
    ninth_morning, ninth_close = _duty(shop, 9), _duty(shop, 9, "closing_up")
    tenth_close = _duty(shop, 10, "closing_up")
    assert (ninth_morning.agent.name, ninth_close.agent.name, tenth_close.agent.name) == (
        "小美",
        "阿杰",
        "小美",
    )
    with pytest.raises(InvalidInput, match="小美 在 2026-03-09 已有值日"):
        duty_services.duty_swap(shop=shop, duty=tenth_close, other=ninth_close, acting_user=None)


def test_only_the_person_on_duty_confirms_on_the_day(shop: Shop, agents: list[Agent]) -> None:
    duty_services.duty_generate(
        shop=shop, month="2026-03", acting_user=None, today=dt.date(2026, 3, 1)
    )
    today = _duty(shop, 4)
    assert today.agent.name == "小兰"
    mei, _jie, lan = agents
    with pytest.raises(InvalidInput, match="只有当天值日的人可以确认"):
        duty_services.duty_confirm(shop=shop, duty=today, agent=mei, acting_user=None)
    tomorrow = _duty(shop, 5)
    with pytest.raises(InvalidInput, match=r"还没到值日那天（2026-03-05）"):
        duty_services.duty_confirm(shop=shop, duty=tomorrow, agent=tomorrow.agent, acting_user=None)
    duty_services.duty_confirm(shop=shop, duty=today, agent=lan, acting_user=None)
    today.refresh_from_db()
    assert today.status == DutyStatus.CONFIRMED
    assert today.confirmed_at == dt.datetime(2026, 3, 4, 2, 0, tzinfo=dt.UTC)


def test_findings_become_facts_with_evidence(shop: Shop, agents: list[Agent]) -> None:
    duty_services.duty_generate(
        shop=shop, month="2026-03", acting_user=None, today=dt.date(2026, 3, 1)
    )
    morning, closing = _duty(shop, 3), _duty(shop, 3, "closing_up")
    assert (morning.agent.name, closing.agent.name) == ("小美", "阿杰")
    with pytest.raises(InvalidInput, match="请写明检查情况"):
        duty_services.duty_finding_record(
            shop=shop, duty=morning, kind="undone", note=" ", acting_user=None
        )
    with pytest.raises(InvalidInput, match="关窗、空调、灯是下班后值日的任务"):
        duty_services.duty_finding_record(
            shop=shop, duty=morning, kind="lights", note="灯没关", acting_user=None
        )
    undone = duty_services.duty_finding_record(
        shop=shop, duty=morning, kind="undone", note="9:00 地没扫", acting_user=None
    )
    lights = duty_services.duty_finding_record(
        shop=shop, duty=closing, kind="lights", note="次日 8:00 发现空调未关", acting_user=None
    )
    facts = {f.key: f for f in Fact.objects.all()}
    cleaning = facts["cleaning_not_done"]
    assert (cleaning.agent, cleaning.source, cleaning.source_ref, cleaning.local_date) == (
        agents[0],
        "duty",
        str(undone.pk),
        dt.date(2026, 3, 3),
    )
    assert cleaning.evidence == {
        "duty": morning.pk,
        "date": "2026-03-03",
        "task": "上班前清洁办公室",
        "finding": "值日卫生未完成",
        "note": "9:00 地没扫",
        "confirmed_by_agent": False,
        "clause": CLAUSE,
    }
    left_on = facts["lights_left_on"]
    assert (left_on.agent, left_on.source_ref, left_on.evidence["finding"]) == (
        agents[1],
        str(lights.pk),
        "下班未关窗、空调、灯",
    )
    with pytest.raises(InvalidInput, match="这次值日已经记录过这个问题"):
        duty_services.duty_finding_record(
            shop=shop, duty=closing, kind="lights", note="again", acting_user=None
        )
    with pytest.raises(InvalidInput, match="值日还没到，不能记录检查结果"):
        duty_services.duty_finding_record(
            shop=shop, duty=_duty(shop, 5), kind="undone", note="x", acting_user=None
        )
    assert Fact.objects.count() == 2
