"""A quick roster to start the search from: agents one at a time, each given their best month
against the head counts the agents before them left open.

Every hard rule but coverage concerns one agent alone (rest days, runs, minutes, successions),
so each agent's sub-problem is tiny and is solved with the same model code; coverage becomes a
residual target. The result satisfies every per-agent rule, which CP-SAT's own first-solution
search can take a long time to find on the benchmark's tightly constrained instances. Head
counts left below their hard minimum are then repaired by re-placing small groups of agents
together: on the benchmark's 200-agent month the first placement leaves 51 agents short and the
repair fills them in about 25 groups, where CP-SAT alone finds no roster in 60 s.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from dataclasses import replace

from ortools.sat.python import cp_model

from kefu.rota.solver.model import build_model
from kefu.rota.solver.problem import Agent, Cover, RosterProblem, Weights

REPAIR_GROUP = 8
"""Agents re-placed together to fill a short head count (see `_repair`)."""
REPAIR_SECONDS = 2.0
"""Time limit of one repair group's model."""
PLACE_SECONDS = 1.0
"""Time limit of one agent's month in the first placement (on Instance12 about 0.05 s each)."""
LATE_SECONDS = 0.1
"""Time limit of one agent's month placed after the first placement's deadline (a feasible
month, not necessarily that agent's best; the search improves it)."""
MISSING_MINIMUM_WEIGHT = 1000
"""Weight of a head count still below the hard minimum, so that the greedy fills those first."""


def residual_cover(
    problem: RosterProblem, placed: Counter[tuple[dt.date, str]]
) -> tuple[Cover, ...]:
    covers = []
    for cover in problem.cover:
        have = placed[cover.day, cover.shift]
        missing_min = max(0, cover.min - have)
        target = max(0, cover.preferred - have, missing_min)
        covers.append(
            Cover(
                day=cover.day,
                shift=cover.shift,
                min=0,
                preferred=target,
                under_weight=cover.under_weight + (MISSING_MINIMUM_WEIGHT if missing_min else 0),
                over_weight=cover.over_weight,
                max=None if cover.max is None else max(0, cover.max - have),
            )
        )
    return tuple(covers)


def missing_cover(
    problem: RosterProblem, placed: Counter[tuple[dt.date, str]]
) -> tuple[Cover, ...]:
    """The agents each (day, shift) still lacks to reach its minimum, as soft targets of
    weight 1 (the most allowed still holds)."""
    return tuple(
        Cover(
            day=cover.day,
            shift=cover.shift,
            min=0,
            preferred=max(0, cover.min - placed[cover.day, cover.shift]),
            under_weight=1,
            max=None if cover.max is None else max(0, cover.max - placed[cover.day, cover.shift]),
        )
        for cover in problem.cover
    )


def _difficulty(agent: Agent) -> tuple[int, int]:
    """Agents with the least room go first: fewest free days, then the most minutes owed."""
    return (-len(agent.leave) - len(agent.fixed), -agent.min_minutes)


