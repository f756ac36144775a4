"""The roster solver 排班引擎: pure Python on OR-Tools CP-SAT, no Django.

    problem = problem_from_policy(policy.schedule, 2026, 11, agents)
    solution = solve(problem)            # RosterSolution: roster, objective, penalties
    solution.explanations                # when INFEASIBLE: sentences, Chinese then English

The same model solves the Curtois & Qu benchmark (`read_nrp`, checked by `nrp_check`).
"""

from kefu.rota.solver.check import Violation, check_roster
from kefu.rota.solver.explain import explain
from kefu.rota.solver.from_policy import AgentInput, day_kind, month_days, problem_from_policy
from kefu.rota.solver.model import build_model
from kefu.rota.solver.nrp import nrp_check, parse_nrp, read_nrp
from kefu.rota.solver.problem import (
    Agent,
    Cover,
    Explanation,
    Penalty,
    Request,
    RosterProblem,
    RosterSolution,
    Rotation,
    ShiftType,
    Status,
    Weights,
)
from kefu.rota.solver.solve import solve

__all__ = [
    "Agent",
    "AgentInput",
    "Cover",
    "Explanation",
    "Penalty",
    "Request",
    "RosterProblem",
    "RosterSolution",
    "Rotation",
    "ShiftType",
    "Status",
    "Violation",
    "Weights",
    "build_model",
    "check_roster",
    "day_kind",
    "explain",
    "month_days",
    "nrp_check",
    "parse_nrp",
    "problem_from_policy",
    "read_nrp",
    "solve",
]
