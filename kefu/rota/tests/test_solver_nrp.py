"""The Curtois & Qu reader, the independent checker, and the model on benchmark instances."""

from __future__ import annotations

import datetime as dt

from kefu.rota.solver.nrp import NRP_START, nrp_check, parse_nrp, read_nrp
from kefu.rota.solver.problem import Status
from kefu.rota.solver.solve import solve

TINY = """
SECTION_HORIZON
7

SECTION_SHIFTS
# ShiftID, Length in mins, Shifts which cannot follow this shift | separated
E,480,
L,480,E

SECTION_STAFF
A,E=7|L=2,2880,960,3,2,2,1

SECTION_DAYS_OFF
A,3

SECTION_SHIFT_ON_REQUESTS
A,0,E,2

SECTION_SHIFT_OFF_REQUESTS
A,1,L,3

SECTION_COVER
0,E,1,100,1
1,L,1,100,1
"""


def instance(shared_data, number: int):
    path = shared_data / "curtois" / f"Instance{number}.txt"
    assert path.is_file(), f"benchmark instance not found: {path}"
    return read_nrp(path, time_limit_seconds=10)


def test_reader_on_instance1(shared_data):
    problem = instance(shared_data, 1)
    assert len(problem.days) == 14 and problem.days[0] == NRP_START
    assert [(s.key, s.minutes) for s in problem.shifts] == [("D", 480)]
    assert len(problem.agents) == 8 and len(problem.cover) == 14
    first = problem.agents[0]
    assert (first.id, first.max_shifts, first.max_minutes, first.min_minutes) == (
        "A",
        {"D": 14},
        4320,
        3360,
    )
    assert (
        first.max_consecutive_days,
        first.min_consecutive_days,
        first.min_consecutive_days_off,
    ) == (5, 2, 2)
    assert first.max_weekends == 1 and first.leave == frozenset({NRP_START})
    assert sum(len(a.requests) for a in problem.agents) == 21 + 5


def test_checker_on_an_empty_roster(shared_data):
    problem = instance(shared_data, 1)
    objective, violations = nrp_check(problem, {})
    # 71 agents short at 100 each, plus every shift-on request unmet (37 in all).
    assert objective == 7100 + 37
    assert violations == [f"{a}: 0 minutes outside [3360, 4320]" for a in "ABCDEFGH"]


def test_checker_finds_each_broken_rule():
    problem = parse_nrp(TINY)
    day = [NRP_START + dt.timedelta(days=d) for d in range(14)]
    roster = {("A", day[0]): "L", ("A", day[1]): "E", ("A", day[3]): "E"}
    roster |= {("A", day[5]): "L", ("A", day[6]): "L"}
    objective, violations = nrp_check(problem, roster)
    assert objective == 2 + 100 + 100  # the shift-on request unmet; day 0 E and day 1 L short
    assert violations == [
        "A: 3 shifts L > 2",
        "A: L then E on day 0",
        "A: 1 days off from day 2 < 2",
        "A: 1 working days from day 3 < 2",
        "A: 1 days off from day 4 < 2",
        "A: works day 3, a day off",
    ]
    weekend = {("A", day[5]): "E", ("A", day[6]): "E", ("A", day[12]): "E", ("A", day[13]): "E"}
    assert "A: 2 weekends > 1" in nrp_check(parse_nrp(TINY.replace("\n7\n", "\n14\n")), weekend)[1]


def test_instance1_reaches_the_proven_optimum(shared_data):
    problem = instance(shared_data, 1)
    # The solve ends at the proof (0.6 s on an idle machine). The tree search's looks scale with
    # the limit: at 10 s the 20 % look came at 2 s, and once, under the whole suite's load,
    # handed an unfinished proof to the neighbourhoods, which cannot finish it.
    solution = solve(problem, workers=2, time_limit_seconds=30)
    assert solution.status is Status.OPTIMAL
    assert solution.objective == 607
    assert nrp_check(problem, solution.assignment) == (607, [])
    assert sum(line.cost for line in solution.penalties.values()) == 607


def test_checker_agrees_with_the_model_on_instance2(shared_data):
    problem = instance(shared_data, 2)
    solution = solve(problem, workers=2, time_limit_seconds=5)
    objective, violations = nrp_check(problem, solution.assignment)
    assert violations == []
    assert objective == solution.objective
    assert sum(line.cost for line in solution.penalties.values()) == objective
