"""Awards by the policy: top places by team size, top by a metric, full attendance, stacking,
the consecutive-first ladder."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kefu.performance.awards import (
    AgentFigures,
    AttendanceRecord,
    awards_compute,
    full_attendance_met,
    ladder_amount,
)
from kefu.performance.engine import Month
from kefu.performance.tests.support import d, fact, preset_with
from kefu.policy.documents import load_preset

MARCH = Month(2026, 3)
S0 = load_preset("tmall-s0")
S43 = load_preset("taobao-s4-standard")
S45 = load_preset("taobao-s4-points")


def team(*sales, **extra):
    return [
        AgentFigures(f"a{i}", sales=Decimal(value), **extra) for i, value in enumerate(sales, 1)
    ]


def paid(outcome, kind=None):
    return [(e.agent_id, e.amount) for e in outcome.entries if kind is None or e.kind == kind]


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (4, [("a4", Decimal(100))]),
        (5, [("a5", Decimal(100)), ("a4", Decimal(50))]),
        (6, [("a6", Decimal(100)), ("a5", Decimal(50))]),
        (7, [("a7", Decimal(200)), ("a6", Decimal(100)), ("a5", Decimal(50))]),
    ],
)
def test_s0_top_sellers_by_team_size(size, expected):
    figures = team(*(1000 * i for i in range(1, size + 1)))
    outcome = awards_compute(policy=S0, month=MARCH, figures=figures)
    assert paid(outcome, "top_by_team_size") == expected


def test_s0_explanation_names_team_place_and_value():
    outcome = awards_compute(policy=S0, month=MARCH, figures=team(500, 12000))
    assert outcome.entries[0].explanation.startswith(
        "团队2人，本月销售额最高第1名（¥12000）：奖励¥100（S0 §2.1(1)"
    )


def test_ties_share_the_places_they_occupy():
    # Seven agents, two tied first: (200 + 100) / 2 each; the next is third: 50.
    figures = team(9000, 9000, 5000, 100, 100, 100, 100)
    outcome = awards_compute(policy=S0, month=MARCH, figures=figures)
    assert paid(outcome, "top_by_team_size") == [
        ("a1", Decimal(150)),
        ("a2", Decimal(150)),
        ("a3", Decimal(50)),
    ]
    assert "2人并列，名次奖金¥300平分" in outcome.entries[0].explanation
    # Three tied for one ¥100 place: 33.34 + 33.33 + 33.33, exactly 100.
    three = awards_compute(policy=S0, month=MARCH, figures=team(10, 10, 10))
    assert paid(three, "top_by_team_size") == [
        ("a1", Decimal("33.34")),
        ("a2", Decimal("33.33")),
        ("a3", Decimal("33.33")),
    ]


def test_nobody_wins_with_nothing():
    assert awards_compute(policy=S0, month=MARCH, figures=team(0, 0)).entries == ()


def test_s0_best_service_language():
    figures = [
        AgentFigures("a", service_language=Decimal("92.5")),
        AgentFigures("b", service_language=Decimal("97")),
    ]
    outcome = awards_compute(policy=S0, month=MARCH, figures=figures)
    assert paid(outcome) == [("b", Decimal(100))]
    assert outcome.entries[0].explanation == (
        "本月服务用语最好第1名（97分）：奖励¥100（S0 §2.1(2) 每月服务用语最好的奖励100）"
    )


def test_s43_awards_stack():
    star = AgentFigures(
        "star",
        sales=Decimal(80000),
        conversion=Decimal("0.42"),
        overall_score=Decimal(95),
    )
    other = AgentFigures(
        "other",
        sales=Decimal(50000),
        conversion=Decimal("0.30"),
        overall_score=Decimal(90),
        attendance=AttendanceRecord(late=1),
    )
    outcome = awards_compute(policy=S43, month=MARCH, figures=[star, other])
    # Full attendance, top sales, top overall score, top conversion: 4 x 100 (S4.3 §6).
    assert outcome.total("star") == Decimal(400)
    assert outcome.total("other") == Decimal(0)
    kinds = [(e.kind, e.metric) for e in outcome.for_agent("star")]
    assert kinds == [
        ("full_attendance", None),
        ("top", "sales"),
        ("top", "overall_score"),
        ("top", "conversion"),
    ]


def test_without_stacking_an_agent_keeps_the_largest_award():
    policy = preset_with(
        "taobao-s4-standard",
        {"awards.items.1.amounts": ["150"], "awards.stacking.stackable": False},
    )
    star = AgentFigures("star", sales=Decimal(1), conversion=Decimal("0.4"))
    outcome = awards_compute(policy=policy, month=MARCH, figures=[star])
    assert paid(outcome) == [("star", Decimal(150))]


def test_full_attendance_follows_the_policy_conditions():
    record = AttendanceRecord.from_facts(
        [fact("a", "late", d(3), minutes=5), fact("b", "late", d(3, 4), minutes=5)],
        agent_id="a",
        month=MARCH,
    )
    assert record.late == 1 and not full_attendance_met(S43, record)
    assert full_attendance_met(S43, AttendanceRecord())
    assert not full_attendance_met(S43, AttendanceRecord(leave=1))
    # S3 (borrowed S4.3 list plus 缺勤): an absence breaks it.
    assert AttendanceRecord(absence=1).breaches(["no_late", "no_absence"]) == ["no_absence"]


def test_probationers_without_bonus_are_not_ranked():
    figures = [
        AgentFigures("new", sales=Decimal(90000), on_probation=True),
        AgentFigures("old", sales=Decimal(40000)),
    ]
    outcome = awards_compute(policy=S43, month=MARCH, figures=figures)
    assert outcome.total("new") == Decimal(0)
    assert ("old", Decimal(100)) in paid(outcome, "top")


def test_s45_consecutive_first_ladder_3_months_100_6_months_200_and_so_on():
    previous = []
    paid_by_month = []
    month = Month(2026, 1)
    for _ in range(12):
        figures = [
            AgentFigures("best", evaluation_score=Decimal(98)),
            AgentFigures("next", evaluation_score=Decimal(90)),
        ]
        outcome = awards_compute(policy=S45, month=month, figures=figures, previous=previous)
        previous.append(outcome)
        paid_by_month.append(outcome.total("best"))
        month = month.next()
    expected = [0, 0, 100, 0, 0, 200, 0, 0, 300, 0, 0, 400]
    assert paid_by_month == [Decimal(x) for x in expected]
    assert previous[5].entries[0].explanation.startswith("连续6个月考核分第一：奖励¥200")


def test_s45_ladder_run_breaks_when_another_agent_is_first():
    jan, feb, mar = Month(2026, 1), Month(2026, 2), Month(2026, 3)
    history = []
    for month, best in ((jan, "a"), (feb, "b"), (mar, "a")):
        figures = [
            AgentFigures("a", evaluation_score=Decimal(99 if best == "a" else 80)),
            AgentFigures("b", evaluation_score=Decimal(99 if best == "b" else 80)),
        ]
        history.append(awards_compute(policy=S45, month=month, figures=figures, previous=history))
    assert [h.firsts["evaluation_score"] for h in history] == [("a",), ("b",), ("a",)]
    assert all(h.entries == () for h in history)


def test_ladder_amount_with_a_single_continuing_step():
    policy = preset_with(
        "taobao-s4-points", {"awards.items.0.ladder": [{"months": 2, "amount": "80"}]}
    )
    award = policy.awards.items[0]
    assert [ladder_amount(award, run) for run in range(1, 7)] == [
        None,
        Decimal(80),
        None,
        Decimal(160),
        None,
        Decimal(240),
    ]


def test_figures_refuse_floats():
    with pytest.raises(TypeError, match="not the float"):
        AgentFigures("a", sales=1000.0)
    with pytest.raises(TypeError, match="not the float"):
        AgentFigures("a", conversion=0.3)
