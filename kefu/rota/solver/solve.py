"""Solving a RosterProblem: build the model, find a start, search, read the roster back.

First CP-SAT's own search (a full-LP tree search that proves bounds and optimality, plus its
generic neighbourhoods) for as long as a proof looks within reach (see PROBES); then the
roster neighbourhood search of `lns` takes the rest, one thread per worker. Both share the best
roster and the best bound. With one worker only the tree search runs.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from collections.abc import Mapping

from ortools.sat.python import cp_model

from kefu.rota.solver.greedy import greedy_roster
from kefu.rota.solver.lns import Best, Recorder, Roster, decisions, lns_loop, solve_fixed
from kefu.rota.solver.model import RosterModel, Term, build_model
from kefu.rota.solver.problem import Penalty, RosterProblem, RosterSolution, Status
from kefu.rota.solver.soft import order_identical

DEFAULT_WORKERS = 2
"""CP-SAT search workers; the roster runs beside other jobs, so two unless told."""
GREEDY_SHARE = 0.2
"""Most of the time limit the greedy starting roster's passes may take."""
REPAIR_SHARE = 0.4
"""Until this share of the time limit the greedy start may go on repairing head counts its
passes left short: without a valid start, a big month (the benchmark's 200 agents) gets no
roster at all from the search in the rest of the time."""

Assignment = Mapping[tuple[str, dt.date], str | None]


def to_roster(rm: RosterModel, assignment: Assignment) -> Roster:
    index = rm.shift_index
    return [
        [index.get(assignment.get((agent.id, day)) or "", -1) for day in rm.problem.days]
        for agent in rm.problem.agents
    ]


def to_assignment(rm: RosterModel, roster: Roster) -> dict[tuple[str, dt.date], str | None]:
    shifts = rm.problem.shifts
    return {
        (agent.id, day): shifts[roster[a][d]].key if roster[a][d] >= 0 else None
        for a, agent in enumerate(rm.problem.agents)
        for d, day in enumerate(rm.problem.days)
    }


def penalty_breakdown(rm: RosterModel, terms: list[Term], roster: Roster) -> dict[str, Penalty]:
    """Each term's count at `roster`, grouped by (name, weight); a name with several weights
    gets one line per weight, named "name×weight"."""
    solver, status = solve_fixed(rm, decisions(rm, roster), 10.0)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {}
    grouped: dict[tuple[str, int], int] = {}
    for term in terms:
        count = term.count if isinstance(term.count, int) else int(solver.value(term.count))
        grouped[term.name, term.weight] = grouped.get((term.name, term.weight), 0) + count
    names = [name for name, _ in grouped]
    lines = {}
    for (name, weight), count in sorted(grouped.items()):
        label = name if names.count(name) == 1 else f"{name}×{weight}"
        lines[label] = Penalty(count, weight, count * weight)
    return lines


def solve(
    problem: RosterProblem,
    *,
    workers: int = DEFAULT_WORKERS,
    time_limit_seconds: float | None = None,
    hint: Assignment | None = None,
    seed: int = 0,
    log: bool = False,
) -> RosterSolution:
    """Solve within the problem's time limit (or the given one). An infeasible problem comes
    back with explanations in words (see `explain`)."""
    started = time.perf_counter()
    limit = problem.time_limit_seconds if time_limit_seconds is None else time_limit_seconds
    deadline = started + limit
    rm, terms = build_model(problem)
    if hint is None:
        hint = greedy_roster(
            problem,
            deadline=started + GREEDY_SHARE * limit,
            repair_until=started + REPAIR_SHARE * limit,
        )
    best = Best()
    if hint:
        # The start goes to `best` (the neighbourhood search improves it), not to the tree
        # search as a hint: measured on the benchmark, CP-SAT's full-LP search finds better
        # rosters from its own LP-guided dives than from a hinted greedy roster (Instance7 at
        # 60 s: 1068 against 1167 with the complete greedy roster as its first solution).
        start = order_identical(problem, to_roster(rm, hint))
        checking = time.perf_counter()
        solver, status = solve_fixed(rm, decisions(rm, start), max(0.1, deadline - started))
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            best.offer(solver.objective_value, start, "start")
        # Reading the best roster's penalties back is the same fixed solve; the search and a
        # neighbourhood running over by as much stop early enough for both to end in time
        # (0.3 s each on the benchmark's 200-agent month).
        deadline -= 2 * (time.perf_counter() - checking)
    code = _tree_search(rm, best, deadline, workers, seed, log)
    if code not in (cp_model.OPTIMAL, cp_model.INFEASIBLE) and workers >= 2 and terms:
        _neighbourhood_search(problem, best, deadline, workers, seed)
    if best.roster is None:
        return _no_roster(problem, code, started, limit)
    return RosterSolution(
        status=Status.OPTIMAL if best.proven() or not terms else Status.FEASIBLE,
        assignment=to_assignment(rm, best.roster),
        objective=round(best.objective) if terms else 0,
        penalties=penalty_breakdown(rm, terms, best.roster),
        seconds=time.perf_counter() - started,
        best_bound=best.bound if terms else 0.0,
    )


