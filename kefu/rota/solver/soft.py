"""Soft rule families, weighted by the policy: preferences, balanced hours, stability, the
rotation cycle and a fair share of weekends and holidays; plus symmetry breaking."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence

from ortools.sat.python import cp_model

from kefu.rota.solver.calendar import change_blocks
from kefu.rota.solver.model import Expr, RosterModel, Term
from kefu.rota.solver.problem import Agent, RosterProblem


def add_preferences(rm: RosterModel) -> list[Term]:
    """Each unmet request costs its weight times the policy's preference weight; a request for
    a shift the agent cannot work at all is a constant cost (it still counts)."""
    factor = rm.problem.weights.preferences
    terms: list[Term] = []
    if factor == 0:
        return terms
    for a, agent in enumerate(rm.problem.agents):
        for request in agent.requests:
            d = rm.day_index.get(request.day)
            if d is None or request.weight == 0:
                continue
            if request.shift is None:
                worked: Expr = rm.work[a][d]
            else:
                var = rm.var(a, d, rm.shift_index[request.shift])
                worked = 0 if var is None else var
            name = "request_on" if request.on else "request_off"
            count = 1 - worked if request.on else worked
            if isinstance(count, int) and count == 0:
                continue
            terms.append(Term(name, request.weight * factor, count))
    return terms


def _spread(rm: RosterModel, values: Sequence[Expr], top: int, name: str) -> cp_model.IntVar:
    """A variable at least max(values) - min(values)."""
    hi = rm.model.new_int_var(0, top, f"{name}_hi")
    lo = rm.model.new_int_var(0, top, f"{name}_lo")
    for value in values:
        rm.model.add(hi >= value)
        rm.model.add(lo <= value)
    spread = rm.model.new_int_var(0, top, f"{name}_spread")
    rm.model.add(spread >= hi - lo)
    return spread


def _contract(agent: Agent) -> tuple[object, ...]:
    return (agent.min_minutes, agent.max_minutes, tuple(sorted(agent.max_shifts.items())))


def add_hours_balance(rm: RosterModel) -> list[Term]:
    """S2 §1.3: monthly hours roughly equal. Per group of agents on the same contract, the
    weight is paid per whole hour between the most and the least credited minutes (worked
    minutes plus a credit per leave day, so leave does not count as working less)."""
    weight = rm.problem.weights.balance_hours
    if weight == 0:
        return []
    groups: dict[tuple[object, ...], list[int]] = {}
    for a, agent in enumerate(rm.problem.agents):
        groups.setdefault(_contract(agent), []).append(a)
    longest = max(s.minutes for s in rm.problem.shifts)
    top = longest * rm.n_days
    terms = []
    for g, members in enumerate(groups.values()):
        if len(members) < 2:
            continue
        minutes = []
        for a in members:
            agent = rm.problem.agents[a]
            leave = sum(1 for day in rm.problem.days if day in agent.leave)
            worked = sum(
                rm.problem.shifts[s].minutes * v
                for d in range(rm.n_days)
                for s, v in rm.shifts_on(a, d)
            )
            minutes.append(worked + rm.problem.leave_credit_minutes * leave)
        spread = _spread(rm, minutes, top + rm.problem.leave_credit_minutes * rm.n_days, f"h{g}")
        hours = rm.model.new_int_var(0, top // 60 + rm.n_days, f"balance_hours[{g}]")
        rm.model.add(60 * hours >= spread)
        terms.append(Term("balance_hours", weight, hours))
    return terms


def _reference(agent: Agent, day: dt.date, period: int) -> tuple[bool, str | None]:
    """The previous roster's shift on the same day of the cycle (the latest date `period`
    days apart)."""
    for k in range(1, 60):
        earlier = day - dt.timedelta(days=period * k)
        if earlier in agent.previous:
            return True, agent.previous[earlier]
        if earlier < min(agent.previous, default=day):
            break
    return False, None


def _period(rm: RosterModel) -> int:
    rotation = rm.problem.rotation
    return 7 * rotation.weeks if rotation is not None else 7


def _settled(agent: Agent, day: dt.date) -> bool:
    """Leave and fixed days are not the solver's choice: no soft rule charges them."""
    return day in agent.leave or day in agent.fixed


def add_stability(rm: RosterModel) -> list[Term]:
    """S2 §1.4: the roster is not changed often. Each day whose shift differs from the previous
    roster on the same day of the week (of the rotation cycle, if there is one) costs the
    weight."""
    weight = rm.problem.weights.stability
    if weight == 0:
        return []
    terms: list[Term] = []
    period = _period(rm)
    for a, agent in enumerate(rm.problem.agents):
        if not agent.previous:
            continue
        for d, day in enumerate(rm.problem.days):
            known, key = _reference(agent, day, period)
            if not known or _settled(agent, day):
                continue
            if key is None:
                terms.append(Term("stability", weight, rm.work[a][d]))
            else:
                var = rm.var(a, d, rm.shift_index[key]) if key in rm.shift_index else None
                terms.append(Term("stability", weight, 1 if var is None else 1 - var))
    return terms


