"""A quick roster to start the search from: agents one at a time, each given their best month
against the head counts the agents before them left open.

Every hard rule but coverage concerns one agent alone (rest days, runs, minutes, successions),
so each agent's sub-problem is tiny and is solved with the same model code; coverage becomes a
residual target. The result satisfies every per-agent rule, which CP-SAT's own first-solution
search can take a long time to find on the benchmark's tightly constrained instances.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from dataclasses import replace

from ortools.sat.python import cp_model

from kefu.rota.solver.model import build_model
from kefu.rota.solver.problem import Agent, Cover, RosterProblem

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


def _difficulty(agent: Agent) -> tuple[int, int]:
    """Agents with the least room go first: fewest free days, then the most minutes owed."""
    return (-len(agent.leave) - len(agent.fixed), -agent.min_minutes)


def _place(
    problem: RosterProblem, agent: Agent, placed: Counter[tuple[dt.date, str]]
) -> dict[dt.date, str | None] | None:
    """The agent's best month against the head counts still open (None if none was found)."""
    single = replace(
        problem,
        agents=(agent,),
        cover=residual_cover(problem, placed),
        online_hours=None,
        weights=replace(problem.weights, balance_hours=0, fair_weekends=0),
    )
    # One agent's month: runs as clauses and the full LP solve it in about 60 % of the time the
    # flow takes (Curtois & Qu Instance12: 2.4 s of CPU for the 60 agents against 4.1 s).
    rm, _ = build_model(single, runs_as_flow=False)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 1.0
    solver.parameters.linearization_level = 2
    if solver.solve(rm.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return {
        day: next(
            (problem.shifts[s].key for s, var in rm.shifts_on(0, d) if solver.boolean_value(var)),
            None,
        )
        for d, day in enumerate(problem.days)
    }


def _short(problem: RosterProblem, placed: Counter[tuple[dt.date, str]]) -> int:
    return sum(max(0, c.min - placed[c.day, c.shift]) for c in problem.cover)


def greedy_roster(
    problem: RosterProblem, *, deadline: float | None = None, passes: int = 3
) -> dict[tuple[str, dt.date], str | None]:
    """A roster built agent by agent; while hard head counts are still short, further passes
    take each agent out and place them again against what the others left open (so the first
    agents, placed blind, adapt to the last). Stops early past `deadline`, a
    `time.perf_counter()` value, leaving the agents not yet placed off."""
    placed: Counter[tuple[dt.date, str]] = Counter()
    months: dict[str, dict[dt.date, str | None]] = {}
    order = sorted(problem.agents, key=_difficulty)
    for round_ in range(passes):
        if round_ > 0 and _short(problem, placed) == 0:
            break
        for agent in order:
            if deadline is not None and time.perf_counter() > deadline:
                break
            for day, key in months.pop(agent.id, {}).items():
                if key is not None:
                    placed[day, key] -= 1
            month = _place(problem, agent, placed)
            if month is None:
                continue
            months[agent.id] = month
            for day, key in month.items():
                if key is not None:
                    placed[day, key] += 1
    return {
        (agent_id, day): key for agent_id, month in months.items() for day, key in month.items()
    }
