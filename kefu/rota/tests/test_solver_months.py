"""A few agents' months re-optimised on their own model (the neighbourhood search's fast path)."""

from __future__ import annotations

import datetime as dt

from kefu.rota.solver.months import Costs, decomposable, reoptimise
from kefu.rota.solver.nrp import nrp_check, parse_nrp
from kefu.rota.solver.problem import Agent, Cover, RosterProblem, ShiftType, Weights

WEEK = """
SECTION_HORIZON
7

SECTION_SHIFTS
D,480,

SECTION_STAFF
A,D=7,3360,0,7,1,1,1
B,D=7,3360,0,7,1,1,1

SECTION_SHIFT_OFF_REQUESTS
A,4,D,150

SECTION_COVER
0,D,1,100,1
1,D,1,100,1
2,D,1,100,1
3,D,1,100,1
4,D,1,100,1
5,D,1,100,1
6,D,1,100,1
"""

OFF = -1


def assignment(problem: RosterProblem, roster: list[list[int]]) -> dict:
    return {
        (agent.id, day): None if roster[a][d] < 0 else problem.shifts[roster[a][d]].key
        for a, agent in enumerate(problem.agents)
        for d, day in enumerate(problem.days)
    }


def test_the_benchmark_splits_per_agent_a_shop_month_does_not():
    assert decomposable(parse_nrp(WEEK))
    day = dt.date(2026, 11, 2)
    shop = RosterProblem(
        days=(day,),
        shifts=(ShiftType("day", "白班", ((480, 1050),)),),
        agents=(Agent("a", "a"), Agent("b", "b")),
        cover=(Cover(day, "day", min=1, preferred=1),),
        weights=Weights(balance_hours=10),
    )
    assert not decomposable(shop)
    assert decomposable(
        RosterProblem(
            days=shop.days,
            shifts=shop.shifts,
            agents=shop.agents,
            cover=(Cover(day, "day", min=0, preferred=1, under_weight=5),),
        )
    )


def test_costs_agree_with_the_independent_checker():
    problem = parse_nrp(WEEK)
    costs = Costs(problem)
    nobody = [[OFF] * 7, [OFF] * 7]
    assert costs(nobody) == 700 == nrp_check(problem, assignment(problem, nobody))[0]
    everybody = [[0] * 7, [0] * 7]
    # Each day one over (1 each), and A's day-off request on day 4 unmet (150).
    assert costs(everybody) == 7 + 150 == nrp_check(problem, assignment(problem, everybody))[0]


def test_one_agent_fills_what_the_others_leave_open():
    problem = parse_nrp(WEEK)
    roster = [[OFF] * 7, [0, 0, 0, OFF, OFF, OFF, OFF]]  # B works Monday to Wednesday
    found = reoptimise(problem, roster, [0], seconds=5.0, seed=0)
    assert found is not None
    months, optimal = found
    assert optimal
    # A covers Thursday to Sunday except Friday, the day off A asked for (150 > 100 short).
    assert months[0] == [OFF, OFF, OFF, 0, OFF, 0, 0]
    assert months[1] == roster[1]
    assert Costs(problem)(months) == 100
    assert nrp_check(problem, assignment(problem, months)) == (100, [])
