"""Rules on sequences of days: forbidden shift successions and the lengths of runs of working
days and days off (max consecutive days, and the benchmark's minimum runs)."""

from __future__ import annotations

from kefu.rota.solver.model import RosterModel, Term
from kefu.rota.solver.problem import Agent, RosterProblem
from kefu.rota.solver.sequence import RunRules, State, add_run_flow


def add_forbidden_successions(rm: RosterModel) -> list[Term]:
    """Shift b is not worked the day after shift a. All the b's of one a go in one at-most-one
    (they exclude each other anyway), which is a tighter LP than one pair at a time."""
    cliques = succession_cliques(rm.problem)
    successors: dict[str, list[str]] = {}
    for first, second in rm.problem.forbidden_successions:
        successors.setdefault(first, []).append(second)
    for a, agent in enumerate(rm.problem.agents):
        known, last = rm.previous_shift(agent, 1)
        for first, seconds in successors.items():
            family = f"succession:{first}"
            s1 = rm.shift_index[first]
            nexts = [rm.shift_index[k] for k in seconds]
            if known and last == first:
                for s2 in nexts:
                    if (v := rm.var(a, 0, s2)) is not None:
                        rm.require(rm.model.add(v == 0), family)
            for d in range(rm.n_days - 1):
                v1 = rm.var(a, d, s1)
                after = [v for s2 in nexts if (v := rm.var(a, d + 1, s2)) is not None]
                if v1 is not None and after:
                    rm.require(rm.model.add(v1 + sum(after) <= 1), family)
        if not rm.guarded:
            _succession_cliques(rm, a, cliques)
    return []


def succession_cliques(problem: RosterProblem) -> list[tuple[list[int], list[int]]]:
    """Maximal (A, B) with every shift of B forbidden after every shift of A, |A| >= 2.

    Shifts of one day exclude each other, so x[d, A] + x[d+1, B] <= 1 is a clique of the
    conflict graph; with ordered successions (early < day < late < night, none backwards) these
    staircase cliques are much tighter in the LP than one constraint per first shift."""
    index = {shift.key: s for s, shift in enumerate(problem.shifts)}
    after: dict[int, set[int]] = {}
    for first, second in problem.forbidden_successions:
        after.setdefault(index[first], set()).add(index[second])
    firsts = sorted(after)
    found: list[tuple[frozenset[int], frozenset[int]]] = []
    for mask in range(1, 1 << len(firsts)):
        group = frozenset(f for i, f in enumerate(firsts) if mask >> i & 1)
        if len(group) < 2:
            continue
        common = frozenset.intersection(*(frozenset(after[f]) for f in group))
        if common:
            found.append((group, common))
    maximal = [
        (g, c)
        for g, c in found
        if not any((g < g2 and c <= c2) or (g <= g2 and c < c2) for g2, c2 in found)
    ]
    return [(sorted(g), sorted(c)) for g, c in maximal]


def _succession_cliques(
    rm: RosterModel, a: int, cliques: list[tuple[list[int], list[int]]]
) -> None:
    for d in range(rm.n_days - 1):
        for group, common in cliques:
            today = [v for s in group if (v := rm.var(a, d, s)) is not None]
            tomorrow = [v for s in common if (v := rm.var(a, d + 1, s)) is not None]
            if len(today) >= 2 and tomorrow:
                rm.model.add(sum(today) + sum(tomorrow) <= 1)


def previous_run(rm: RosterModel, agent: Agent, working: bool, limit: int) -> int | None:
    """Length (capped at `limit`) of the run of working (or off) days that ends the day before
    the horizon, per the previous roster; None if the day before is unknown."""
    length = 0
    while length < limit:
        known, key = rm.previous_shift(agent, length + 1)
        if not known:
            return None if length == 0 else length
        if (key is not None) != working:
            break
        length += 1
    return length


def add_consecutive_work_limits(rm: RosterModel) -> list[Term]:
    """Runs of working days and days off. With minimum run lengths the runs go through a flow
    (see `sequence`); otherwise max consecutive working days is a sliding window: every max+1
    days hold a day off, the previous roster's last days included."""
    for a, agent in enumerate(rm.problem.agents):
        if agent.min_consecutive_days > 1 or agent.min_consecutive_days_off > 1:
            if rm.runs_as_flow:
                _run_flow(rm, a, agent)
                continue
            _run_clauses(rm, a, agent)
        longest = agent.max_consecutive_days
        if longest is None:
            continue
        before = previous_run(rm, agent, True, longest) or 0
        for start in range(-before, rm.n_days - longest):
            window = rm.work[a][max(0, start) : start + longest + 1]
            limit = longest - max(0, -start)
            rm.require(rm.model.add(sum(window) <= limit), "max_consecutive_days")
    return []


def _run_clauses(rm: RosterModel, a: int, agent: Agent) -> None:
    """Minimum run lengths as clauses: a run that starts on d lasts through d+j."""
    work = rm.work[a]
    for working, shortest in (
        (True, agent.min_consecutive_days),
        (False, agent.min_consecutive_days_off),
    ):
        run_before = previous_run(rm, agent, not working, 1)
        for d in range(rm.n_days):
            if d == 0 and not run_before:
                continue  # the run may have started before the horizon
            for j in range(1, min(shortest, rm.n_days - d)):
                here, later = work[d], work[d + j]
                if working:
                    clause = [here.Not(), later] + ([work[d - 1]] if d > 0 else [])
                else:
                    clause = [here, later.Not()] + ([work[d - 1].Not()] if d > 0 else [])
                rm.require(rm.model.add_bool_or(clause), "run_lengths")


def _run_flow(rm: RosterModel, a: int, agent: Agent) -> None:
    rules = RunRules(
        longest_work=agent.max_consecutive_days or rm.n_days,
        shortest_work=agent.min_consecutive_days,
        shortest_off=agent.min_consecutive_days_off,
    )
    before: State | None = None
    known, last = rm.previous_shift(agent, 1)
    if known:
        working = last is not None
        cap = rules.longest_work if working else rules.shortest_off
        length = previous_run(rm, agent, working, cap) or 1
        shortest = rules.shortest_work if working else rules.shortest_off
        # A run whose start the previous roster does not show is not held to the minimum.
        before = (working, length, length < shortest)
    for constraint in add_run_flow(rm.model, rm.work[a], rules, before, f"run[{agent.id}]"):
        rm.require(constraint, "run_lengths")