def add_rotation(rm: RosterModel) -> list[Term]:
    """S4.4 §2.3: the roster repeats every `weeks` weeks, and an agent changes shift only on a
    change day. Costs: each day unlike the same day one cycle earlier, and each extra shift an
    agent works within one run of days between change days."""
    rotation, weight = rm.problem.rotation, rm.problem.weights.rotation
    if rotation is None or weight == 0:
        return []
    model, period = rm.model, 7 * rotation.weeks
    blocks = change_blocks(rm.problem.days, rotation.change_weekdays)
    terms: list[Term] = []
    for a, agent in enumerate(rm.problem.agents):
        for d in range(period, rm.n_days):
            if _settled(agent, rm.problem.days[d]) or _settled(agent, rm.problem.days[d - period]):
                continue
            differs = model.new_bool_var(f"cycle[{agent.id},{d}]")
            model.add(differs >= rm.work[a][d - period] - rm.work[a][d])
            for s, today in rm.shifts_on(a, d):
                earlier = rm.var(a, d - period, s)
                model.add(differs >= today - (0 if earlier is None else earlier))
            terms.append(Term("rotation_cycle", weight, differs))
        for b, days in enumerate(blocks):
            used = []
            for s in range(len(rm.problem.shifts)):
                here = [v for d in days if (v := rm.var(a, d, s)) is not None]
                if here:
                    flag = model.new_bool_var(f"uses[{agent.id},{b},{s}]")
                    for v in here:
                        model.add_implication(v, flag)
                    used.append(flag)
            if len(used) > 1:
                extra = model.new_int_var(0, len(used) - 1, f"changes[{agent.id},{b}]")
                model.add(extra >= sum(used) - 1)
                terms.append(Term("rotation_change", weight, extra))
    return terms


def add_fair_weekends_holidays(rm: RosterModel) -> list[Term]:
    """A fair share of weekend (and, if the policy says so, holiday) work: the weight is paid per
    day between the agent working most and least of those days."""
    weight = rm.problem.weights.fair_weekends
    if weight == 0 or len(rm.problem.agents) < 2:
        return []
    kinds = {"weekend", "holiday"} if rm.problem.fair_share_holidays else {"weekend"}
    special = [d for d, day in enumerate(rm.problem.days) if rm.problem.kind(day) in kinds]
    if not special:
        return []
    worked = [sum(rm.work[a][d] for d in special) for a in range(len(rm.problem.agents))]
    return [Term("fair_weekends", weight, _spread(rm, worked, len(special), "weekends"))]


def add_symmetry_breaking(rm: RosterModel) -> None:
    """Agents identical in everything but id and name are interchangeable: order them by their
    first days' shifts read as a number (a lexicographic leader), so the search sees one of
    each group's permutations."""
    groups: dict[tuple[object, ...], list[int]] = {}
    for a, agent in enumerate(rm.problem.agents):
        groups.setdefault(signature(agent), []).append(a)
    base = len(rm.problem.shifts) + 1
    horizon = min(rm.n_days, SYMMETRY_DAYS)
    for members in groups.values():
        codes = [
            sum(
                base ** (horizon - 1 - d) * (s + 1) * v
                for d in range(horizon)
                for s, v in rm.shifts_on(a, d)
            )
            for a in members
        ]
        for first, second in itertools.pairwise(codes):
            rm.model.add(first >= second)


SYMMETRY_DAYS = 8
"""Days read into the ordering code; base**8 stays far inside CP-SAT's integer range."""


def order_identical(problem: RosterProblem, roster: list[list[int]]) -> list[list[int]]:
    """`roster` ([agent][day] -> shift index or -1) with the rows of identical agents swapped
    into the order `add_symmetry_breaking` demands, so that a hinted roster stays feasible."""
    base, horizon = len(problem.shifts) + 1, min(len(problem.days), SYMMETRY_DAYS)
    groups: dict[tuple[object, ...], list[int]] = {}
    for a, agent in enumerate(problem.agents):
        groups.setdefault(signature(agent), []).append(a)
    ordered = [list(row) for row in roster]
    for members in groups.values():
        rows = sorted(
            (roster[a] for a in members),
            key=lambda row: sum(base ** (horizon - 1 - d) * (row[d] + 1) for d in range(horizon)),
            reverse=True,
        )
        for a, row in zip(members, rows, strict=True):
            ordered[a] = list(row)
    return ordered


def signature(agent: Agent) -> tuple[object, ...]:
    return (
        _contract(agent),
        agent.max_consecutive_days,
        agent.min_consecutive_days,
        agent.min_consecutive_days_off,
        agent.max_weekends,
        tuple(sorted(agent.leave)),
        tuple(sorted(agent.fixed.items(), key=lambda kv: kv[0])),
        agent.requests,
        tuple(sorted(agent.previous.items(), key=lambda kv: kv[0])),
    )


SoftFamily = Callable[[RosterModel], list[Term]]

SOFT_FAMILIES: tuple[SoftFamily, ...] = (
    add_preferences,
    add_hours_balance,
    add_stability,
    add_rotation,
    add_fair_weekends_holidays,
)
