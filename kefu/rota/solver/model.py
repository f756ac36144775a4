"""The CP-SAT roster model: one function per rule family, each returning its named penalty terms.

The variables are x[a, d, s] (agent a works shift s on day d), made only where the agent may
work that shift (not on leave, not fixed to something else, not forbidden by max_shifts = 0),
and work[a][d] (the agent works some shift that day). Hard rule families can be switched by a
guard literal (`RosterModel.guard`) so that `explain` can ask CP-SAT which families conflict;
when solving normally the guards are absent and the constraints are plain.

Rules on sequences of days (successions, runs) live in `runs.py`, the soft rule families in
`soft.py`; `build_model` adds them all.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from kefu.rota.solver.calendar import month_blocks, week_blocks, weekend_pairs
from kefu.rota.solver.problem import Agent, RosterProblem

Literal = cp_model.IntVar  # a Boolean variable or its negation
Expr = cp_model.LinearExprT


@dataclass(frozen=True)
class Term:
    """A named penalty: `weight` times the value of `count` (a non-negative integer expression)."""

    name: str
    weight: int
    count: Expr


@dataclass
class RosterModel:
    problem: RosterProblem
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    work: list[list[cp_model.IntVar]] = field(default_factory=list)
    guarded: bool = False
    """When true, each hard family's constraints are enforced only if its guard literal is."""
    guards: dict[str, cp_model.IntVar] = field(default_factory=dict)
    runs_as_flow: bool = True
    """Minimum run lengths as a flow (tight LP, for proofs) or as clauses (a third of the
    variables, for fast neighbourhood search)."""

    def __post_init__(self) -> None:
        self.day_index = {day: d for d, day in enumerate(self.problem.days)}
        self.shift_index = {shift.key: s for s, shift in enumerate(self.problem.shifts)}

    @property
    def n_days(self) -> int:
        return len(self.problem.days)

    def var(self, a: int, d: int, s: int) -> cp_model.IntVar | None:
        return self.x.get((a, d, s))

    def shifts_on(self, a: int, d: int) -> list[tuple[int, cp_model.IntVar]]:
        return [
            (s, v)
            for s in range(len(self.problem.shifts))
            if (v := self.x.get((a, d, s))) is not None
        ]

    @functools.cached_property
    def cell_variables(self) -> list[list[tuple[tuple[tuple[int, int], ...], int]]]:
        """[agent][day] -> ((shift, index of x) for each shift the agent may work, index of
        work): the model's variables by cell, as `lns` fixes them (read once the model is built;
        all Boolean, so that fixing one is undone by restoring the domain [0, 1])."""
        return [
            [
                (tuple((s, v.index) for s, v in self.shifts_on(a, d)), self.work[a][d].index)
                for d in range(self.n_days)
            ]
            for a in range(len(self.problem.agents))
        ]

    def guard(self, family: str) -> cp_model.IntVar | None:
        """The literal that switches `family` on (only in a guarded model)."""
        if not self.guarded:
            return None
        if family not in self.guards:
            self.guards[family] = self.model.new_bool_var(f"guard[{family}]")
        return self.guards[family]

    def require(self, constraint: cp_model.Constraint, family: str) -> None:
        literal = self.guard(family)
        if literal is not None:
            constraint.only_enforce_if(literal)

    def previous_shift(self, agent: Agent, offset: int) -> tuple[bool, str | None]:
        """(known, shift key or None) of the agent `offset` days before the horizon (1 = the
        day before)."""
        day = self.problem.days[0] - dt.timedelta(days=offset)
        if day in agent.previous:
            return True, agent.previous[day]
        return False, None


def make_variables(rm: RosterModel) -> None:
    problem, model = rm.problem, rm.model
    # A shift the day's coverage closes (max 0) is not run: no variables at all.
    closed = {(c.day, c.shift) for c in problem.cover if c.max == 0}
    for a, agent in enumerate(problem.agents):
        row = []
        for day in problem.days:
            for shift in problem.shifts:
                if day in agent.leave or agent.max_shifts.get(shift.key) == 0:
                    continue
                if (day, shift.key) in closed:
                    continue
                if day in agent.fixed and agent.fixed[day] != shift.key and not rm.guarded:
                    continue  # a fixed day needs only its own variable
                d, s = rm.day_index[day], rm.shift_index[shift.key]
                rm.x[a, d, s] = model.new_bool_var(f"x[{agent.id},{day},{shift.key}]")
            row.append(model.new_bool_var(f"work[{agent.id},{day}]"))
        rm.work.append(row)


def add_one_shift_per_day(rm: RosterModel) -> list[Term]:
    """At most one shift a day; work[a][d] is true exactly when one is worked."""
    for a in range(len(rm.problem.agents)):
        for d in range(rm.n_days):
            options = [v for _, v in rm.shifts_on(a, d)]
            rm.model.add_exactly_one([*options, rm.work[a][d].Not()])
    return []


