"""Each escalation form of the fines, with the exact sequence the seeds give."""

from __future__ import annotations

import functools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kefu.performance.engine import Month, month_rules_apply
from kefu.performance.tests.support import amounts, d, fact, preset_with
from kefu.policy.documents import load_preset

MARCH = Month(2026, 3)


@functools.cache
def preset(name):
    return load_preset(name)


def run(policy, facts, month=MARCH, **kwargs):
    policy = preset(policy) if isinstance(policy, str) else policy
    return month_rules_apply(policy=policy, facts=facts, month=month, **kwargs)


def test_list_s41_handover_30_50_80_then_withhold_then_resignation():
    facts = [fact("a", "handover_missing", d(day), "01:00", id=f"h{day}") for day in range(1, 7)]
    agent = run("taobao-s4-fines", facts).agent("a")
    assert amounts(agent.fines) == [Decimal("30"), Decimal("50"), Decimal("80")]
    assert [f.fact_ids for f in agent.fines] == [("h1",), ("h2",), ("h3",)]
    assert agent.fines[1].explanation == "本月第2次交接本未填写：罚款¥50（S4.1 §1 交接）"
    assert {f.rule for f in agent.fines} == {"fines.rules.0"}
    # The 4th and 5th are decisions for a person, shown as recommendations; the list's last
    # consequence repeats for a 6th.
    assert [r.consequence for r in agent.recommendations] == [
        "withhold_month_pay",
        "resignation",
        "resignation",
    ]
    withhold = agent.recommendations[0]
    assert withhold.explanation == (
        "本月第4次交接本未填写：建议扣发当月工资，须主管决定（S4.1 §1 交接）"
    )
    assert withhold.fact_ids == ("h1", "h2", "h3", "h4")
    assert agent.fines_total == Decimal("160")


def test_list_s41_weekly_summary_50_100_200_then_consequences():
    facts = [fact("a", "weekly_summary_missing", d(day), "17:01") for day in (7, 14, 21, 28)]
    agent = run("taobao-s4-fines", facts).agent("a")
    assert amounts(agent.fines) == [Decimal("50"), Decimal("100"), Decimal("200")]
    assert [r.consequence for r in agent.recommendations] == ["withhold_month_pay"]


def test_list_s2_non_work_activity_10_30_then_dismissal():
    facts = [fact("a", "non_work_activity", d(day)) for day in (2, 3, 4)]
    agent = run("workflow-s2", facts).agent("a")
    assert amounts(agent.fines) == [Decimal("10"), Decimal("30")]
    assert [r.consequence for r in agent.recommendations] == ["dismissal"]


def test_list_s44_complaints_50_100_then_resignation():
    facts = [fact("a", "complaint_valid", d(day)) for day in (2, 3, 4)]
    agent = run("dongyao-s4", facts).agent("a")
    assert amounts(agent.fines) == [Decimal("50"), Decimal("100")]
    assert [r.consequence for r in agent.recommendations] == ["resignation"]


def test_doubling_s43_50_100_200_400_without_limit():
    facts = [fact("a", "complaint_valid", d(day)) for day in (2, 5, 9, 20)]
    agent = run("taobao-s4-standard", facts).agent("a")
    assert amounts(agent.fines) == [Decimal(50), Decimal(100), Decimal(200), Decimal(400)]
    assert agent.recommendations == ()
    clause = "S4.3 §7(2) 50/次，第二次翻倍（S4.2 ch.4 §2.4 规定为20）"
    assert agent.fines[3].explanation == f"本月第4次因服务原因被有效投诉：罚款¥400（{clause}）"


def test_doubling_s41_with_limit_100_200_then_resignation():
    facts = [fact("a", "complaint_valid", d(day)) for day in (2, 3, 4)]
    agent = run("taobao-s4-fines", facts).agent("a")
    assert amounts(agent.fines) == [Decimal("100"), Decimal("200")]
    assert [r.consequence for r in agent.recommendations] == ["resignation"]


def test_each_s41_non_work_activity_50_every_time():
    facts = [fact("a", "non_work_activity", d(day)) for day in (2, 3, 4, 5)]
    assert amounts(run("taobao-s4-fines", facts).agent("a").fines) == [Decimal("50")] * 4


