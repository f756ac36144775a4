"""Large neighbourhood search over rosters, run beside CP-SAT's own tree search.

CP-SAT's tree search with the full LP proves bounds on rosters but finds good rosters slowly,
and its built-in neighbourhoods share one thread with many other helpers. Rosters have natural
neighbourhoods: a few agents' whole months, every agent over a few days, or the agents who could
fill a shift that is short. This search frees one neighbourhood at a time, fixes every other
(agent, day) to the best roster so far and lets CP-SAT re-optimise it, on its own copy of the
model (same rules, same objective); a neighbourhood kind grows while its sub-problems solve to
optimality and shrinks when they time out.

Threads exchange rosters (agent x day -> shift), not variables, so the search may use a leaner
model than the tree search (minimum runs as clauses rather than a flow). When head counts are
the only rule across agents (the benchmark), whole-month neighbourhoods go to a model of the
freed agents alone (`months`): on Curtois & Qu Instance12 the same 60 neighbourhoods took 12.7 s
of CPU that way against 20.4 s on the whole model with the rest fixed, ending at 5659 against 5737.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from kefu.rota.solver.model import RosterModel
from kefu.rota.solver.months import Costs, decomposable, reoptimise
from kefu.rota.solver.soft import order_identical

Roster = list[list[int]]
"""[agent][day] -> index of the shift worked, or -1 for a day off."""

SUB_SECONDS = 1.0
"""Time limit of one neighbourhood's sub-problem; with the full LP (linearization level 2) a
sub-problem of a few agents' months usually closes within it."""
KINDS = ("agents", "days", "short", "short")
"""Neighbourhood kinds drawn at random; "short" (agents who could fill a short shift) twice as
often, since a missing agent is usually the costliest term."""


@dataclass
class Best:
    """The best roster found by any thread, and the best lower bound on its cost."""

    objective: float = math.inf
    roster: Roster | None = None
    bound: float = -math.inf
    found_by: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def offer(self, objective: float, roster: Roster, by: str) -> bool:
        with self.lock:
            if objective < self.objective - 1e-9:
                self.objective, self.roster, self.found_by = objective, roster, by
                return True
            return False

    def snapshot(self) -> tuple[float, Roster | None]:
        with self.lock:
            return self.objective, self.roster

    def proven(self) -> bool:
        """The best roster is optimal: no roster costs less than the bound (costs are whole)."""
        if math.isinf(self.objective) or math.isinf(self.bound):
            return False
        return self.objective <= math.ceil(self.bound - 1e-6)


def roster_from(rm: RosterModel, is_true: Callable[[cp_model.IntVar], bool]) -> Roster:
    return [
        [next((s for s, v in rm.shifts_on(a, d) if is_true(v)), -1) for d in range(rm.n_days)]
        for a in range(len(rm.problem.agents))
    ]


def decisions(
    rm: RosterModel, roster: Roster, cells: Iterable[tuple[int, int]] | None = None
) -> list[int]:
    """The literals (CP-SAT's encoding: variable index, or -index-1 for its negation) of x and
    work that make `roster` on `cells`, or everywhere."""
    table = rm.cell_variables
    literals: list[int] = []
    every = ((a, d) for a in range(len(table)) for d in range(rm.n_days))
    for a, d in every if cells is None else cells:
        key = roster[a][d]
        options, work = table[a][d]
        worked = False
        for s, index in options:
            if s == key:
                literals.append(index)
                worked = True
            else:
                literals.append(-index - 1)
        literals.append(work if worked else -work - 1)
    return literals


def solve_fixed(
    rm: RosterModel,
    fixed: list[int],
    seconds: float,
    hint: list[int] | None = None,
    *,
    seed: int = 0,
    full_lp: bool = False,
) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
    """Solve rm.model with the literals `fixed` true (see `decisions`), starting from `hint`;
    the variables' domains are restored afterwards. Only for a model no other thread is solving.

    Each call touches the proto as little as it can (one domain read per fixed variable, the
    hint in two calls): on the benchmark's Instance12 reading and restoring every domain and
    adding the hint variable by variable cost twice the solve itself (0.18 s against 0.09 s
    per neighbourhood)."""
    variables = rm.model.proto.variables
    for literal in fixed:
        value = int(literal >= 0)
        domain = variables[literal if value else -literal - 1].domain
        domain[0] = domain[1] = value
    rm.model.clear_hints()
    if hint:
        rm.model.proto.solution_hint.vars.extend(
            [literal if literal >= 0 else -literal - 1 for literal in hint]
        )
        rm.model.proto.solution_hint.values.extend([int(literal >= 0) for literal in hint])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.random_seed = seed
    if full_lp:
        solver.parameters.linearization_level = 2
    try:
        status = solver.solve(rm.model)
    finally:
        for literal in fixed:
            domain = variables[literal if literal >= 0 else -literal - 1].domain
            domain[0], domain[1] = 0, 1
        rm.model.clear_hints()
    return solver, status


