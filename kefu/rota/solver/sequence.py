"""Runs of working days and days off as a layered flow (a network per agent).

When runs have a minimum length (the benchmark's min consecutive shifts and days off), the
clause form "a run that starts on d lasts through d+j" has a weak LP relaxation. Here each agent
walks through states day by day - "working, k-th day of the run" or "off, k-th day" - along
arcs that only the allowed run lengths have, and one unit of flow per agent goes from the first
day to the last. The LP of such a flow is the convex hull of the run rules alone, which is much
tighter: on the benchmark it closes most of the gap that the linear relaxation leaves.

A state is (working, k, exempt): `exempt` marks the run that started before or on the first day
(its true start is unknown, so the minimum length does not apply); a run may end early at the
horizon's end, because every state may be the last.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

State = tuple[bool, int, bool]


@dataclass(frozen=True)
class RunRules:
    longest_work: int
    """Most working days in a row (the horizon's length if unlimited)."""
    shortest_work: int
    shortest_off: int

    def states(self) -> list[State]:
        work = [(True, k, False) for k in range(1, self.longest_work + 1)]
        work += [(True, k, True) for k in range(1, min(self.shortest_work, self.longest_work + 1))]
        off = [(False, k, False) for k in range(1, self.shortest_off + 1)]
        off += [(False, k, True) for k in range(1, self.shortest_off)]
        return work + off

    def after(self, state: State, working: bool) -> State | None:
        """The state the day after `state` when that day is worked (or not); None if not
        allowed."""
        was_working, k, exempt = state
        if working and was_working:
            if k + 1 > self.longest_work:
                return None
            return (True, k + 1, exempt and k + 1 < self.shortest_work)
        if not working and not was_working:
            if exempt:
                return (False, k + 1, k + 1 < self.shortest_off)
            return (False, min(k + 1, self.shortest_off), False)
        done = exempt or k >= (self.shortest_work if was_working else self.shortest_off)
        return (working, 1, False) if done else None

    def first(self, before: State | None) -> list[State]:
        """Possible states of the first day: after the day before's state, if known, else the
        start of an exempt run."""
        if before is None:
            return [
                (True, 1, self.shortest_work > 1),
                (False, 1, self.shortest_off > 1),
            ]
        return [s for w in (True, False) if (s := self.after(before, w)) is not None]


def add_run_flow(
    model: cp_model.CpModel,
    work: list[cp_model.IntVar],
    rules: RunRules,
    before: State | None,
    name: str,
) -> list[cp_model.Constraint]:
    """Tie work[d] to a path through the run states; returns the constraints so that a caller
    can guard them."""
    constraints: list[cp_model.Constraint] = []
    occupied: dict[State, cp_model.IntVar] = {}
    for state in rules.first(before):
        occupied[state] = model.new_bool_var(f"{name}[0,{state}]")
    constraints.append(model.add(sum(occupied.values()) == 1))
    constraints.append(model.add(work[0] == sum(v for s, v in occupied.items() if s[0])))
    for d in range(1, len(work)):
        entering: dict[State, list[cp_model.IntVar]] = {}
        for state, here in occupied.items():
            leaving = []
            for working in (True, False):
                nxt = rules.after(state, working)
                if nxt is None:
                    continue
                arc = model.new_bool_var(f"{name}[{d},{state}>{nxt}]")
                leaving.append(arc)
                entering.setdefault(nxt, []).append(arc)
            constraints.append(model.add(sum(leaving) == here))
        occupied = {}
        for state, arcs in entering.items():
            if len(arcs) == 1:
                occupied[state] = arcs[0]
            else:
                occupied[state] = model.new_bool_var(f"{name}[{d},{state}]")
                constraints.append(model.add(occupied[state] == sum(arcs)))
        constraints.append(model.add(work[d] == sum(v for s, v in occupied.items() if s[0])))
    return constraints