def test_threshold_s1_slow_rounds_fourth_costs_50_once():
    three = [fact("a", "slow_round", d(day), id=f"s{day}") for day in (2, 3, 4)]
    assert run("taobao-s1", three).agent("a").fines == ()
    six = [*three, *(fact("a", "slow_round", d(day), id=f"s{day}") for day in (5, 6, 7))]
    agent = run("taobao-s1", six).agent("a")
    assert amounts(agent.fines) == [Decimal("50")]
    # The fine rests on all four slow rounds that made it due.
    assert agent.fines[0].fact_ids == ("s2", "s3", "s4", "s5")
    assert agent.fines[0].explanation.startswith("本月第4次应答超时，超过3次：罚款¥50")


def test_threshold_counts_quantity_of_a_daily_count():
    agent = run("taobao-s1", [fact("a", "slow_round", d(2), quantity=4)]).agent("a")
    assert amounts(agent.fines) == [Decimal("50")]


def test_threshold_higher_step_charges_only_the_difference():
    policy = preset_with(
        "taobao-s1",
        {"fines.rules.2.steps": [{"over": 3, "amount": "50"}, {"over": 5, "amount": "120"}]},
    )
    agent = run(policy, [fact("a", "slow_round", d(day)) for day in range(1, 9)]).agent("a")
    # 4th: 50; 6th: the period's total becomes 120, so 70 more; 7th and 8th: nothing.
    assert amounts(agent.fines) == [Decimal("50"), Decimal("70")]
    assert "本档合计¥120，已罚¥50" in agent.fines[1].explanation


def test_grace_s1_lateness_two_short_ones_free_then_20():
    facts = [
        fact("a", "late", d(2), "08:05", id="l1", minutes=5),  # 1st of <= 10 min: free
        fact("a", "late", d(3), "08:15", id="l2", minutes=15),  # over 10 min: 20
        fact("a", "late", d(4), "08:08", id="l3", minutes=8),  # 2nd of <= 10 min: free
        fact("a", "late", d(5), "08:03", id="l4", minutes=3),  # 3rd of <= 10 min: 20
        fact("a", "late", d(6), "08:10", id="l5", minutes=10),  # 4th of <= 10 min: 20
    ]
    agent = run("taobao-s1", facts).agent("a")
    assert amounts(agent.fines) == [Decimal("20")] * 3
    assert [f.fact_ids for f in agent.fines] == [("l2",), ("l4",), ("l5",)]
    assert [n.fact_ids for n in agent.notes] == [("l1",), ("l3",)]
    assert agent.notes[0].explanation.startswith("本月第1次10分钟以内的迟到（5分钟）")


def test_grace_needs_the_minutes_late():
    with pytest.raises(ValueError, match="needs its minutes"):
        run("taobao-s1", [fact("a", "late", d(2))])


def test_grace_is_counted_per_natural_month():
    facts = [fact("a", "late", d(day, 2), minutes=5) for day in (24, 25, 26)]
    facts += [fact("a", "late", d(2), minutes=5), fact("a", "late", d(3), minutes=5)]
    assert run("taobao-s1", facts).agent("a").fines == ()
    assert amounts(run("taobao-s1", facts, month=Month(2026, 2)).agent("a").fines) == [
        Decimal("20")
    ]


def test_rule_grace_lets_the_first_occurrences_pass():
    policy = preset_with("taobao-s4-fines", {"fines.rules.3.grace": 1})
    agent = run(policy, [fact("a", "non_work_activity", d(day)) for day in (2, 3)]).agent("a")
    assert amounts(agent.fines) == [Decimal("50")]
    assert "前1次不罚款" in agent.notes[0].explanation


def test_month_boundary_resets_the_count():
    facts = [fact("a", "handover_missing", d(day), "01:00") for day in (30, 31)]
    facts.append(fact("a", "handover_missing", d(1, 4), "01:00"))
    march = run("taobao-s4-fines", facts).agent("a")
    april = run("taobao-s4-fines", facts, month=Month(2026, 4)).agent("a")
    assert amounts(march.fines) == [Decimal("30"), Decimal("50")]
    assert amounts(april.fines) == [Decimal("30")]


