"""Worked example, preset pdd-s3 (S3, 拼多多网店客服管理制度), March 2026, three agents.

S3 punishes through a 10-point scale (§3): each agent starts the month at 10; at or below 5 a
verbal warning, at or below 2 a punishment, three months in a row at or below 5 a severe
punishment. S3 names no fine. Pay is borrowed by the preset from S1 (base by level, 0.5 %
commission, team score 10 % of base, full attendance 100, living 200); the team score is read
as the month's score out of 10 (no seed says how it is scored, see the report)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kefu.payroll.calculator import AgentMonth
from kefu.payroll.tests.worked import MARCH, work_month
from kefu.performance.awards import AttendanceRecord
from kefu.performance.engine import Month, month_rules_apply
from kefu.performance.tests.support import d, fact, incident
from kefu.policy.documents import load_preset

POLICY = load_preset("pdd-s3")

FACTS = [
    # 小美: late twice (S3 §3(2): 0.5 each) and not logged in three times (§3(4): 3 in a
    # month cost 5): 10 - 0.5 - 0.5 - 5 = 4.
    fact("xiaomei", "late", d(3), "08:10", id="m-late-1", minutes=10),
    fact("xiaomei", "late", d(16), "08:20", id="m-late-2", minutes=20),
    fact("xiaomei", "not_logged_in", d(5), "12:30", id="m-off-1"),
    fact("xiaomei", "not_logged_in", d(12), "12:40", id="m-off-2"),
    fact("xiaomei", "not_logged_in", d(19), "12:10", id="m-off-3"),
    # 小丽: three complaints about her attitude (§3(6): 1 each, 3 in a month 5 in all).
    fact("xiaoli", "complaint_attitude", d(7), "15:00", id="l-c1"),
    fact("xiaoli", "complaint_attitude", d(14), "15:00", id="l-c2"),
    fact("xiaoli", "complaint_attitude", d(21), "15:00", id="l-c3"),
    # 阿强: more than 30 minutes late, classified as an absence (§3(2): 2 points).
    fact("aqiang", "absence", d(9), "09:00", id="q-absent"),
]
# 阿强 also left a day's work undone; the supervisor chose 0.5 of 0.5-1 (§3(7)).
INCIDENTS = [incident("aqiang", "work_not_done", d(26), id="q-undone", points="0.5")]


def low_month(month):
    """January and February: 小美 absent without leave once (§3(2): 5), ending at 5."""
    day = month.first_day.replace(day=10)
    return month_rules_apply(
        policy=POLICY,
        facts=[fact("xiaomei", "absenteeism", day, id=f"m-absent-{month}")],
        month=month,
        agents=["xiaomei", "xiaoli", "aqiang"],
    )


@pytest.fixture(scope="module")
def month():
    previous = [low_month(Month(2026, 1)), low_month(Month(2026, 2))]
    return work_month(
        POLICY,
        facts=FACTS,
        incidents=INCIDENTS,
        previous=previous,
        pay=[
            AgentMonth(
                "xiaomei",
                "junior",
                personal_sales=Decimal("30000.00"),
                attendance=AttendanceRecord.from_facts(FACTS, agent_id="xiaomei", month=MARCH),
            ),
            AgentMonth("xiaoli", "intermediate", personal_sales=Decimal("75000.00")),
            AgentMonth(
                "aqiang",
                "senior",
                personal_sales=Decimal("100000.00"),
                attendance=AttendanceRecord.from_facts(FACTS, agent_id="aqiang", month=MARCH),
            ),
        ],
    )


def test_points(month):
    assert month.points("xiaomei") == [
        (Decimal("-0.5"), "S3 §3(2) 迟到一次0.5分"),  # 3 March
        (Decimal("-0.5"), "S3 §3(2) 迟到一次0.5分"),  # 16 March
        (Decimal(-5), "S3 §3(4) 每月累计3次扣5分"),  # the 3rd time offline, 19 March
    ]
    assert month.outcome.agent("xiaomei").score == Decimal("4.0")
    complaints = "S3 §3(6) 每次扣1分，达到3次扣5分，达到5次扣10分"
    # 1, 1, then the step replaces the total: 5 - 2 = 3 more.
    assert month.points("xiaoli") == [
        (Decimal(-1), complaints),
        (Decimal(-1), complaints),
        (Decimal(-3), complaints),
    ]
    assert month.outcome.agent("xiaoli").score == Decimal(5)
    assert month.points("aqiang") == [
        (Decimal(-2), "S3 §3(2) 缺勤一次2分"),
        (Decimal("-0.5"), "S3 §3(7) 口头批评或扣0.5-1分"),
    ]
    assert month.outcome.agent("aqiang").score == Decimal("7.5")
    assert month.fines("xiaomei") == month.fines("xiaoli") == month.fines("aqiang") == []


def test_recommendations(month):
    # 小美: 4 is at or below 5 (verbal warning), and the third month in a row at or below 5.
    assert month.recommended("xiaomei") == ["verbal_warning", "severe_punishment"]
    # 小丽: 5 is at or below 5, but January and February were not low.
    assert month.recommended("xiaoli") == ["verbal_warning"]
    assert month.recommended("aqiang") == []


def test_payslips(month):
    assert month.lines("xiaomei") == [
        ("base", Decimal(1500)),
        ("commission", Decimal("150.00")),  # 30000 x 0.5 %
        ("team_score", Decimal("60.00")),  # 1500 x 10 % x 4/10
        ("living", Decimal(200)),  # no full attendance: late twice
    ]
    assert month.total("xiaomei") == Decimal("1910.00")
    assert month.lines("xiaoli") == [
        ("base", Decimal(1800)),
        ("commission", Decimal("375.00")),  # 75000 x 0.5 %
        ("team_score", Decimal("90.00")),  # 1800 x 10 % x 5/10
        ("full_attendance", Decimal(100)),
        ("living", Decimal(200)),
    ]
    assert month.total("xiaoli") == Decimal("2565.00")
    assert month.lines("aqiang") == [
        ("base", Decimal(2200)),
        ("commission", Decimal("500.00")),  # 100000 x 0.5 %
        ("team_score", Decimal("165.00")),  # 2200 x 10 % x 7.5/10
        ("living", Decimal(200)),  # no full attendance: an absence (S3 adds no_absence)
    ]
    assert month.total("aqiang") == Decimal("3065.00")
    assert month.slips["aqiang"].lines[2].explanation == (
        "团队评分奖金 = 底薪¥2200×10%×本月考评分7.5/10 = ¥165（S1 §3（借用））"
    )
