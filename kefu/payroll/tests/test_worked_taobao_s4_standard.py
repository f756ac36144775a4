"""Worked example, preset taobao-s4-standard (S4.2 + S4.3, 淘宝客服管理制度 第二、三篇),
March 2026, three agents.

S4.3 §7 fines: non-work activity 50, doubled each time; valid complaints 50, doubled; a quarrel
with a customer 50. S4.3 §6 awards, stackable: full attendance 100, top sales 100, top overall
score 100, top conversion 100. Commission: S4.2 counts it from the blue-flag notes; the rate is
borrowed by the preset from S1 (0.5 %), the guarantee and probation from S4.5."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kefu.payroll.calculator import AgentMonth
from kefu.payroll.tests.worked import MARCH, work_month
from kefu.performance.awards import AgentFigures, AttendanceRecord
from kefu.performance.tests.support import d, fact
from kefu.policy.documents import load_preset

POLICY = load_preset("taobao-s4-standard")

FACTS = [
    # 小丽: late 12 minutes (breaks full attendance; S4.3 names no fine for it), three
    # valid complaints: 50, 100, 200.
    fact("xiaoli", "late", d(6), "08:42", id="l-late", minutes=12),
    fact("xiaoli", "complaint_valid", d(4), "20:00", id="l-c1"),
    fact("xiaoli", "complaint_valid", d(11), "20:00", id="l-c2"),
    fact("xiaoli", "complaint_valid", d(30), "20:00", id="l-c3"),
    # 阿强: two long phone calls at work (50, then 100), a quarrel with a customer (50).
    fact("aqiang", "non_work_activity", d(2), "10:00", id="q-phone-1"),
    fact("aqiang", "non_work_activity", d(17), "10:00", id="q-phone-2"),
    fact("aqiang", "quarrel_with_customer", d(24), "19:00", id="q-quarrel"),
]
SALES = {
    "xiaomei": Decimal("320000.00"),
    "xiaoli": Decimal("250000.50"),
    "aqiang": Decimal("300000.00"),
}


def record(agent):
    return AttendanceRecord.from_facts(FACTS, agent_id=agent, month=MARCH)


@pytest.fixture(scope="module")
def month():
    return work_month(
        POLICY,
        facts=FACTS,
        figures=[
            AgentFigures(
                "xiaomei",
                sales=SALES["xiaomei"],
                conversion=Decimal("0.45"),
                overall_score=Decimal(92),
                attendance=record("xiaomei"),
            ),
            AgentFigures(
                "xiaoli",
                sales=SALES["xiaoli"],
                conversion=Decimal("0.38"),
                overall_score=Decimal(88),
                attendance=record("xiaoli"),
            ),
            AgentFigures(
                "aqiang",
                sales=SALES["aqiang"],
                conversion=Decimal("0.41"),
                overall_score=Decimal(90),
                attendance=record("aqiang"),
            ),
        ],
        pay=[
            AgentMonth(agent, level, personal_sales=SALES[agent])
            for agent, level in (
                ("xiaomei", "junior"),
                ("xiaoli", "intermediate"),
                ("aqiang", "senior"),
            )
        ],
    )


def test_fines(month):
    assert month.fines("xiaomei") == []
    assert month.fines("xiaoli") == [Decimal(50), Decimal(100), Decimal(200)]  # §7(2)
    assert month.fines("aqiang") == [Decimal(50), Decimal(100), Decimal(50)]  # §7(1), §7(3)
    assert month.outcome.unpriced == ("l-late",)


def test_awards_stack(month):
    # 小美 tops sales, overall score and conversion and has full attendance: 4 x 100.
    assert month.awarded("xiaomei") == [
        ("full_attendance", Decimal(100)),
        ("top", Decimal(100)),  # sales 320000
        ("top", Decimal(100)),  # overall 92
        ("top", Decimal(100)),  # conversion 45 %
    ]
    assert month.awarded("xiaoli") == []  # late once: no full attendance
    assert month.awarded("aqiang") == [("full_attendance", Decimal(100))]


def test_payslips(month):
    # 小美: 320000 x 0.5 % = 1600, below the first guarantee 2000: topped up by 400; the
    # awards are paid on top of the guarantee, never absorbed by it.
    assert month.lines("xiaomei") == [
        ("commission", Decimal("1600.00")),
        ("guarantee", Decimal("400.00")),
        ("award", Decimal(100)),
        ("award", Decimal(100)),
        ("award", Decimal(100)),
        ("award", Decimal(100)),
    ]
    assert month.total("xiaomei") == Decimal("2400.00")
    # 小丽: 250000.50 x 0.5 % = 1250.0025 → 1250.00; second guarantee 2200: +950;
    # fines 350.
    assert month.lines("xiaoli") == [
        ("commission", Decimal("1250.00")),
        ("guarantee", Decimal("950.00")),
        ("fine", Decimal(-50)),
        ("fine", Decimal(-100)),
        ("fine", Decimal(-200)),
    ]
    assert month.total("xiaoli") == Decimal("1850.00")
    # 阿强: 1500 commission, third guarantee 2500: +1000; full attendance 100; fines 200.
    assert month.lines("aqiang") == [
        ("commission", Decimal("1500.00")),
        ("guarantee", Decimal("1000.00")),
        ("award", Decimal(100)),
        ("fine", Decimal(-50)),
        ("fine", Decimal(-100)),
        ("fine", Decimal(-50)),
    ]
    assert month.total("aqiang") == Decimal("2400.00")
    assert month.slips["xiaoli"].lines[1].explanation == (
        "第二保底¥2200，核算工资¥1250，补足¥950（S4.5 二(二)（借用））"
    )