def add_leave_and_fixed(rm: RosterModel) -> list[Term]:
    """Leave has no variables at all; a fixed shift or fixed rest day is enforced here (in a
    guarded model the other shifts exist so that the `fixed` family can be relaxed)."""
    for a, agent in enumerate(rm.problem.agents):
        for day, key in agent.fixed.items():
            if day not in rm.day_index or day in agent.leave:
                continue
            d = rm.day_index[day]
            if key is None:
                rm.require(rm.model.add(rm.work[a][d] == 0), "fixed")
            elif (v := rm.var(a, d, rm.shift_index[key])) is not None:
                rm.require(rm.model.add(v == 1), "fixed")
            else:
                rm.require(rm.model.add_bool_or([]), "fixed")  # fixed to a forbidden shift
    return []


def add_coverage(rm: RosterModel) -> list[Term]:
    """Hard minimum per (day, shift); the preferred head count is soft, under and over it each
    cost their weight per agent."""
    terms: list[Term] = []
    n_agents = len(rm.problem.agents)
    for cover in rm.problem.cover:
        if cover.day not in rm.day_index:
            continue
        d, s = rm.day_index[cover.day], rm.shift_index[cover.shift]
        count = sum(v for a in range(n_agents) if (v := rm.var(a, d, s)) is not None)
        if cover.min > 0:
            rm.require(rm.model.add(count >= cover.min), f"coverage:{cover.day}:{cover.shift}")
        if cover.max is not None and cover.max > 0:
            rm.model.add(count <= cover.max)
        tag = f"{cover.day},{cover.shift}"
        if cover.under_weight > 0 and cover.preferred > cover.min:
            under = rm.model.new_int_var(0, cover.preferred, f"under[{tag}]")
            rm.model.add(count + under >= cover.preferred)
            terms.append(Term("coverage_under", cover.under_weight, under))
        if cover.over_weight > 0:
            over = rm.model.new_int_var(0, max(0, n_agents - cover.preferred), f"over[{tag}]")
            rm.model.add(count - over <= cover.preferred)
            terms.append(Term("coverage_over", cover.over_weight, over))
    return terms


def add_online_hours(rm: RosterModel) -> list[Term]:
    """No minute of the online hours without an agent (S0 §4.9): each stretch of the window is
    covered by some shift worked that day (or run into it from the day before)."""
    window = rm.problem.online_hours
    if window is None:
        return []
    n_agents = len(rm.problem.agents)
    for d, day in enumerate(rm.problem.days):
        for begin, end, covering in online_segments(rm.problem, window):
            literals = [
                v
                for a in range(n_agents)
                for back, s in covering
                if d - back >= 0 and (v := rm.var(a, d - back, s)) is not None
            ]
            rm.require(rm.model.add_bool_or(literals), f"online:{day}:{begin}-{end}")
    return []


def online_segments(
    problem: RosterProblem, window: tuple[int, int]
) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """The window cut at every shift boundary: (begin, end, [(days back, shift index)]) for each
    piece, where days back 1 is a shift started the day before that runs past midnight."""
    spans: list[tuple[int, int, int, int]] = []
    for s, shift in enumerate(problem.shifts):
        for start, end in shift.parts:
            spans.append((start, end, 0, s))
            if end > 24 * 60:
                spans.append((start - 24 * 60, end - 24 * 60, 1, s))
    cuts = sorted({window[0], window[1], *(t for sp in spans for t in sp[:2])})
    pieces = []
    for begin, end in itertools.pairwise(cuts):
        if begin < window[0] or end > window[1]:
            continue
        covering = [(back, s) for start, stop, back, s in spans if start <= begin and end <= stop]
        pieces.append((begin, end, sorted(set(covering))))
    return pieces


def add_contract_limits(rm: RosterModel) -> list[Term]:
    """Contract minutes (min and max over the horizon) and most shifts of each type."""
    problem, model = rm.problem, rm.model
    for a, agent in enumerate(problem.agents):
        minutes = sum(
            problem.shifts[s].minutes * v for d in range(rm.n_days) for s, v in rm.shifts_on(a, d)
        )
        if agent.min_minutes > 0:
            rm.require(model.add(minutes >= agent.min_minutes), f"min_minutes:{agent.id}")
        if agent.max_minutes is not None:
            rm.require(model.add(minutes <= agent.max_minutes), f"max_minutes:{agent.id}")
        for key, most in agent.max_shifts.items():
            s = rm.shift_index.get(key)
            if s is None or most <= 0:
                continue
            worked = [v for d in range(rm.n_days) if (v := rm.var(a, d, s)) is not None]
            if len(worked) > most:
                rm.require(model.add(sum(worked) <= most), f"max_shifts:{key}")
    return []


