"""Worked example, preset taobao-s1 (S1, 淘宝天猫店铺客服管理制度), March 2026, three agents.

S1 prices attendance and response in yuan (§1, §2), deducts bad reviews (§3.5) and pays base
by level + 0.5 % commission + team score (10 % of base) + full attendance 100 + living 200
(§3). The 10-point scale is borrowed (S3) and has no catalogue here: every score stays 10."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kefu.payroll.calculator import AgentMonth
from kefu.payroll.tests.worked import MARCH, work_month
from kefu.performance.awards import AttendanceRecord
from kefu.performance.tests.support import d, fact
from kefu.policy.documents import load_preset

POLICY = load_preset("taobao-s1")

XIAOMEI = [
    # S1 §1: two latenesses of 10 minutes or less a month are free; beyond that 20 each, and
    # a lateness over 10 minutes is 20 (it does not use up the two free ones).
    fact("xiaomei", "late", d(3), "08:05", id="m-late-1", minutes=5),  # 1st short: free
    fact("xiaomei", "late", d(10), "08:08", id="m-late-2", minutes=8),  # 2nd short: free
    fact("xiaomei", "late", d(17), "08:06", id="m-late-3", minutes=6),  # 3rd short: 20
    fact("xiaomei", "late", d(24), "08:25", id="m-late-4", minutes=25),  # over 10 min: 20
    # S1 §2: more than 3 slow rounds a month cost 50; three cost nothing.
    fact("xiaomei", "slow_round", d(5), "10:00", id="m-slow-1"),
    fact("xiaomei", "slow_round", d(12), "10:00", id="m-slow-2"),
    fact("xiaomei", "slow_round", d(19), "10:00", id="m-slow-3"),
]
XIAOLI = [
    # Five slow rounds, counted by the KPI engine per day: the 4th is inside the 20 March row.
    fact("xiaoli", "slow_round", d(6), "23:00", id="l-slow-0306", quantity=2),
    fact("xiaoli", "slow_round", d(20), "23:00", id="l-slow-0320", quantity=3),
    # S1 §2 "以此累加": a buyer left 2 hours was also left 30 minutes: 100 + 200.
    fact("xiaoli", "unanswered_30min", d(15), "14:30", id="l-wait-30", minutes=30),
    fact("xiaoli", "unanswered_2h", d(15), "16:00", id="l-wait-2h", minutes=120),
]
AQIANG = [
    fact("aqiang", "not_online", d(8), "16:00", id="q-offline"),  # S1 §1: 200
    fact("aqiang", "bad_review_unchanged", d(28), "12:00", id="q-review"),  # S1 §3.5: 100
]


@pytest.fixture(scope="module")
def month():
    facts = [*XIAOMEI, *XIAOLI, *AQIANG]
    return work_month(
        POLICY,
        facts=facts,
        pay=[
            AgentMonth(
                "xiaomei",
                "junior",
                personal_sales=Decimal("40000.00"),
                attendance=AttendanceRecord.from_facts(facts, agent_id="xiaomei", month=MARCH),
            ),
            # Attributed sales are net of the orders S1 §3.4-3.5 take away (returns and bad
            # reviews caused by the agent): the attribution engine's job, given here.
            AgentMonth("xiaoli", "intermediate", personal_sales=Decimal("88888.88")),
            AgentMonth("aqiang", "account_manager", personal_sales=Decimal("120000.00")),
        ],
    )


def test_xiaomei_grace_and_slow_rounds(month):
    assert month.fines("xiaomei") == [Decimal(20), Decimal(20)]
    agent = month.outcome.agent("xiaomei")
    assert [f.fact_ids for f in agent.fines] == [("m-late-3",), ("m-late-4",)]
    clause = "S1 §1 超过一次每次扣20元；迟到超过10分钟每次扣20元"
    assert [f.explanation for f in agent.fines] == [
        f"本月第3次迟到（其中2次免罚）：罚款¥20（{clause}）",
        f"本月第4次迟到（其中2次免罚）：罚款¥20（{clause}）",
    ]
    assert [n.fact_ids for n in agent.notes if n.rule == "attendance.late.grace"] == [
        ("m-late-1",),
        ("m-late-2",),
    ]


def test_xiaoli_threshold_and_unanswered(month):
    agent = month.outcome.agent("xiaoli")
    assert month.fines("xiaoli") == [Decimal(100), Decimal(200), Decimal(50)]
    assert [f.fact_ids for f in agent.fines] == [
        ("l-wait-30",),
        ("l-wait-2h",),
        ("l-slow-0306", "l-slow-0320"),  # the 4th slow round, with the three before it
    ]


def test_aqiang_offline_and_unchanged_review(month):
    assert month.fines("aqiang") == [Decimal(200), Decimal(100)]
    for agent in ("xiaomei", "xiaoli", "aqiang"):
        assert month.outcome.agent(agent).score == Decimal(10)
        assert month.recommended(agent) == []
    assert month.outcome.unpriced == ()


def test_payslips(month):
    assert month.lines("xiaomei") == [
        ("base", Decimal(1500)),  # S1 §3 初级
        ("commission", Decimal("200.00")),  # 40000 x 0.5 %
        ("team_score", Decimal("150.00")),  # 1500 x 10 % x 10/10
        # no full attendance: four latenesses (the free ones are still latenesses)
        ("living", Decimal(200)),
        ("fine", Decimal(-20)),
        ("fine", Decimal(-20)),
    ]
    assert month.total("xiaomei") == Decimal("2010.00")
    assert month.lines("xiaoli") == [
        ("base", Decimal(1800)),  # 中级
        ("commission", Decimal("444.44")),  # 88888.88 x 0.5 % = 444.4444
        ("team_score", Decimal("180.00")),
        ("full_attendance", Decimal(100)),
        ("living", Decimal(200)),
        ("fine", Decimal(-100)),
        ("fine", Decimal(-200)),
        ("fine", Decimal(-50)),
    ]
    assert month.total("xiaoli") == Decimal("2374.44")
    assert month.lines("aqiang") == [
        ("base", Decimal(2700)),  # 客户经理
        ("commission", Decimal("600.00")),  # 120000 x 0.5 %
        ("team_score", Decimal("270.00")),
        ("full_attendance", Decimal(100)),
        ("living", Decimal(200)),
        ("fine", Decimal(-200)),
        ("fine", Decimal(-100)),
    ]
    assert month.total("aqiang") == Decimal("3570.00")
