"""Worked example, preset taobao-s4-points (S4.5, 淘宝客服管理制度+奖金 第五篇), March 2026,
three agents.

S4.5 scores each agent out of 100 a month (二(二)(2): team task 30, handover and work 20,
return-visit satisfaction 30, competence 20), plus and minus the daily catalogue; under 60
costs 100 yuan; two failing months in a row lead to dismissal (a recommendation). Pay is the
guarantee by level (2000 / 2200 / 2500) and the department's commission, progressive by tier,
split by score: pool / all scores x own score (二(二)(g)). The seed's commission table is
lost: the preset's tier rates (1 % to 100000, 1.5 % to 300000, 2 % above) are placeholders,
used here as they stand. First place three months running earns 100."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kefu.payroll.calculator import AgentMonth
from kefu.payroll.tests.worked import TEAM, work_month
from kefu.performance.awards import AgentFigures, awards_compute
from kefu.performance.engine import Month, month_rules_apply
from kefu.performance.tests.support import d, fact, incident
from kefu.policy.documents import load_preset

POLICY = load_preset("taobao-s4-points")
FEB = Month(2026, 2)


def parts(team_task, handover_and_work, return_visit, competence):
    return {
        "team_task": Decimal(team_task),
        "handover_and_work": Decimal(handover_and_work),
        "return_visit": Decimal(return_visit),
        "competence": Decimal(competence),
    }


FACTS = [
    fact("xiaomei", "covered_shift_on_call", d(8), "09:00", id="m-cover"),  # 加分3: +5
    fact("xiaoli", "late", d(4), "08:44", id="l-punch", minutes=14),
    fact("xiaoli", "handover_missing", d(10), "17:30", id="l-h1"),  # 轻度5: -5
    fact("xiaoli", "handover_missing", d(17), "17:30", id="l-h2"),  # 轻度5: -5
    fact("xiaoli", "messy_desk", d(25), "17:40", id="l-desk"),  # 轻度2: -2, the 4th light one
    fact("aqiang", "complaint_valid", d(12), "15:00", id="q-complaint"),  # no bonus 5 this month
    fact("aqiang", "meeting_missed", d(16), "13:30", id="q-meeting"),  # 中度6: -10
]
# 轻度4 迟到、早退 2-5: the supervisor chose 3 for the 14-minute lateness.
INCIDENTS = [
    incident("xiaoli", "late_or_early", d(4), id="l-late", points="3", fact_ids=("l-punch",))
]
SCORES = {
    "xiaomei": parts(28, 18, 27, 18),  # 91
    "xiaoli": parts(25, 15, 24, 16),  # 80
    "aqiang": parts(30, 20, 28, 19),  # 97
}


@pytest.fixture(scope="module")
def month():
    # February: 小丽 scored 10 on each part, 40 + 5 (no complaint) = 45: a failing month.
    february = month_rules_apply(
        policy=POLICY,
        facts=[],
        month=FEB,
        agents=TEAM,
        part_scores={"xiaoli": parts(10, 10, 10, 10)},
    )
    # 小美 was first by evaluation score in January and February.
    awards_before = []
    for month, scores in ((Month(2026, 1), (99, 70, 95)), (FEB, (98, 45, 96))):
        figures = [
            AgentFigures(agent, evaluation_score=Decimal(score))
            for agent, score in zip(TEAM, scores, strict=True)
        ]
        awards_before.append(
            awards_compute(policy=POLICY, month=month, figures=figures, previous=awards_before)
        )
    return work_month(
        POLICY,
        facts=FACTS,
        incidents=INCIDENTS,
        part_scores=SCORES,
        previous=[february],
        # 二(二)(2)(e): first place by the month's evaluation score, read from the outcome.
        figures=lambda outcome: [
            AgentFigures(agent, evaluation_score=outcome.agent(agent).score) for agent in TEAM
        ],
        previous_awards=awards_before,
        pay=[
            AgentMonth("xiaomei", "junior"),
            AgentMonth("xiaoli", "intermediate"),
            AgentMonth("aqiang", "senior"),
        ],
        department_sales=Decimal("350000.00"),
    )


def test_points_and_scores(month):
    worked = month
    assert worked.points("xiaomei") == [
        (Decimal(5), "S4.5 加分3"),  # covered a shift on call
        (Decimal(5), "S4.5 加分5"),  # no valid complaint this month
    ]
    assert worked.outcome.agent("xiaomei").score == Decimal(101)  # 91 + 10
    assert worked.points("xiaoli") == [
        (Decimal(-3), "S4.5 轻度4"),  # the chosen 3 of 2-5
        (Decimal(-5), "S4.5 轻度5"),
        (Decimal(-5), "S4.5 轻度5"),
        (Decimal(-2), "S4.5 轻度2"),
        # four light violations in the month: 20 more (重度5), once
        (Decimal(-20), "S4.5 重度5 中度两条或以上、轻度四条或以上"),
        (Decimal(5), "S4.5 加分5"),
    ]
    # 80 - 3 - 5 - 5 - 2 - 20 + 5 = 50.
    assert worked.outcome.agent("xiaoli").score == Decimal(50)
    composite = worked.outcome.agent("xiaoli").points[4]
    assert composite.fact_ids == ("l-punch", "l-h1", "l-h2", "l-desk")
    assert composite.incident_ids == ("l-late",)
    assert worked.points("aqiang") == [(Decimal(-10), "S4.5 中度6")]
    assert worked.outcome.agent("aqiang").score == Decimal(87)  # 97 - 10, no bonus 5
    # S4.5 prices no valid complaint; it only takes away the zero-complaints bonus.
    assert worked.outcome.unpriced == ("q-complaint",)


def test_failing_month_fine_and_dismissal(month):
    worked = month
    # 50 is under 60: 100 yuan (二(二)(2)(e)); February failed too: dismissal recommended.
    assert worked.fines("xiaoli") == [Decimal(100)]
    assert worked.recommended("xiaoli") == ["dismissal"]
    assert worked.fines("xiaomei") == worked.fines("aqiang") == []


def test_consecutive_first(month):
    worked = month
    # 小美 first in January, February and March: the run reaches 3 months, 100.
    assert worked.awarded("xiaomei") == [("consecutive_first", Decimal(100))]
    assert worked.awards.entries[0].explanation == (
        "连续3个月考核分第一：奖励¥100"
        "（S4.5 (二)(2)(e), 奖励规则 连续3个月第一100元，6个月200元，如此类推）"
    )
    assert worked.awarded("xiaoli") == worked.awarded("aqiang") == []


def test_payslips(month):
    worked = month
    # Pool: 100000 x 1 % + 200000 x 1.5 % + 50000 x 2 % = 1000 + 3000 + 1000 = 5000.00.
    # Scores 101 + 50 + 87 = 238. Exact shares 2121.848.., 1050.420.., 1827.731..: rounded
    # down they make 4999.99; the fen left goes to the largest remainder (小美, .87 of a fen).
    assert worked.lines("xiaomei") == [
        ("pool_share", Decimal("2121.85")),  # above the first guarantee 2000: no top-up
        ("award", Decimal(100)),
    ]
    assert worked.total("xiaomei") == Decimal("2221.85")
    assert worked.lines("xiaoli") == [
        ("pool_share", Decimal("1050.42")),
        ("guarantee", Decimal("1149.58")),  # second guarantee 2200
        ("fine", Decimal(-100)),  # the failing month, after the guarantee
    ]
    assert worked.total("xiaoli") == Decimal("2100.00")
    assert worked.lines("aqiang") == [
        ("pool_share", Decimal("1827.73")),
        ("guarantee", Decimal("672.27")),  # third guarantee 2500
    ]
    assert worked.total("aqiang") == Decimal("2500.00")
    shares = sum(worked.slips[a].amounts("pool_share")[0] for a in TEAM)
    assert shares == Decimal("5000.00")
    assert worked.slips["xiaoli"].lines[0].explanation == (
        "部门销售额¥350000超额累进：¥100000以内¥100000×1%=¥1000；"
        "¥100000至¥300000的部分¥200000×1.5%=¥3000；超过¥300000的部分¥50000×2%=¥1000；"
        "合计¥5000，提成总额¥5000；个人奖金 = ¥5000 ÷ 全员考评总分238 × 个人考评分50"
        " = ¥1050.42（分摊尾差按最大余数法）（S4.5 二(二)(g) 总业绩提成奖金/总考评分*个人评分）"
    )
