"""Worked example, preset tmall-s0 (S0, 天猫网店日常管理制度), March 2026, three agents.

S0 disciplines by warnings and demerits and names no fine, so no fact costs money; its two
awards are the month's top seller by team size and the best service language. Pay, the
10-point scale and the full-attendance conditions are borrowed by the preset (S1 §3, S3 §3,
S4.3 §6(1)) and computed here as the preset stands."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kefu.payroll.calculator import AgentMonth
from kefu.payroll.tests.worked import MARCH, work_month
from kefu.performance.awards import AgentFigures, AttendanceRecord
from kefu.performance.tests.support import d, fact
from kefu.policy.documents import load_preset

POLICY = load_preset("tmall-s0")
LATE = fact("xiaoli", "late", d(9), "08:05", id="punch-0309-xiaoli", minutes=5)


@pytest.fixture(scope="module")
def month():
    late_record = AttendanceRecord.from_facts([LATE], agent_id="xiaoli", month=MARCH)
    return work_month(
        POLICY,
        facts=[LATE],
        figures=[
            AgentFigures("xiaomei", sales=Decimal("52000.00"), service_language=Decimal(96)),
            AgentFigures("xiaoli", sales=Decimal("61234.56"), service_language=Decimal(90)),
            AgentFigures("aqiang", sales=Decimal("48000.00"), service_language=Decimal(88)),
        ],
        pay=[
            AgentMonth("xiaomei", "junior", personal_sales=Decimal("52000.00")),
            AgentMonth(
                "xiaoli",
                "intermediate",
                personal_sales=Decimal("61234.56"),
                attendance=late_record,
            ),
            AgentMonth("aqiang", "senior", personal_sales=Decimal("48000.00")),
        ],
    )


def test_no_fine_no_points_and_the_lateness_is_shown_unpriced(month):
    # S0 §2.2: discipline without amounts; the preset has no fine rules and no catalogue, so
    # the lateness is priced by nothing and listed for the supervisor, never dropped.
    for agent in ("xiaomei", "xiaoli", "aqiang"):
        assert month.fines(agent) == [] and month.points(agent) == []
        # 10-point scale (S3 §3, borrowed): everyone keeps the 10 they start with.
        assert month.outcome.agent(agent).score == Decimal(10)
    assert month.outcome.unpriced == ("punch-0309-xiaoli",)


def test_awards(month):
    # S0 §2.1(1): 3 agents is "4人内": only first place, 100 -> 小丽 (61234.56 in sales).
    # S0 §2.1(2): best service language 100 -> 小美 (96 points).
    assert month.awarded("xiaoli") == [("top_by_team_size", Decimal(100))]
    assert month.awarded("xiaomei") == [("top", Decimal(100))]
    assert month.awarded("aqiang") == []


def test_payslips(month):
    # S1 §3 (borrowed): base by level + 0.5 % of own sales + team score (10 % of base at full
    # score: 10/10 here) + full attendance 100 + living allowance 200.
    assert month.lines("xiaomei") == [
        ("base", Decimal(1500)),  # 初级
        ("commission", Decimal("260.00")),  # 52000 x 0.5 %
        ("team_score", Decimal("150.00")),  # 1500 x 10 % x 10/10
        ("full_attendance", Decimal(100)),  # no lateness, early leave, absenteeism or leave
        ("living", Decimal(200)),
        ("award", Decimal(100)),  # best service language
    ]
    assert month.total("xiaomei") == Decimal("2310.00")
    assert month.lines("xiaoli") == [
        ("base", Decimal(1800)),  # 中级
        ("commission", Decimal("306.17")),  # 61234.56 x 0.5 % = 306.1728, half up to the fen
        ("team_score", Decimal("180.00")),
        # no full attendance: the lateness of 9 March breaks "no_late" (S4.3 §6(1), borrowed)
        ("living", Decimal(200)),
        ("award", Decimal(100)),  # top seller
    ]
    assert month.total("xiaoli") == Decimal("2586.17")
    assert month.lines("aqiang") == [
        ("base", Decimal(2200)),  # 高级
        ("commission", Decimal("240.00")),  # 48000 x 0.5 %
        ("team_score", Decimal("220.00")),
        ("full_attendance", Decimal(100)),
        ("living", Decimal(200)),
    ]
    assert month.total("aqiang") == Decimal("2960.00")


def test_every_line_names_its_clause(month):
    slip = month.slips["xiaoli"]
    assert [line.clause for line in slip.lines] == [
        "S1 §3（借用）",
        "S1 §3（借用）",
        "S1 §3（借用）",
        "S1 §3（借用）",
        "S0 §2.1(1) 每月销量第一：4人内100；5到6人前2名100、50；超过7人前3名200、100、50",
    ]
    assert slip.lines[1].explanation == ("个人销售额¥61234.56×0.5%=¥306.1728（S1 §3（借用））")
