"""The neighbourhood search: its fixed solve (cells fixed to a roster, the rest re-optimised,
the model released afterwards for the next neighbourhood) and when the tree search hands over."""

from __future__ import annotations

from ortools.sat.python import cp_model

from kefu.rota.solver.lns import decisions, roster_from, solve_fixed
from kefu.rota.solver.model import build_model
from kefu.rota.solver.nrp import parse_nrp
from kefu.rota.solver.solve import probe_delays
from kefu.rota.tests.test_solver_months import OFF, WEEK


def test_decisions_are_literals_of_the_roster_on_the_cells_given():
    rm, _ = build_model(parse_nrp(WEEK), runs_as_flow=False)
    roster = [[OFF] * 7, [0, 0, 0, OFF, OFF, OFF, OFF]]
    ((_, x_b_monday),), work_b_monday = rm.cell_variables[1][0]
    ((_, x_a_monday),), work_a_monday = rm.cell_variables[0][0]
    assert decisions(rm, roster, [(1, 0), (0, 0)]) == [
        x_b_monday,
        work_b_monday,
        -x_a_monday - 1,
        -work_a_monday - 1,
    ]
    assert len(decisions(rm, roster)) == 2 * 7 * 2


def test_fixed_cells_are_solved_around_then_released():
    rm, _ = build_model(parse_nrp(WEEK), runs_as_flow=False)
    roster = [[OFF] * 7, [0, 0, 0, OFF, OFF, OFF, OFF]]  # B works Monday to Wednesday
    b_month = [(1, d) for d in range(7)]
    a_month = [(0, d) for d in range(7)]
    solver, status = solve_fixed(
        rm, decisions(rm, roster, b_month), 5.0, decisions(rm, roster, a_month)
    )
    assert status == cp_model.OPTIMAL
    # A covers Thursday to Sunday except Friday, the day off A asked for (150 > 100 short).
    assert solver.objective_value == 100
    assert roster_from(rm, solver.boolean_value) == [[OFF, OFF, OFF, 0, OFF, 0, 0], roster[1]]
    variables = rm.model.proto.variables
    for row in rm.cell_variables:
        for options, work in row:
            for index in (*(i for _, i in options), work):
                assert list(variables[index].domain) == [0, 1]
    assert len(rm.model.proto.solution_hint.vars) == 0
    # Released, B may take Friday: every day covered, A's request met.
    solver, status = solve_fixed(rm, [], 5.0)
    assert status == cp_model.OPTIMAL
    assert solver.objective_value == 0


def test_the_tree_search_looks_for_an_unfinished_root_lp_not_before_its_floor():
    # A 10 s test: the 5 % and 10 % looks wait for the floor, the others keep their share.
    assert probe_delays(10.0) == [2.5, 2.5, 2.0, 5.0]
    # The benchmark's 60 s (58 s left after the greedy start): every look at its share.
    assert probe_delays(58.0) == [2.9, 5.8, 11.6, 29.0]
