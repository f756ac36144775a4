"""Worked example, preset taobao-s4-fines (S4.1, 淘宝客服管理制度 第一篇), March 2026, three
agents.

S4.1 fines in yuan, each form in a natural month: the handover log 30, 50, 80, then the month's
pay withheld, then resignation (§1); the weekly summary 50, 100, 200, then the same (§3); valid
complaints 100, doubled, the third resignation (§6); cleaning 50 (§13); secrecy 150 (§15).
All fines go to the department fund (§16). Pay is borrowed by the preset from S4.5 (the
guarantee by level, 2000 / 2200 / 2500): S4.1 §7 refers to a pay regime not in the seed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kefu.payroll.calculator import AgentMonth
from kefu.payroll.tests.worked import work_month
from kefu.performance.tests.support import d, fact
from kefu.policy.documents import load_preset

POLICY = load_preset("taobao-s4-fines")

FACTS = [
    # 小美 leaves the night shift (16:00-01:00) without a handover entry four times; each is
    # found at 01:00 and belongs to the shift's date.
    fact("xiaomei", "handover_missing", d(4), "01:00", id="m-h1", business_date=d(3)),
    fact("xiaomei", "handover_missing", d(10), "01:00", id="m-h2", business_date=d(9)),
    fact("xiaomei", "handover_missing", d(16), "01:00", id="m-h3", business_date=d(15)),
    fact("xiaomei", "handover_missing", d(28), "01:00", id="m-h4", business_date=d(27)),
    # 小丽: two weekly summaries missing at Saturday 17:00, one valid complaint, cleaning.
    fact("xiaoli", "weekly_summary_missing", d(7), "17:00", id="l-w1"),
    fact("xiaoli", "weekly_summary_missing", d(21), "17:00", id="l-w2"),
    fact("xiaoli", "complaint_valid", d(12), "11:00", id="l-c1"),
    fact("xiaoli", "cleaning_not_done", d(18), "18:00", id="l-clean"),
    # 阿强: three valid complaints and a secrecy breach.
    fact("aqiang", "complaint_valid", d(5), "10:00", id="q-c1"),
    fact("aqiang", "complaint_valid", d(13), "10:00", id="q-c2"),
    fact("aqiang", "complaint_valid", d(25), "10:00", id="q-c3"),
    fact("aqiang", "secrecy_breach", d(20), "16:00", id="q-secret"),
]


@pytest.fixture(scope="module")
def month():
    return work_month(
        POLICY,
        facts=FACTS,
        pay=[
            # The supervisor accepted the recommendation to withhold 小美's month.
            AgentMonth("xiaomei", "junior", withhold_accepted=True),
            AgentMonth("xiaoli", "intermediate"),
            AgentMonth("aqiang", "senior"),
        ],
    )


def test_handover_list_then_withheld_pay(month):
    # §1: 1st 30, 2nd 50, 3rd 80, 4th withhold the month's pay (a recommendation).
    assert month.fines("xiaomei") == [Decimal(30), Decimal(50), Decimal(80)]
    assert month.recommended("xiaomei") == ["withhold_month_pay"]
    assert month.outcome.agent("xiaomei").recommendations[0].fact_ids == (
        "m-h1",
        "m-h2",
        "m-h3",
        "m-h4",
    )


def test_weekly_summary_complaint_and_cleaning(month):
    # §3: 1st 50, 2nd 100; §6: 1st complaint 100; §13: cleaning 50. In time order.
    assert month.fines("xiaoli") == [Decimal(50), Decimal(100), Decimal(50), Decimal(100)]
    assert [f.clause for f in month.outcome.agent("xiaoli").fines] == [
        "S4.1 §3 工作总结",
        "S4.1 §6 投诉",
        "S4.1 §13",
        "S4.1 §3 工作总结",
    ]
    assert month.recommended("xiaoli") == []


def test_complaints_double_then_resignation(month):
    # §6: 100, then doubled to 200, the third "三次以上自动离职": a recommendation only.
    assert month.fines("aqiang") == [Decimal(100), Decimal(200), Decimal(150)]
    assert month.recommended("aqiang") == ["resignation"]
    assert month.outcome.agent("aqiang").recommendations[0].explanation == (
        "本月第3次因服务原因被有效投诉：建议视为自动离职，须主管决定（S4.1 §6 投诉）"
    )


def test_the_fund_receives_every_fine(month):
    # §16: 160 + 300 + 450 = 910 into the department fund this month.
    total = sum(month.outcome.agent(a).fines_total for a in ("xiaomei", "xiaoli", "aqiang"))
    assert total == Decimal(910)
    assert POLICY.fines.fund is not None and POLICY.fines.fund.all_fines_to_department_fund


def test_payslips(month):
    # 小美: first guarantee 2000 (nothing else earned), fines -160, then the accepted
    # withholding takes the remaining 1840: nothing is paid.
    assert month.lines("xiaomei") == [
        ("guarantee", Decimal(2000)),
        ("fine", Decimal(-30)),
        ("fine", Decimal(-50)),
        ("fine", Decimal(-80)),
        ("withhold", Decimal(-1840)),
    ]
    assert month.total("xiaomei") == Decimal(0)
    assert month.slips["xiaomei"].lines[-1].clause == "S4.1 §1 交接"
    # 小丽: 2200 - 50 - 100 - 50 - 100 = 1900.
    assert month.total("xiaoli") == Decimal(1900)
    assert month.lines("xiaoli")[0] == ("guarantee", Decimal(2200))
    # 阿强: 2500 - 100 - 200 - 150 = 2050; the resignation is a person's decision.
    assert month.lines("aqiang") == [
        ("guarantee", Decimal(2500)),
        ("fine", Decimal(-100)),
        ("fine", Decimal(-200)),
        ("fine", Decimal(-150)),
    ]
    assert month.total("aqiang") == Decimal(2050)
    assert [line.fact_ids for line in month.slips["aqiang"].lines[1:]] == [
        ("q-c1",),
        ("q-c2",),
        ("q-secret",),
    ]
