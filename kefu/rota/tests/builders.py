"""Small hand-made roster problems for the solver tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from kefu.rota.solver.problem import Agent, Cover, RosterProblem, ShiftType

DAY = ShiftType(key="day", label="白班", parts=((8 * 60, 17 * 60 + 30),))
NIGHT = ShiftType(key="night", label="晚班", parts=((15 * 60 + 30, 24 * 60),), night=True)


def days_from(start: dt.date, count: int) -> tuple[dt.date, ...]:
    return tuple(start + dt.timedelta(days=i) for i in range(count))


def agents(*names: str, **fields: object) -> tuple[Agent, ...]:
    return tuple(Agent(id=name, name=name, **fields) for name in names)  # type: ignore[arg-type]


def need(day: dt.date, shift: str, count: int, *, soft: int = 0) -> Cover:
    """A hard head count, or (soft > 0) a preferred one costing `soft` per missing agent."""
    if soft:
        return Cover(day, shift, 0, count, under_weight=soft)
    return Cover(day, shift, count, count)


def closed(days: Iterable[dt.date], shift: str) -> tuple[Cover, ...]:
    return tuple(Cover(day, shift, 0, 0, max=0) for day in days)


def problem(
    days: tuple[dt.date, ...],
    members: tuple[Agent, ...],
    cover: Iterable[Cover],
    shifts: tuple[ShiftType, ...] = (DAY, NIGHT),
    **fields: object,
) -> RosterProblem:
    return RosterProblem(
        days=days,
        shifts=shifts,
        agents=members,
        cover=tuple(cover),
        time_limit_seconds=5.0,
        **fields,  # type: ignore[arg-type]
    )


def row(
    solution_assignment: dict[tuple[str, dt.date], str | None], agent: str, days: Iterable[dt.date]
) -> list[str | None]:
    return [solution_assignment[agent, day] for day in days]
