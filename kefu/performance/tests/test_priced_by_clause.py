"""The facts a seed's clause covers are priced by that clause; the others stay unpriced (the
table in docs/payroll.md, "Facts priced by a clause")."""

from __future__ import annotations

import functools
from decimal import Decimal

import pytest

from kefu.performance.engine import Month, month_rules_apply
from kefu.performance.tests.support import amounts, d, fact
from kefu.policy.documents import PolicyError, load_preset, policy_from_data, policy_to_data

MARCH = Month(2026, 3)
PRESETS = (
    "tmall-s0",
    "taobao-s1",
    "workflow-s2",
    "pdd-s3",
    "taobao-s4-fines",
    "taobao-s4-standard",
    "dongyao-s4",
    "taobao-s4-points",
)
# fact -> the presets whose seed prices it (docs/payroll.md gives the clause, or why not).
PRICED = {
    "weekly_summary_short": {"taobao-s4-fines"},
    "handover_unacknowledged": {"taobao-s4-points"},
    "quality_hit_confirmed": {"taobao-s4-points"},
}


@functools.cache
def preset(name):
    return load_preset(name)


@pytest.mark.parametrize("name", PRESETS)
@pytest.mark.parametrize("key", sorted(PRICED))
def test_which_presets_price_the_fact(name, key):
    outcome = month_rules_apply(
        policy=preset(name), facts=[fact("a", key, d(10), id="x")], month=MARCH
    )
    priced = "x" not in outcome.unpriced
    assert priced == (name in PRICED[key])


def test_s41_a_short_summary_counts_as_not_handed_in_in_the_same_escalation():
    # S4.1 §3: 工作总结不低于200字, 1次不交扣50元, 2次100, 三次200, 四次扣发当月工资.
    # A missing summary (7th), then two short ones (14th, 21st), then a missing one (28th):
    # the 2nd and 3rd are the 2nd and 3rd of the list, the 4th is the withholding.
    facts = [
        fact("a", "weekly_summary_missing", d(7), "17:01", id="w7"),
        fact("a", "weekly_summary_short", d(14), "17:00", id="w14"),
        fact("a", "weekly_summary_short", d(21), "17:00", id="w21"),
        fact("a", "weekly_summary_missing", d(28), "17:01", id="w28"),
    ]
    agent = month_rules_apply(policy=preset("taobao-s4-fines"), facts=facts, month=MARCH).agent("a")
    assert amounts(agent.fines) == [Decimal("50"), Decimal("100"), Decimal("200")]
    assert [f.fact_ids for f in agent.fines] == [("w7",), ("w14",), ("w21",)]
    assert agent.fines[1].explanation == (
        "本月第2次周工作总结未交（周工作总结字数不足）：罚款¥100（S4.1 §3 工作总结）"
    )
    assert [r.consequence for r in agent.recommendations] == ["withhold_month_pay"]
    assert agent.recommendations[0].fact_ids == ("w7", "w14", "w21", "w28")


def test_s45_unconfirmed_handover_5_points_and_a_quality_hit_2_to_5():
    # S4.5 轻度5: 5 points a time; 轻度13 (the supervisor's check): 2-5 points an error, the
    # low end (2) until the supervisor chooses, marked pending. With two more light
    # violations (handover missing 5, messy desk 2) the month has four light ones: 重度5
    # adds 20; 加分5 (no valid complaint) adds 5. 100 - 5 - 2 - 5 - 2 - 20 + 5 = 71.
    facts = [
        fact("a", "handover_unacknowledged", d(3), "18:00", id="u"),
        fact("a", "quality_hit_confirmed", d(4), id="q"),
        fact("a", "handover_missing", d(5), "18:00", id="m"),
        fact("a", "messy_desk", d(6), id="k"),
    ]
    agent = month_rules_apply(policy=preset("taobao-s4-points"), facts=facts, month=MARCH).agent(
        "a"
    )
    assert [(p.points, p.clause, p.pending_choice) for p in agent.points] == [
        (Decimal(-5), "S4.5 轻度5 未能认真记录填写交接班记录及相关表单 5分/次", False),
        (Decimal(-2), "S4.5 轻度13 主管随机抽查 2-5分/一次错误", True),
        (Decimal(-5), "S4.5 轻度5", False),
        (Decimal(-2), "S4.5 轻度2", False),
        (Decimal(-20), "S4.5 重度5 中度两条或以上、轻度四条或以上", False),
        (Decimal(5), "S4.5 加分5", False),  # no valid complaint this month
    ]
    assert agent.points[1].explanation == (
        "本月第1次话术质检违规（主管已确认）：扣2分（区间待主管确认）"
        "（S4.5 轻度13 主管随机抽查 2-5分/一次错误）"
    )
    assert agent.score == Decimal(71)


def test_a_fact_in_also_that_another_rule_prices_is_refused():
    data = policy_to_data(preset("taobao-s4-fines"))
    data["fines"]["rules"][1]["also"] = ["weekly_summary_short", "handover_missing"]
    with pytest.raises(PolicyError) as caught:
        policy_from_data(data)
    assert caught.value.lines == [
        "fines.rules.1.also.1: handover_missing is already priced by rules.0"
    ]
    data["fines"]["rules"][1]["also"] = ["weekly_summary_missing"]
    with pytest.raises(PolicyError) as caught:
        policy_from_data(data)
    assert caught.value.lines == [
        "fines.rules.1.also.0: weekly_summary_missing is already counted by this rule"
    ]
