"""Every preset validates, round-trips, names its clauses, and carries its seed's values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import BaseModel

from kefu.policy.documents import dump_policy, load_policy_text, load_preset, preset_names
from kefu.policy.schema import (
    DoublingFine,
    EachFine,
    ListFine,
    PointRange,
    Rule,
    ThresholdFine,
)
from kefu.policy.schema.awards import ConsecutiveFirst, FullAttendanceAward, Top, TopByTeamSize
from kefu.policy.schema.schedule import NoShiftAfter, RotationCycle

PRESETS = [
    "dongyao-s4",
    "pdd-s3",
    "taobao-s1",
    "taobao-s4-fines",
    "taobao-s4-points",
    "taobao-s4-standard",
    "tmall-s0",
    "workflow-s2",
]


def test_the_eight_presets_ship():
    assert preset_names() == PRESETS


@pytest.mark.parametrize("name", PRESETS)
def test_preset_round_trips_through_yaml(name):
    policy = load_preset(name)
    assert policy.meta.name == name
    again = load_policy_text(dump_policy(policy))
    assert again == policy
    assert dump_policy(again) == dump_policy(policy)


def _rules(value: object) -> list[Rule]:
    """Every rule anywhere in a policy."""
    found: list[Rule] = []
    if isinstance(value, Rule):
        found.append(value)
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            found += _rules(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            found += _rules(item)
    elif isinstance(value, dict):
        for item in value.values():
            found += _rules(item)
    return found


@pytest.mark.parametrize("name", PRESETS)
def test_every_rule_names_a_clause(name):
    rules = _rules(load_preset(name))
    assert len(rules) > 20
    for rule in rules:
        assert rule.clause.strip(), rule
        # Every clause points at a seed or says it is Kefu's own default.
        assert rule.clause.startswith(("S0", "S1", "S2", "S3", "S4", "KPI.md", "Kefu 默认")), (
            rule.clause
        )


def test_taobao_s4_fines_values_from_s4_1():
    policy = load_preset("taobao-s4-fines")
    handover = policy.fines.rule_for("handover_missing")
    assert isinstance(handover, ListFine)
    assert handover.amounts == [Decimal("30"), Decimal("50"), Decimal("80")]
    assert handover.then == ["withhold_month_pay", "resignation"]
    assert handover.clause == "S4.1 §1 交接"
    summary = policy.fines.rule_for("weekly_summary_missing")
    assert isinstance(summary, ListFine)
    assert summary.amounts == [Decimal("50"), Decimal("100"), Decimal("200")]
    assert summary.then == ["withhold_month_pay", "resignation"]
    complaint = policy.fines.rule_for("complaint_valid")
    assert isinstance(complaint, DoublingFine)
    assert (complaint.first, complaint.limit, complaint.then) == (
        Decimal("100"),
        2,
        ["resignation"],
    )
    assert policy.fines.fund is not None and policy.fines.fund.all_fines_to_department_fund
    assert policy.weekly_summary.due is not None
    assert (policy.weekly_summary.due.weekday, policy.weekly_summary.due.time) == ("sat", "17:00")
    assert policy.weekly_summary.min_chars == 200
    shifts = policy.schedule.shifts
    assert shifts["early"].parts == [("08:00", "17:30")]
    assert shifts["late"].parts == [("16:00", "01:00")]
    assert shifts["late"].crosses_midnight is True
    assert shifts["late"].spans() == [(960, 1500)]
    assert shifts["late"].minutes() == 9 * 60
    assert policy.schedule.rest.days_per_month == 3


def test_taobao_s1_values_from_s1():
    policy = load_preset("taobao-s1")
    assert policy.pay.base is not None
    assert policy.pay.base.by_level == {
        "junior": Decimal("1500"),
        "intermediate": Decimal("1800"),
        "senior": Decimal("2200"),
        "account_manager": Decimal("2700"),
    }
    assert policy.pay.commission is not None
    assert policy.pay.commission.flat_rate == Decimal("0.005")
    assert policy.pay.commission.tiers is None
    allowances = policy.pay.allowances
    assert allowances is not None
    assert (allowances.full_attendance, allowances.living, allowances.team_score_share_of_base) == (
        Decimal("100"),
        Decimal("200"),
        Decimal("0.10"),
    )
    grace = policy.attendance.late.grace
    assert grace is not None and (grace.count_per_month, grace.max_minutes) == (2, 10)
    late = policy.fines.rule_for("late")
    assert isinstance(late, EachFine) and late.amount == Decimal("20")
    not_online = policy.fines.rule_for("not_online")
    assert isinstance(not_online, EachFine) and not_online.amount == Decimal("200")
    slow = policy.fines.rule_for("slow_round")
    assert isinstance(slow, ThresholdFine)
    assert [(s.over, s.amount) for s in slow.steps] == [(3, Decimal("50"))]
    assert policy.service_levels.response.slow_round_seconds == 120
    assert policy.service_levels.response.unanswered_minutes == [30, 120]
    for fact, amount in (
        ("unanswered_30min", "100"),
        ("unanswered_2h", "200"),
        ("idle_online", "200"),
    ):
        rule = policy.fines.rule_for(fact)
        assert isinstance(rule, EachFine) and rule.amount == Decimal(amount)
    assert policy.service_levels.conduct.auto_reply_counts is False
    assert [(s.key, s.label, s.min_tenure_months) for s in policy.levels.ladder] == [
        ("junior", "初级客服", 0),
        ("intermediate", "中级客服", 3),
        ("senior", "高级客服", 12),
        ("account_manager", "客户经理", 24),
    ]
    assert "S4.5" in policy.levels.clause
    attribution = policy.attribution
    assert (attribution.flag_owner_wins, attribution.chase_after_unpaid_hours) == (True, 24)


def test_pdd_s3_is_a_ten_point_scale():
    policy = load_preset("pdd-s3")
    assert policy.shop.platform == "pdd"
    assert (policy.points.scale.kind, policy.points.scale.start) == ("ten", Decimal("10"))
    assert policy.points.thresholds is not None
    assert policy.points.thresholds.warning_at_or_below == Decimal("5")
    assert policy.points.thresholds.punishment_at_or_below == Decimal("2")
    late = policy.points.item("late")
    assert late is not None and late.points == PointRange(Decimal("0.5"), Decimal("0.5"))
    absence = policy.points.item("absence")
    assert absence is not None and absence.points == PointRange(Decimal("2"), Decimal("2"))
    complaints = policy.points.item("complaint_attitude")
    assert complaints is not None
    assert [(s.over, s.points.low) for s in complaints.steps] == [(2, 5), (4, 10)]
    assert policy.attendance.late.absence_after_minutes == 30
    assert policy.attendance.forgotten_sign_in is not None
    assert policy.attendance.forgotten_sign_in.counts_as == "swap_day"
    requests = policy.schedule.requests
    assert (requests.swap_days_per_month, requests.leave_offsets_swap) == (4, True)
    assert requests.extra_leave_counts_as_absence is True
    assert policy.fines.rules == []


def test_dongyao_s4_split_night_shift():
    policy = load_preset("dongyao-s4")
    night = policy.schedule.shifts["night"]
    assert night.parts == [("10:00", "14:00"), ("17:30", "23:00")]
    assert night.night is True and night.crosses_midnight is False
    assert night.minutes() == 4 * 60 + 5 * 60 + 30
    assert policy.schedule.shifts["day"].parts == [("08:30", "17:30")]
    assert policy.schedule.rest.work_days_per_week == 6
    assert policy.service_levels.night_first_response is not None
    assert policy.service_levels.night_first_response.seconds == 60
    rotation = policy.schedule.rule("rotation_cycle")
    assert isinstance(rotation, RotationCycle)
    assert (rotation.weeks, rotation.change_days) == (3, ["sat", "sun"])
    assert policy.daily_record.due is not None
    assert (policy.daily_record.due.weekday, policy.daily_record.due.time) == ("fri", "11:00")
    assert policy.schedule.requests.gap_accountable == "supervisor"
    special = policy.orders.flags.special_request
    assert special is not None and (special.colour, special.note) == ("red", "{content}_{agent}")
    complaint = policy.fines.rule_for("complaint_valid")
    assert isinstance(complaint, ListFine)
    assert (complaint.amounts, complaint.then) == ([Decimal("50"), Decimal("100")], ["resignation"])


def test_taobao_s4_points_catalogue_scale_and_pay():
    policy = load_preset("taobao-s4-points")
    scale = policy.points.scale
    assert (scale.kind, scale.start) == ("hundred", Decimal("100"))
    assert scale.parts == {
        "team_task": Decimal("30"),
        "handover_and_work": Decimal("20"),
        "return_visit": Decimal("30"),
        "competence": Decimal("20"),
    }
    assert policy.points.below is not None
    assert (policy.points.below.score, policy.points.below.fine) == (Decimal("60"), Decimal("100"))
    late = policy.points.item("late_or_early")
    assert late is not None and late.severity == "light"
    assert late.points == PointRange(Decimal("2"), Decimal("5"))
    handover = policy.points.item("handover_missing")
    assert handover is not None and handover.points == PointRange(Decimal("5"), Decimal("5"))
    absenteeism = policy.points.item("absenteeism")
    assert absenteeism is not None and absenteeism.severity == "severe"
    # 33 items of the seed's catalogue, and two facts priced by its clauses: an unconfirmed
    # handover entry (轻度5) and a confirmed quality hit (轻度13).
    assert len(policy.points.catalogue) == 35
    assert [i.item for i in policy.points.catalogue if i.severity == "bonus"] == [
        "best_workload_and_quality",
        "exam_full_marks",
        "covered_shift_on_call",
        "extra_work_done",
        "zero_complaints",
        "suggestion_adopted",
    ]
    composite = policy.points.composite[0]
    assert composite.when == {"medium": 2, "light": 4} and composite.any is True
    assert composite.points == PointRange(Decimal("20"), Decimal("20"))
    assert [(c.when, c.count, c.recommend) for c in policy.points.consequences] == [
        ("failing_months_in_row", 2, "dismissal"),
        ("warnings", 3, "dismissal"),
    ]
    guarantee = policy.pay.guaranteed_minimum
    assert guarantee is not None
    assert [t.amount for t in guarantee.tiers] == [
        Decimal("2000"),
        Decimal("2200"),
        Decimal("2500"),
    ]
    assert policy.pay.probation is not None
    assert (policy.pay.probation.pay, policy.pay.probation.bonus) == (Decimal("1600"), False)
    assert [(s.key, s.min_tenure_months) for s in policy.levels.ladder] == [
        ("junior", 0),
        ("intermediate", 3),
        ("senior", 12),
        ("veteran", 24),
    ]
    assert policy.levels.probation_months == 1
    commission = policy.pay.commission
    assert commission is not None and commission.basis == "department_sales"
    assert commission.tiers is not None and commission.tiers[-1].up_to is None
    award = policy.awards.items[0]
    assert isinstance(award, ConsecutiveFirst)
    assert [(s.months, s.amount) for s in award.ladder] == [
        (3, Decimal("100")),
        (6, Decimal("200")),
    ]


def test_tmall_s0_shifts_and_awards():
    policy = load_preset("tmall-s0")
    assert policy.shop.platform == "tmall"
    assert policy.schedule.shifts["day"].parts == [("08:00", "17:30")]
    assert policy.schedule.shifts["night"].parts == [("15:30", "24:00")]
    assert policy.schedule.shifts["night"].minutes() == 8 * 60 + 30
    assert policy.schedule.rest.work_days_per_week == 6
    top = policy.awards.items[0]
    assert isinstance(top, TopByTeamSize)
    assert top.amounts_for(4) == [Decimal("100")]
    assert top.amounts_for(6) == [Decimal("100"), Decimal("50")]
    assert top.amounts_for(9) == [Decimal("200"), Decimal("100"), Decimal("50")]
    language = policy.awards.items[1]
    assert isinstance(language, Top) and language.metric == "service_language"


def test_workflow_s2_roster_rules_and_fine():
    policy = load_preset("workflow-s2")
    assert policy.schedule.online_hours.start == "09:00"
    assert policy.schedule.online_hours.end == "23:30"
    assert {k: s.parts for k, s in policy.schedule.shifts.items()} == {
        "day": [("09:00", "17:30")],
        "half": [("10:00", "15:30")],
        "night": [("17:00", "23:30")],
    }
    assert policy.schedule.rest.days_per_month == 4
    first = policy.schedule.rules[0]
    assert isinstance(first, NoShiftAfter)
    assert (first.shift, first.next_day_forbidden) == ("night", ["day"])
    fine = policy.fines.rule_for("non_work_activity")
    assert isinstance(fine, ListFine)
    assert (fine.amounts, fine.then) == ([Decimal("10"), Decimal("30")], ["dismissal"])
    assert policy.orders.unpaid_reminder is not None
    assert policy.orders.unpaid_reminder.min_age_hours == 12


def test_taobao_s4_standard_merges_s4_2_and_s4_3():
    policy = load_preset("taobao-s4-standard")
    assert policy.schedule.shifts["early"].parts == [("08:00", "12:00"), ("12:00", "17:30")]
    assert policy.schedule.shifts["late"].parts == [("15:00", "18:00"), ("18:00", "24:00")]
    complaint = policy.fines.rule_for("complaint_valid")
    assert isinstance(complaint, DoublingFine) and complaint.first == Decimal("50")
    assert complaint.limit is None
    commission = policy.orders.flags.commission
    assert commission is not None and (commission.colour, commission.note) == ("blue", "{agent}")
    assert policy.orders.low_stock is not None and policy.orders.low_stock.below == 10
    assert policy.orders.unpaid_reminder is not None
    assert policy.orders.unpaid_reminder.at == "16:00"
    assert policy.quality.avoid is not None
    assert policy.quality.avoid.phrases == ["我不能", "我不会", "我不愿意", "我不可以", "但是"]
    assert isinstance(policy.awards.items[0], FullAttendanceAward)
    assert policy.awards.stacking is not None and policy.awards.stacking.stackable is True
    assert policy.weekly_summary.meeting is not None
    assert (policy.weekly_summary.meeting.weekday, policy.weekly_summary.meeting.time) == (
        "sun",
        "14:30",
    )
