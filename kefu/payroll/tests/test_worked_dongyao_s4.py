"""Worked example, preset dongyao-s4 (S4.4, 东耀客服管理制度), March 2026, three agents.

S4.4 §3.2① prices valid complaints in a natural month: 50, then 100, three or more "自动离职"
(a recommendation). Pay is borrowed by the preset from S4.5: the guarantee by level and
probation at 1600 without bonus. S4.4 has no points; the borrowed hundred-point scale has no
catalogue, so facts such as a messy desk are priced by nothing and listed as unpriced."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kefu.payroll.calculator import AgentMonth
from kefu.payroll.tests.worked import work_month
from kefu.performance.tests.support import d, fact
from kefu.policy.documents import load_preset

POLICY = load_preset("dongyao-s4")
CLAUSE = "S4.4 §3.2① 一次50元，第二次100元，三次以上自动离职"

FACTS = [
    fact("xiaomei", "complaint_valid", d(14), "21:00", id="m-c1"),
    fact("xiaoli", "complaint_valid", d(3), "11:00", id="l-c1"),
    fact("xiaoli", "complaint_valid", d(17), "11:00", id="l-c2"),
    fact("xiaoli", "complaint_valid", d(29), "11:00", id="l-c3"),
    # A complaint of 1 April starts April's count: nothing in March.
    fact("xiaoli", "complaint_valid", d(1, 4), "11:00", id="l-c4"),
    fact("aqiang", "messy_desk", d(10), "18:00", id="q-desk"),
]


@pytest.fixture(scope="module")
def month():
    return work_month(
        POLICY,
        facts=FACTS,
        pay=[
            AgentMonth("xiaomei", "junior", on_probation=True),
            AgentMonth("xiaoli", "intermediate"),
            AgentMonth("aqiang", "senior"),
        ],
    )


def test_complaints(month):
    assert month.fines("xiaomei") == [Decimal(50)]
    assert month.fines("xiaoli") == [Decimal(50), Decimal(100)]
    assert month.recommended("xiaoli") == ["resignation"]
    assert month.outcome.agent("xiaoli").fines[1].explanation == (
        f"本月第2次因服务原因被有效投诉：罚款¥100（{CLAUSE}）"
    )
    assert month.fines("aqiang") == [] and month.recommended("aqiang") == []
    assert month.outcome.unpriced == ("q-desk",)


def test_payslips(month):
    # 小美 on probation: 1600, no bonus, no guarantee; the fine comes off.
    assert month.lines("xiaomei") == [("probation", Decimal(1600)), ("fine", Decimal(-50))]
    assert month.total("xiaomei") == Decimal(1550)
    # 小丽: second guarantee 2200 - 50 - 100; the resignation is the supervisor's to decide.
    assert month.lines("xiaoli") == [
        ("guarantee", Decimal(2200)),
        ("fine", Decimal(-50)),
        ("fine", Decimal(-100)),
    ]
    assert month.total("xiaoli") == Decimal(2050)
    assert month.slips["xiaoli"].lines[2].fact_ids == ("l-c2",)
    assert month.lines("aqiang") == [("guarantee", Decimal(2500))]
    assert month.total("aqiang") == Decimal(2500)
