"""A few agents' whole months re-optimised on a model of their own.

When head counts are soft and are the only rule across agents (the benchmark; any problem
without online hours, hard head counts or team-wide soft rules), the agents outside a
neighbourhood only matter through the head counts they already fill. Their months then need no
variables at all: the sub-problem is the freed agents alone against the head counts the others
leave open (as the greedy start places one agent), a model a few per cent the size of the whole
roster's, built and solved in a fraction of the time the whole model takes with most of it fixed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace

from ortools.sat.python import cp_model

from kefu.rota.solver.greedy import residual_cover
from kefu.rota.solver.model import build_model
from kefu.rota.solver.problem import RosterProblem

Roster = list[list[int]]


def decomposable(problem: RosterProblem) -> bool:
    """Head counts are soft and are the only rule across agents, and the only soft rule is the
    agents' requests (so a roster's cost is its requests plus its head counts)."""
    weights = problem.weights
    return (
        bool(problem.agents)
        and problem.online_hours is None
        and all(c.min == 0 and c.max is None for c in problem.cover)
        and weights.balance_hours == 0
        and weights.fair_weekends == 0
        and weights.stability == 0
        and (problem.rotation is None or weights.rotation == 0)
    )


class Costs:
    """The objective of a roster of a decomposable problem, computed without the model."""

    def __init__(self, problem: RosterProblem) -> None:
        self.problem = problem
        day = {d: i for i, d in enumerate(problem.days)}
        shift = {s.key: i for i, s in enumerate(problem.shifts)}
        factor = problem.weights.preferences
        self.requests = [
            [
                (day[r.day], -1 if r.shift is None else shift[r.shift], r.on, r.weight * factor)
                for r in agent.requests
                if r.day in day and r.weight
            ]
            for agent in problem.agents
        ]
        self.cover = [
            (
                day[c.day],
                shift[c.shift],
                c.preferred,
                c.under_weight if c.preferred > c.min else 0,
                c.over_weight,
            )
            for c in problem.cover
            if c.day in day
        ]

    def __call__(self, roster: Roster) -> int:
        cost = 0
        for row, requests in zip(roster, self.requests, strict=True):
            for d, s, on, weight in requests:
                hit = row[d] >= 0 if s < 0 else row[d] == s
                if hit != on:
                    cost += weight
        counts: Counter[tuple[int, int]] = Counter(
            (d, s) for row in roster for d, s in enumerate(row) if s >= 0
        )
        for d, s, preferred, under, over in self.cover:
            have = counts[d, s]
            cost += under * max(0, preferred - have) + over * max(0, have - preferred)
        return cost


def reoptimise(
    problem: RosterProblem, roster: Roster, freed: list[int], seconds: float, seed: int
) -> tuple[Roster, bool] | None:
    """`roster` with the months of the `freed` agents re-optimised against the head counts the
    others fill, and whether CP-SAT proved that sub-problem optimal; None if it found no
    roster in time."""
    keys = [shift.key for shift in problem.shifts]
    chosen = set(freed)
    placed: Counter[tuple[dt.date, str]] = Counter(
        (day, keys[s])
        for a, row in enumerate(roster)
        if a not in chosen
        for day, s in zip(problem.days, row, strict=True)
        if s >= 0
    )
    sub = replace(
        problem,
        agents=tuple(problem.agents[a] for a in freed),
        cover=residual_cover(problem, placed),
    )
    rm, _ = build_model(sub, runs_as_flow=False)
    for i, a in enumerate(freed):
        for d in range(rm.n_days):
            for s, var in rm.shifts_on(i, d):
                rm.model.add_hint(var, roster[a][d] == s)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.random_seed = seed
    solver.parameters.linearization_level = 2
    status = solver.solve(rm.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    result = [list(row) for row in roster]
    for i, a in enumerate(freed):
        result[a] = [
            next((s for s, var in rm.shifts_on(i, d) if solver.boolean_value(var)), -1)
            for d in range(rm.n_days)
        ]
    return result, status == cp_model.OPTIMAL