class Recorder(cp_model.CpSolverSolutionCallback):
    """Passes each roster of the tree search to `best`."""

    def __init__(self, rm: RosterModel, best: Best) -> None:
        super().__init__()
        self.rm, self.best = rm, best

    def on_solution_callback(self) -> None:
        self.best.offer(self.objective_value, roster_from(self.rm, self.boolean_value), "cp-sat")


@dataclass
class Neighbourhoods:
    """Neighbourhood kinds and their sizes (agents freed, days freed)."""

    rm: RosterModel
    rng: random.Random
    agents: int = 3
    days: int = 3

    def pick(self, roster: Roster) -> tuple[str, set[tuple[int, int]]]:
        n_agents, n_days = len(self.rm.problem.agents), self.rm.n_days
        kind = self.rng.choice(KINDS)
        every_day = range(n_days)
        if kind == "short" and (short := self._short(roster)):
            d, s = self.rng.choice(short)
            could = [
                a for a in range(n_agents) if roster[a][d] != s and self.rm.var(a, d, s) is not None
            ]
            chosen = self.rng.sample(could, min(self.agents, len(could)))
            return kind, {(a, e) for a in chosen for e in every_day}
        if kind == "days":
            start = self.rng.randrange(max(1, n_days - self.days + 1))
            window = range(start, min(n_days, start + self.days))
            return kind, {(a, d) for a in range(n_agents) for d in window}
        chosen = self.rng.sample(range(n_agents), min(self.agents, n_agents))
        return "agents", {(a, d) for a in chosen for d in every_day}

    def _short(self, roster: Roster) -> list[tuple[int, int]]:
        """(day, shift) below their preferred head count in `roster`."""
        rm = self.rm
        out = []
        for cover in rm.problem.cover:
            d, s = rm.day_index.get(cover.day), rm.shift_index[cover.shift]
            if d is None or cover.preferred == 0:
                continue
            if sum(1 for row in roster if row[d] == s) < cover.preferred:
                out.append((d, s))
        return out

    def adapt(self, kind: str, optimal: bool, seconds: float) -> None:
        """Grow a kind whose sub-problem closed in under a third of its time, shrink one that
        timed out: many quick moves beat a few slow ones."""
        if optimal and seconds >= SUB_SECONDS / 3:
            return
        step = 1 if optimal else -1
        if kind == "days":
            self.days = min(self.rm.n_days, max(2, self.days + step))
        else:
            self.agents = min(len(self.rm.problem.agents), max(1, self.agents + step))


def lns_loop(
    rm: RosterModel,
    best: Best,
    stop: threading.Event,
    deadline: float,
    *,
    seed: int = 0,
    halt: Callable[[], None] | None = None,
) -> int:
    """Improve `best` until `stop` is set, the deadline passes or the bound proves it optimal;
    returns the iterations run. `rm` must be this thread's own model."""
    rng = random.Random(seed)
    hoods = Neighbourhoods(rm, rng)
    problem = rm.problem
    costs = Costs(problem) if decomposable(problem) else None
    iterations = 0
    overrun = 0.0
    """Longest time a sub-problem took beyond its limit (presolving and reading back a big
    model), kept free before the deadline."""
    while not stop.is_set() and not best.proven():
        left = deadline - time.perf_counter() - overrun
        objective, roster = best.snapshot()
        if left < 0.05:
            break
        if roster is None:
            stop.wait(0.05)
            continue
        kind, free = hoods.pick(roster)
        iterations += 1
        began, limit = time.perf_counter(), min(SUB_SECONDS, left)
        if costs is not None and kind != "days":
            # Whole months of a few agents: their own small model (see months).
            freed = sorted({a for a, _ in free})
            started = time.perf_counter()
            found = reoptimise(problem, roster, freed, limit, seed=rng.randrange(1 << 30))
            if found is not None:
                candidate = order_identical(problem, found[0])
                cost = costs(candidate)
                if cost < objective:
                    best.offer(cost, candidate, "lns")
            optimal = found is not None and found[1]
            hoods.adapt(kind, optimal, time.perf_counter() - started)
        else:
            keep = [
                (a, d)
                for a in range(len(problem.agents))
                for d in range(rm.n_days)
                if (a, d) not in free
            ]
            solver, status = solve_fixed(
                rm,
                decisions(rm, roster, keep),
                limit,
                decisions(rm, roster, free),
                seed=rng.randrange(1 << 30),
                full_lp=True,
            )
            if (
                status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
                and solver.objective_value < objective
            ):
                best.offer(solver.objective_value, roster_from(rm, solver.boolean_value), "lns")
            hoods.adapt(kind, status == cp_model.OPTIMAL, solver.wall_time)
        overrun = max(overrun, time.perf_counter() - began - limit)
        if best.proven() and halt is not None:
            halt()
    return iterations
