"""Worked example, preset workflow-s2 (S2, 淘宝天猫客服工作流程), March 2026, three agents.

S2's only priced rule is non-work activity: 10, then 30, then dismissal (§4). Its pay is
borrowed by the preset from S4.5: a monthly guarantee by level (2000 / 2200 / 2500) and
probation at 1600 without bonus; there is no base and no commission, so the guarantee is the
whole pay. The hundred-point scale is borrowed from S4.5 too and has no catalogue."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kefu.payroll.calculator import AgentMonth
from kefu.payroll.tests.worked import work_month
from kefu.performance.tests.support import d, fact
from kefu.policy.documents import load_preset

POLICY = load_preset("workflow-s2")

FACTS = [
    fact("xiaomei", "non_work_activity", d(4), "15:00", id="m-phone"),  # 1st: 10
    fact("xiaoli", "non_work_activity", d(2), "10:30", id="l-game-1"),  # 1st: 10
    fact("xiaoli", "non_work_activity", d(11), "14:00", id="l-game-2"),  # 2nd: 30
    fact("xiaoli", "non_work_activity", d(23), "21:00", id="l-game-3"),  # 3rd: dismissal
]
SCORES = {
    # The supervisor's parts (S4.5 (二)(2), borrowed): 24 + 18 + 26 + 17 = 85.
    "xiaoli": {
        "team_task": Decimal(24),
        "handover_and_work": Decimal(18),
        "return_visit": Decimal(26),
        "competence": Decimal(17),
    }
}


@pytest.fixture(scope="module")
def month():
    return work_month(
        POLICY,
        facts=FACTS,
        part_scores=SCORES,
        pay=[
            AgentMonth("xiaomei", "junior", on_probation=True),
            AgentMonth("xiaoli", "intermediate"),
            AgentMonth("aqiang", "senior"),
        ],
    )


def test_fines_and_the_dismissal_recommendation(month):
    clause = "S2 §4 第一次违规罚款10元，第二次30元，第三次开除"
    assert month.fines("xiaomei") == [Decimal(10)]
    assert month.fines("xiaoli") == [Decimal(10), Decimal(30)]
    assert month.recommended("xiaoli") == ["dismissal"]
    recommendation = month.outcome.agent("xiaoli").recommendations[0]
    assert recommendation.explanation == (
        f"本月第3次上班做与工作无关的事：建议辞退，须主管决定（{clause}）"
    )
    assert recommendation.fact_ids == ("l-game-1", "l-game-2", "l-game-3")
    assert month.fines("aqiang") == [] and month.recommended("aqiang") == []


def test_scores(month):
    assert month.outcome.agent("xiaoli").score == Decimal(85)
    # Not scored: every part at full marks (and listed as such).
    assert month.outcome.agent("aqiang").score == Decimal(100)
    assert len(month.outcome.agent("aqiang").unscored_parts) == 4


def test_payslips(month):
    # 小美 is on probation: 1600, no bonus, no guarantee (S4.5 二(二), borrowed); the fine
    # still comes off.
    assert month.lines("xiaomei") == [("probation", Decimal(1600)), ("fine", Decimal(-10))]
    assert month.total("xiaomei") == Decimal(1590)
    # Nothing earned, so the second guarantee (中级) pays 2200 in full; the fines come after
    # the guarantee, else it would absorb them.
    assert month.lines("xiaoli") == [
        ("guarantee", Decimal(2200)),
        ("fine", Decimal(-10)),
        ("fine", Decimal(-30)),
    ]
    assert month.total("xiaoli") == Decimal(2160)
    # The dismissal is only recommended: 小丽 is paid as usual until a person decides.
    assert month.lines("aqiang") == [("guarantee", Decimal(2500))]  # third guarantee (高级)
    assert month.slips["aqiang"].lines[0].explanation == (
        "第三保底¥2500，核算工资¥0，补足¥2500（S4.5 二(二)（借用））"
    )