def _place(
    problem: RosterProblem,
    agents: tuple[Agent, ...],
    placed: Counter[tuple[dt.date, str]],
    *,
    seconds: float = PLACE_SECONDS,
    hint: dict[str, dict[dt.date, str | None]] | None = None,
    seed: int = 0,
    repairing: bool = False,
) -> list[dict[dt.date, str | None]] | None:
    """The agents' best months against the head counts still open (None if none was found),
    from their months in `hint` where given."""
    if repairing:
        # Only the head counts still below their minimum matter: no soft rule to optimise, so
        # the group's model closes in a fraction of the time (the 200-agent month: most
        # groups of 8 hit a 2 s limit with the soft rules, none without).
        cover, weights = missing_cover(problem, placed), Weights(preferences=0)
    else:
        cover = residual_cover(problem, placed)
        weights = replace(problem.weights, balance_hours=0, fair_weekends=0)
    group = replace(problem, agents=agents, cover=cover, online_hours=None, weights=weights)
    # One agent's month: runs as clauses and the full LP solve it in about 60 % of the time the
    # flow takes (Curtois & Qu Instance12: 2.4 s of CPU for the 60 agents against 4.1 s).
    rm, _ = build_model(group, runs_as_flow=False)
    for a, agent in enumerate(agents):
        if hint is None or agent.id not in hint:
            continue
        for d, day in enumerate(problem.days):
            for s, var in rm.shifts_on(a, d):
                rm.model.add_hint(var, hint[agent.id].get(day) == problem.shifts[s].key)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.random_seed = seed
    solver.parameters.linearization_level = 2
    if solver.solve(rm.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [
        {
            day: next(
                (
                    problem.shifts[s].key
                    for s, var in rm.shifts_on(a, d)
                    if solver.boolean_value(var)
                ),
                None,
            )
            for d, day in enumerate(problem.days)
        }
        for a in range(len(agents))
    ]


def _short(problem: RosterProblem, placed: Counter[tuple[dt.date, str]]) -> int:
    return sum(max(0, c.min - placed[c.day, c.shift]) for c in problem.cover)


def greedy_roster(
    problem: RosterProblem,
    *,
    deadline: float | None = None,
    repair_until: float | None = None,
) -> dict[tuple[str, dt.date], str | None]:
    """A roster built agent by agent, the agents with least room first. Past `deadline`, a
    `time.perf_counter()` value, the agents not yet placed get a month on a short limit each
    (`LATE_SECONDS`) until `repair_until` (default: `deadline`), after which any still left
    are off; head counts still below their minimum are then repaired (see `_repair`) until
    `repair_until`."""
    placed: Counter[tuple[dt.date, str]] = Counter()
    months: dict[str, dict[dt.date, str | None]] = {}
    repair_until = deadline if repair_until is None else repair_until
    for agent in sorted(problem.agents, key=_difficulty):
        seconds = PLACE_SECONDS
        if deadline is not None and (now := time.perf_counter()) > deadline:
            # Late agents are still placed, each on a short limit: an agent left off a start
            # breaks their minimum hours, so the start is rejected and the search may find no
            # roster at all (Curtois & Qu Instance12 at 15 s: 32 of the 60 agents placed by
            # the 3 s deadline, and the solve ended without a roster).
            if repair_until is None or now > repair_until:
                break
            seconds = LATE_SECONDS
        found = _place(problem, (agent,), placed, seconds=seconds)
        if found is None:
            continue
        months[agent.id] = found[0]
        _count(placed, found[0], +1)
    if repair_until is not None:
        _repair(problem, months, placed, repair_until)
    return {
        (agent_id, day): key for agent_id, month in months.items() for day, key in month.items()
    }


def _count(
    placed: Counter[tuple[dt.date, str]], month: dict[dt.date, str | None], sign: int
) -> None:
    for day, key in month.items():
        if key is not None:
            placed[day, key] += sign


def _repair(
    problem: RosterProblem,
    months: dict[str, dict[dt.date, str | None]],
    placed: Counter[tuple[dt.date, str]],
    deadline: float,
) -> None:
    """Head counts the first placement left short, filled by re-placing a few agents together: for a
    short shift, agents free that day who do not work it, re-planned jointly against what the
    others fill (one agent alone often cannot move: with a fixed number of rest days, taking
    the shift means giving up another day that someone else then has to take). A group is kept
    only when it leaves fewer agents short."""
    rng = random.Random(0)
    by_id = {agent.id: agent for agent in problem.agents}
    attempt = 0
    while time.perf_counter() < deadline:
        short = [c for c in problem.cover if c.min > placed[c.day, c.shift]]
        if not short:
            return
        cover = rng.choice(short)
        candidates = [
            agent_id
            for agent_id, month in months.items()
            if cover.day not in by_id[agent_id].leave and month.get(cover.day) != cover.shift
        ]
        if not candidates:
            return
        chosen = rng.sample(candidates, min(REPAIR_GROUP, len(candidates)))
        before = _short(problem, placed)
        for agent_id in chosen:
            _count(placed, months[agent_id], -1)
        seconds = min(REPAIR_SECONDS, max(0.1, deadline - time.perf_counter()))
        group = tuple(by_id[agent_id] for agent_id in chosen)
        found = _place(
            problem, group, placed, seconds=seconds, hint=months, seed=attempt, repairing=True
        )
        attempt += 1
        if found is not None:
            trial = Counter(placed)
            for month in found:
                _count(trial, month, +1)
            if _short(problem, trial) < before:
                for agent_id, month in zip(chosen, found, strict=True):
                    months[agent_id] = month
        for agent_id in chosen:
            _count(placed, months[agent_id], +1)
