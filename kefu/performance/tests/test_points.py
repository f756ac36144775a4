"""Point scales: the catalogue, counted steps, composite rules, incidents with chosen points,
the hundred-point parts and the ten-point thresholds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kefu.performance.engine import Fact, Incident, Month, RuleOptions, month_rules_apply
from kefu.performance.tests.support import amounts, d, fact, incident, local, preset_with
from kefu.policy.documents import load_preset

MARCH = Month(2026, 3)
PDD = load_preset("pdd-s3")
S45 = load_preset("taobao-s4-points")


def points_of(agent):
    return [entry.points for entry in agent.points]


def run(policy, facts=(), incidents=(), **kwargs):
    return month_rules_apply(policy=policy, facts=facts, incidents=incidents, month=MARCH, **kwargs)


def test_s3_complaints_3_cost_5_points_and_5_cost_10():
    # S3 §3(5): no points per complaint; reaching 3 costs 5, reaching 5 costs 10 in all.
    facts = [fact("a", "slow_reply_complaint", d(day), id=f"c{day}") for day in range(1, 6)]
    agent = run(PDD, facts[:2]).agent("a")
    assert agent.points == () and agent.score == Decimal(10)
    agent = run(PDD, facts[:3]).agent("a")
    assert points_of(agent) == [Decimal(-5)]
    assert agent.points[0].fact_ids == ("c1", "c2", "c3")
    agent = run(PDD, facts).agent("a")
    assert points_of(agent) == [Decimal(-5), Decimal(-5)]  # the 5th brings the total to 10
    assert agent.score == Decimal(0)
    clause = "S3 §3(5) 投诉达到3次扣5分，达到5次扣10分"
    assert agent.points[1].explanation == (
        f"本月第5次未及时应答被投诉，本月达到5次共10分：扣5分（{clause}）"
    )


def test_s3_attitude_complaints_one_point_each_until_a_step_replaces_the_total():
    # S3 §3(6): 1 point each; 3 in a month 5 points; 5 in a month 10 points.
    facts = [fact("a", "complaint_attitude", d(day)) for day in range(1, 7)]
    agent = run(PDD, facts).agent("a")
    # 1, 1, then +3 (total 5), the 4th nothing, +5 (total 10), the 6th nothing.
    assert points_of(agent) == [Decimal(-1), Decimal(-1), Decimal(-3), Decimal(-5)]
    assert sum(points_of(agent)) == Decimal(-10)
    assert len([n for n in agent.notes if "本档已计" in n.explanation]) == 2


def test_s3_half_points_for_lateness_and_thresholds():
    # Late 0.5 each (S3 §3(2)), absenteeism 5: 10 - 0.5 - 0.5 - 5 = 4, at or below 5.
    facts = [fact("a", "late", d(2), minutes=5), fact("a", "late", d(3), minutes=40)]
    facts.append(fact("a", "absenteeism", d(4)))
    agent = run(PDD, facts).agent("a")
    assert agent.score == Decimal("4.0")
    assert [r.consequence for r in agent.recommendations] == ["verbal_warning"]
    assert agent.recommendations[0].explanation.startswith("本月积分4分，不高于5分：建议口头警告")


def test_s3_at_or_below_2_recommends_the_punishment_only():
    facts = [fact("a", "absenteeism", d(day)) for day in (2, 3)]
    agent = run(PDD, facts).agent("a")
    assert agent.score == Decimal(0)
    assert [r.consequence for r in agent.recommendations] == ["warning"]
    options = RuleOptions(punishment_consequence="severe_punishment")
    agent = run(PDD, facts, options=options).agent("a")
    assert [r.consequence for r in agent.recommendations] == ["severe_punishment"]


def test_a_range_is_chosen_by_the_supervisor_through_an_incident():
    # S3 §3(7): work not done, 0.5-1 points at the supervisor's discretion.
    chosen = incident("a", "work_not_done", d(2), points="0.8")
    assert points_of(run(PDD, incidents=[chosen]).agent("a")) == [Decimal("-0.8")]
    with pytest.raises(ValueError, match=r"outside 0\.5-1"):
        run(PDD, incidents=[incident("a", "work_not_done", d(2), points="2")])


def test_a_detected_fact_on_a_range_takes_the_low_end_until_chosen():
    agent = run(PDD, [fact("a", "work_not_done", d(2))]).agent("a")
    assert points_of(agent) == [Decimal("-0.5")]
    assert agent.points[0].pending_choice
    assert "区间待主管确认" in agent.points[0].explanation
    high = run(PDD, [fact("a", "work_not_done", d(2))], options=RuleOptions(range_points="high"))
    assert points_of(high.agent("a")) == [Decimal("-1")]


def test_an_incident_that_names_a_fact_prices_it_once():
    late = fact("a", "late", d(2), "08:20", id="punch", minutes=20)
    chosen = incident("a", "late_or_early", d(2), id="inc", points="4", fact_ids=("punch",))
    agent = run(S45, [late], [chosen], part_scores={"a": {}}).agent("a")
    lateness = [e for e in agent.points if e.severity == "light"]
    assert [(e.points, e.fact_ids, e.incident_ids) for e in lateness] == [
        (Decimal(-4), ("punch",), ("inc",))
    ]


def test_s45_late_fact_is_priced_by_late_or_early():
    agent = run(S45, [fact("a", "early_leave", d(2), minutes=15)]).agent("a")
    entry = next(e for e in agent.points if e.severity == "light")
    assert entry.points == Decimal(-2) and entry.pending_choice
    assert entry.explanation.startswith("本月第1次迟到或早退（早退）")


def test_s45_two_medium_violations_cost_20_more_once():
    facts = [fact("a", "meeting_missed", d(day), id=f"m{day}") for day in (2, 9, 16)]
    agent = run(S45, facts).agent("a")
    medium = [e for e in agent.points if e.severity == "medium"]
    composite = [e for e in agent.points if e.rule == "points.composite.0"]
    assert [e.points for e in medium] == [Decimal(-10)] * 3
    assert [(e.points, e.fact_ids, e.at.day) for e in composite] == [
        (Decimal(-20), ("m2", "m9"), 9)
    ]
    assert composite[0].explanation.startswith(
        "本月违规已达中度2条（中度违规2条或轻度违规4条以上）"
    )


def test_s45_four_light_violations_cost_20_more():
    facts = [fact("a", "messy_desk", d(day)) for day in (2, 3, 4)]
    assert not [e for e in run(S45, facts).agent("a").points if e.rule.startswith("points.comp")]
    facts.append(fact("a", "loud_noise", d(5)))
    composite = [e for e in run(S45, facts).agent("a").points if e.rule == "points.composite.0"]
    assert [e.points for e in composite] == [Decimal(-20)]


def test_s45_zero_complaints_bonus_is_derived_unless_a_complaint_exists():
    agent = run(S45, agents=["a"]).agent("a")
    assert [(e.points, e.explanation) for e in agent.points] == [
        (Decimal(5), "本月有效投诉为零：加5分（S4.5 加分5）")
    ]
    complained = run(S45, [fact("a", "complaint_valid", d(3))]).agent("a")
    assert complained.points == ()
    off = run(S45, agents=["a"], options=RuleOptions(derive_zero_complaints=False))
    assert off.agent("a").points == ()


def test_s45_hundred_point_parts_with_additions_and_deductions():
    scores = {"a": {"team_task": Decimal(25), "return_visit": Decimal("27.5")}}
    facts = [fact("a", "handover_missing", d(2)), fact("a", "covered_shift_on_call", d(7))]
    agent = run(S45, facts, part_scores=scores).agent("a")
    # 25 + 20 (unscored: full) + 27.5 + 20 (unscored) = 92.5; -5 handover, +5 covered shift,
    # +5 zero complaints: 97.5.
    assert agent.score == Decimal("97.5")
    assert agent.unscored_parts == ("handover_and_work", "competence")
    assert "加减分5 = 97.5分" in agent.score_explanation


def test_part_scores_are_checked():
    with pytest.raises(ValueError, match="outside 0-30"):
        run(S45, part_scores={"a": {"team_task": Decimal(31)}})
    with pytest.raises(ValueError, match="unknown parts"):
        run(S45, part_scores={"a": {"teamwork": Decimal(1)}})
    with pytest.raises(ValueError, match="no part scores"):
        run(PDD, part_scores={"a": {"team_task": Decimal(1)}})
    with pytest.raises(TypeError, match="not the float"):
        run(S45, part_scores={"a": {"team_task": 25.0}})


def test_s45_below_60_costs_100():
    facts = [fact("a", "absenteeism", d(day)) for day in (2, 3)]
    scores = {"a": {"team_task": Decimal(10), "return_visit": Decimal(20)}}
    agent = run(S45, facts, part_scores=scores).agent("a")
    # 10 + 20 + 20 + 20 = 70, absenteeism twice -40, no complaint +5 = 35 (the composite
    # counts only light and medium violations); under 60: fails, 100 yuan.
    assert agent.score == Decimal(35) and agent.failed
    assert amounts(agent.fines) == [Decimal(100)]
    assert agent.fines[0].explanation == (
        "本月考评分35分，不达60分：罚款¥100（S4.5 (二)(2)(e) 考核分不达60分扣100元/月）"
    )


def test_equipment_taken_costs_points_and_its_price():
    taken = incident("a", "equipment_taken", d(4), amount="350.50")
    agent = run(S45, incidents=[taken]).agent("a")
    assert Decimal(-20) in points_of(agent)
    assert [(f.kind, f.amount) for f in agent.fines] == [("compensation", Decimal("350.50"))]


def test_floats_are_refused():
    with pytest.raises(TypeError, match="not the float"):
        Incident("i", "a", "work_not_done", local(d(2)), d(2), points=0.5)
    with pytest.raises(TypeError, match="not the float"):
        Incident("i", "a", "equipment_taken", local(d(2)), d(2), amount=350.5)
    with pytest.raises(ValueError, match="aware"):
        Fact("f", "a", "late", dt.datetime(2026, 3, 2, 8), d(2))
    with pytest.raises(ValueError, match="unknown fact"):
        fact("a", "sleeping", d(2))


def test_a_composite_that_needs_every_count():
    policy = preset_with("taobao-s4-points", {"points.composite.0.any": False})
    facts = [fact("a", "meeting_missed", d(day)) for day in (2, 3)]
    facts += [fact("a", "messy_desk", d(day)) for day in (4, 5, 6)]
    composite = "points.composite.0"
    assert not [e for e in run(policy, facts).agent("a").points if e.rule == composite]
    facts.append(fact("a", "loud_noise", d(7), id="fourth-light"))
    entries = [e for e in run(policy, facts).agent("a").points if e.rule == composite]
    assert [(e.points, e.at.day) for e in entries] == [(Decimal(-20), 7)]
    assert "中度违规2条且轻度违规4条以上" in entries[0].explanation