ROOT_LP_GAP = 0.9
ROOT_LP_SECONDS = 2.5
"""The looks for an unfinished root LP wait at least this long: CP-SAT reports a trivial bound
first (a gap of 100 %), and on a loaded machine a short solve (Instance1 in a 10 s test, whose
first look would come at 0.5 s) must not be stopped before its root LP is done."""
PROBES = ((0.05, ROOT_LP_GAP), (0.1, ROOT_LP_GAP), (0.2, 0.1), (0.5, 0.01))
"""(share of the time, gap): at each share of the time the tree search stops if the best
roster is more than `gap` above its bound, and the neighbourhood search takes its workers.
At 5 % and 10 %, a root LP not even finished (Curtois & Qu Instance9, 10 and 12: bounds of 7
to 179 against rosters in the thousands; Instance1-8 are within 90 % after 0.25-1.5 s of tree
search on an idle machine), if a bound is known at all by then and not before
ROOT_LP_SECONDS; at 20 %, far from a proof (on the big instances it barely improves the greedy
roster, where the neighbourhoods halve it); at 50 %, anything but a proof within reach
(Instance5 and 6 under a load of 5: the tree search alone proves them at 40 s and 35 s, where
stopping at 50 % left bounds of 1139 and 1948 against the optima 1143 and 1950)."""


def probe_delays(seconds: float) -> list[float]:
    """When each of PROBES looks, in seconds after a tree search of `seconds` starts."""
    return [
        round(max(seconds * at, ROOT_LP_SECONDS if gap >= ROOT_LP_GAP else 0.0), 6)
        for at, gap in PROBES
    ]


def _tree_search(
    rm: RosterModel, best: Best, deadline: float, workers: int, seed: int, log: bool
) -> cp_model.CpSolverStatus:
    """CP-SAT's own portfolio on the tight model: the full-LP tree search (bounds, proofs) and,
    with two workers, its generic neighbourhoods on the second thread."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    if workers <= 2:
        # Two threads: one full-LP tree search, the other for CP-SAT's neighbourhoods. Its local
        # search helpers (ls, fj) and the feasibility pump find first rosters; once a feasible
        # roster is known they rarely help and only take turns from the neighbourhoods.
        solver.parameters.subsolvers.append("max_lp")
        if best.roster is not None:
            solver.parameters.ignore_subsolvers.extend(["ls", "fj", "feasibility_pump"])
        if workers == 1:
            solver.parameters.linearization_level = 2
    left = deadline - time.perf_counter()
    solver.parameters.max_time_in_seconds = max(0.0, left)
    solver.parameters.random_seed = seed
    solver.parameters.log_search_progress = log
    solver.best_bound_callback = lambda bound: setattr(best, "bound", max(best.bound, bound))

    def probe(gap: float, needs_bound: bool) -> None:
        if needs_bound and math.isinf(best.bound):
            return  # no bound yet (a short time limit on a loaded machine): no verdict
        if best.objective > 0 and (best.objective - best.bound) / best.objective > gap:
            solver.stop_search()

    timers = [
        threading.Timer(delay, probe, args=(gap, gap >= ROOT_LP_GAP))
        for delay, (_, gap) in zip(probe_delays(left), PROBES, strict=True)
    ]
    if workers >= 2:
        for timer in timers:
            timer.start()
    code = solver.solve(rm.model, Recorder(rm, best))
    for timer in timers:
        timer.cancel()
    if code == cp_model.OPTIMAL:
        best.bound = max(best.bound, solver.objective_value)
    elif code == cp_model.FEASIBLE:
        best.bound = max(best.bound, solver.best_objective_bound)
    return code


def _neighbourhood_search(
    problem: RosterProblem, best: Best, deadline: float, workers: int, seed: int
) -> None:
    """The rest of the time: one roster neighbourhood search per worker, each on its own lean
    model (see lns), sharing `best`."""
    stop = threading.Event()
    threads = []
    for k in range(workers):
        searcher, _ = build_model(problem, runs_as_flow=False)
        thread = threading.Thread(
            target=lns_loop,
            args=(searcher, best, stop, deadline),
            kwargs={"seed": seed + k},
            daemon=True,
        )
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()


def _no_roster(
    problem: RosterProblem, code: cp_model.CpSolverStatus, started: float, limit: float
) -> RosterSolution:
    from kefu.rota.solver.explain import explain

    status = Status.INFEASIBLE if code == cp_model.INFEASIBLE else Status.UNKNOWN
    explanations = explain(problem, workers=1, time_limit_seconds=min(10.0, limit))
    return RosterSolution(
        status=status,
        assignment={},
        objective=None,
        penalties={},
        seconds=time.perf_counter() - started,
        explanations=tuple(explanations),
    )