def add_weekend_limits(rm: RosterModel) -> list[Term]:
    """A weekend is worked when Saturday or Sunday is; at most max_weekends of them."""
    pairs = weekend_pairs(rm.problem.days)
    for a, agent in enumerate(rm.problem.agents):
        if agent.max_weekends is None or agent.max_weekends >= len(pairs):
            continue
        worked = []
        for w, days in enumerate(pairs):
            flag = rm.model.new_bool_var(f"weekend[{agent.id},{w}]")
            for d in days:
                rm.model.add_implication(rm.work[a][d], flag)
            worked.append(flag)
        rm.require(rm.model.add(sum(worked) <= agent.max_weekends), "max_weekends")
    return []


def _rest_in_blocks(
    rm: RosterModel, blocks: Iterable[tuple[Sequence[int], int, int]], family: str
) -> None:
    """Rest days (days off that are not leave) in each block between `low` and `high`, both
    capped by the days of the block the agent is not on leave."""
    for a, agent in enumerate(rm.problem.agents):
        for days, low, high in blocks:
            free = [d for d in days if rm.problem.days[d] not in agent.leave]
            rest = sum(1 - rm.work[a][d] for d in free)
            top, bottom = min(high, len(free)), min(low, len(free))
            if bottom == top:
                rm.require(rm.model.add(rest == top), family)
            else:
                rm.require(rm.model.add_linear_constraint(rest, bottom, top), family)


def add_rest_per_week(rm: RosterModel) -> list[Term]:
    """Exactly 7 - work_days_per_week rest days in each whole Monday-Sunday week (做六休一: one);
    a week cut by the horizon gets at most that many, and at least enough to keep work days
    within the limit."""
    per_week = rm.problem.work_days_per_week
    if per_week is None:
        return []
    rest = 7 - per_week
    blocks = [
        (days, rest if len(days) == 7 else max(0, len(days) - per_week), rest)
        for days in week_blocks(rm.problem.days)
    ]
    _rest_in_blocks(rm, list(blocks), "rest_per_week")
    return []


def add_rest_per_month(rm: RosterModel) -> list[Term]:
    """Exactly rest_days_per_month rest days in each whole calendar month of the horizon; a
    month cut by the horizon gets its share, rounded down, up to the whole allowance."""
    per_month = rm.problem.rest_days_per_month
    if per_month is None:
        return []
    blocks = [
        (days, per_month * len(days) // length, per_month)
        for days, length in month_blocks(rm.problem.days)
    ]
    _rest_in_blocks(rm, blocks, "rest_per_month")
    return []


def add_whole_day_off(rm: RosterModel) -> list[Term]:
    """At least `whole_days_off` whole days off (S2: a day shift and a night shift off in a row):
    a day off that does not follow a night shift, so the agent is free from the evening before
    through the whole day and its night shift."""
    need = rm.problem.whole_days_off
    if need <= 0:
        return []
    nights = [s for s, shift in enumerate(rm.problem.shifts) if shift.night]
    for a, agent in enumerate(rm.problem.agents):
        whole = []
        for d in range(rm.n_days):
            flag = rm.model.new_bool_var(f"whole_day_off[{agent.id},{d}]")
            rm.model.add_implication(flag, rm.work[a][d].Not())
            if d > 0:
                night_before = [v for s in nights if (v := rm.var(a, d - 1, s)) is not None]
                if night_before:
                    rm.model.add(flag + sum(night_before) <= 1)
            else:
                known, last = rm.previous_shift(agent, 1)
                if known and last is not None and rm.problem.shift(last).night:
                    rm.model.add(flag == 0)
            whole.append(flag)
        rm.require(rm.model.add(sum(whole) >= need), "whole_day_off")
    return []


HardFamily = Callable[[RosterModel], list[Term]]


def hard_families() -> tuple[HardFamily, ...]:
    from kefu.rota.solver.runs import add_consecutive_work_limits, add_forbidden_successions

    return (
        add_one_shift_per_day,
        add_leave_and_fixed,
        add_coverage,
        add_online_hours,
        add_forbidden_successions,
        add_consecutive_work_limits,
        add_contract_limits,
        add_weekend_limits,
        add_rest_per_week,
        add_rest_per_month,
        add_whole_day_off,
    )


def build_model(
    problem: RosterProblem, *, guarded: bool = False, soft: bool = True, runs_as_flow: bool = True
) -> tuple[RosterModel, list[Term]]:
    """The whole model: variables, hard families, then (if `soft`) the soft families; the
    objective is the weighted sum of every term."""
    from kefu.rota.solver.soft import SOFT_FAMILIES, add_symmetry_breaking

    rm = RosterModel(problem, guarded=guarded, runs_as_flow=runs_as_flow)
    make_variables(rm)
    terms: list[Term] = []
    for family in hard_families():
        terms.extend(family(rm))
    if soft:
        for soft_family in SOFT_FAMILIES:
            terms.extend(soft_family(rm))
        if not guarded:
            add_symmetry_breaking(rm)
    terms = [t for t in terms if t.weight != 0]
    if terms:
        rm.model.minimize(sum(t.weight * t.count for t in terms))
    return rm, terms