def test_a_night_shift_after_midnight_belongs_to_its_business_date():
    # 00:30 on 1 April closes the shift of 31 March: it is March's third missing handover.
    facts = [fact("a", "handover_missing", d(day)) for day in (10, 20)]
    facts.append(fact("a", "handover_missing", d(1, 4), "00:30", business_date=d(31)))
    assert amounts(run("taobao-s4-fines", facts).agent("a").fines)[-1] == Decimal("80")


def test_facts_out_of_order_are_counted_in_time_order():
    facts = [
        fact("a", "handover_missing", d(20), id="third"),
        fact("a", "handover_missing", d(2), id="first"),
        fact("a", "handover_missing", d(2), "23:00", id="second"),
    ]
    agent = run("taobao-s4-fines", facts).agent("a")
    assert [(f.fact_ids, f.amount) for f in agent.fines] == [
        (("first",), Decimal("30")),
        (("second",), Decimal("50")),
        (("third",), Decimal("80")),
    ]


def test_each_agent_counts_separately():
    facts = [fact(agent, "handover_missing", d(2)) for agent in ("a", "b")]
    outcome = run("taobao-s4-fines", facts)
    assert amounts(outcome.agent("a").fines) == amounts(outcome.agent("b").fines) == [Decimal(30)]


def test_a_weekly_period_straddles_the_month():
    # Mon 30 March - Sun 5 April is one ISO week: the April occurrence is the week's second.
    policy = preset_with("taobao-s4-fines", {"fines.rules.0.period": "week"})
    facts = [fact("a", "handover_missing", d(31)), fact("a", "handover_missing", d(2, 4))]
    april = run(policy, facts, month=Month(2026, 4)).agent("a")
    assert amounts(april.fines) == [Decimal("50")]
    assert april.fines[0].explanation.startswith("本周第2次")
    assert amounts(run(policy, facts).agent("a").fines) == [Decimal("30")]


def test_unpriced_facts_are_listed_not_dropped():
    facts = [fact("a", "messy_desk", d(2), id="desk"), fact("a", "handover_missing", d(2))]
    outcome = run("taobao-s4-fines", facts)
    assert outcome.unpriced == ("desk",)


def test_an_early_leave_is_priced_like_a_lateness_when_the_policy_says_so():
    policy = preset_with(
        "taobao-s4-fines",
        {"fines.rules.6": {"fact": "late", "form": "list", "amounts": ["10", "20"], "clause": "T"}},
    )
    facts = [fact("a", "late", d(2), minutes=3), fact("a", "early_leave", d(3), minutes=3)]
    agent = run(policy, facts).agent("a")
    assert amounts(agent.fines) == [Decimal("10"), Decimal("20")]
    assert agent.fines[1].explanation.startswith("本月第2次迟到（早退）")


def test_a_weekly_threshold_charged_last_month_is_not_charged_again():
    # Mon 30 March - Sun 5 April: the 4th slow round (31 March) made the week's 50 due in
    # March; the 5th and 6th (April) add nothing in April.
    policy = preset_with("taobao-s1", {"fines.rules.2.period": "week"})
    facts = [fact("a", "slow_round", d(30), quantity=2), fact("a", "slow_round", d(31), quantity=2)]
    facts.append(fact("a", "slow_round", d(2, 4), quantity=2))
    assert amounts(run(policy, facts).agent("a").fines) == [Decimal(50)]
    assert run(policy, facts, month=Month(2026, 4)).agent("a").fines == ()


MIXED = [
    fact("a", "handover_missing", d(2), "01:00", id="x1"),
    fact("a", "complaint_valid", d(3), "10:00", id="x2"),
    fact("b", "handover_missing", d(3), "11:00", id="x3"),
    fact("a", "handover_missing", d(9), "01:00", id="x4"),
    fact("a", "complaint_valid", d(12), "10:00", id="x5"),
    fact("a", "complaint_valid", d(20), "10:00", id="x6"),
    fact("b", "handover_missing", d(25), "11:00", id="x7"),
    fact("a", "handover_missing", d(28), "01:00", id="x8"),
]

EXPECTED = run("taobao-s4-fines", MIXED)


@given(st.permutations(MIXED))
def test_the_order_facts_arrive_in_changes_nothing(facts):
    assert run("taobao-s4-fines", facts) == EXPECTED
