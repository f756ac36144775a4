"""The Curtois & Qu employee shift-scheduling benchmark (schedulingbenchmarks.org "NRP" text
format) read into a `RosterProblem`, and an independent checker of a roster against it.

The benchmark's objective is the weights of unmet shift-on and shift-off requests plus, per
(day, shift), the under or over weight times the agents short or over the requirement; every
other rule is hard. Runs of working days or days off that touch the horizon's first or last
day are exempt from the minimum-length rules (the reference models treat them so).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from kefu.rota.solver.calendar import weekend_pairs
from kefu.rota.solver.problem import Agent, Cover, Request, RosterProblem, ShiftType, Weights

NRP_START = dt.date(2024, 1, 1)
"""The instances start on a Monday; any Monday gives the same weekends."""

SECTIONS = (
    "SECTION_HORIZON",
    "SECTION_SHIFTS",
    "SECTION_STAFF",
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
)


def _sections(text: str) -> dict[str, list[list[str]]]:
    rows: dict[str, list[list[str]]] = {}
    current: str | None = None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("SECTION_"):
            current = line
            rows[current] = []
        elif current is not None:
            rows[current].append([cell.strip() for cell in line.split(",")])
    missing = [
        name for name in ("SECTION_HORIZON", "SECTION_SHIFTS", "SECTION_STAFF") if name not in rows
    ]
    if missing:
        raise ValueError(f"not an NRP instance: missing {', '.join(missing)}")
    return rows


def read_nrp(path: str | Path, *, time_limit_seconds: float = 60.0) -> RosterProblem:
    """Read one instance file (e.g. Instance1.txt) into a RosterProblem."""
    return parse_nrp(Path(path).read_text(encoding="utf-8"), time_limit_seconds=time_limit_seconds)


def parse_nrp(text: str, *, time_limit_seconds: float = 60.0) -> RosterProblem:
    rows = _sections(text)
    horizon = int(rows["SECTION_HORIZON"][0][0])
    days = tuple(NRP_START + dt.timedelta(days=d) for d in range(horizon))
    shifts = []
    forbidden: list[tuple[str, str]] = []
    for key, length, *rest in rows["SECTION_SHIFTS"]:
        # The format gives a shift's length only; it is placed at the start of its day.
        shifts.append(ShiftType(key=key, label=key, parts=((0, int(length)),)))
        followers = rest[0] if rest else ""
        forbidden.extend((key, after) for after in followers.split("|") if after)
    off: dict[str, set[dt.date]] = {}
    for employee, *indexes in rows.get("SECTION_DAYS_OFF", []):
        off.setdefault(employee, set()).update(days[int(i)] for i in indexes if i)
    requests: dict[str, list[Request]] = {}
    for section, on in (("SECTION_SHIFT_ON_REQUESTS", True), ("SECTION_SHIFT_OFF_REQUESTS", False)):
        for employee, day, shift, weight in rows.get(section, []):
            requests.setdefault(employee, []).append(
                Request(day=days[int(day)], shift=shift, on=on, weight=int(weight))
            )
    agents = []
    for employee, max_shifts, max_min, min_min, max_run, min_run, min_off, max_weekends in rows[
        "SECTION_STAFF"
    ]:
        limits = {}
        for item in max_shifts.split("|"):
            key, most = item.split("=")
            limits[key] = int(most)
        agents.append(
            Agent(
                id=employee,
                name=employee,
                min_minutes=int(min_min),
                max_minutes=int(max_min),
                max_shifts=limits,
                max_consecutive_days=int(max_run),
                min_consecutive_days=int(min_run),
                min_consecutive_days_off=int(min_off),
                max_weekends=int(max_weekends),
                leave=frozenset(off.get(employee, ())),
                requests=tuple(requests.get(employee, ())),
            )
        )
    cover = tuple(
        Cover(
            day=days[int(day)],
            shift=shift,
            min=0,
            preferred=int(need),
            under_weight=int(under),
            over_weight=int(over),
        )
        for day, shift, need, under, over in rows.get("SECTION_COVER", [])
    )
    return RosterProblem(
        days=days,
        shifts=tuple(shifts),
        agents=tuple(agents),
        cover=cover,
        forbidden_successions=tuple(forbidden),
        weights=Weights(preferences=1),
        time_limit_seconds=time_limit_seconds,
    )


def _runs(flags: list[bool]) -> list[tuple[int, int, bool]]:
    """(start, length, value) of each maximal run of equal flags."""
    runs: list[tuple[int, int, bool]] = []
    for d, flag in enumerate(flags):
        if runs and runs[-1][2] == flag:
            start, length, _ = runs[-1]
            runs[-1] = (start, length + 1, flag)
        else:
            runs.append((d, 1, flag))
    return runs


def nrp_check(
    problem: RosterProblem, assignment: Mapping[tuple[str, dt.date], str | None]
) -> tuple[int, list[str]]:
    """The benchmark objective of a roster and every hard rule it breaks, computed from the
    roster alone (no model code), so it checks the model as well as the solution."""
    minutes = {s.key: s.minutes for s in problem.shifts}
    forbidden = set(problem.forbidden_successions)
    violations: list[str] = []
    objective = 0
    horizon = len(problem.days)
    for agent in problem.agents:
        row = [assignment.get((agent.id, day)) for day in problem.days]
        for key in row:
            if key is not None and key not in minutes:
                violations.append(f"{agent.id}: unknown shift {key}")
        worked = sum(minutes.get(key, 0) for key in row if key is not None)
        if not agent.min_minutes <= worked <= (agent.max_minutes or worked):
            violations.append(
                f"{agent.id}: {worked} minutes outside [{agent.min_minutes}, {agent.max_minutes}]"
            )
        for key, most in agent.max_shifts.items():
            if row.count(key) > most:
                violations.append(f"{agent.id}: {row.count(key)} shifts {key} > {most}")
        for d in range(horizon - 1):
            if (row[d], row[d + 1]) in forbidden:
                violations.append(f"{agent.id}: {row[d]} then {row[d + 1]} on day {d}")
        for start, length, working in _runs([key is not None for key in row]):
            edge = start == 0 or start + length == horizon
            longest = agent.max_consecutive_days
            if working and longest is not None and length > longest:
                violations.append(f"{agent.id}: {length} days in a row from day {start}")
            shortest = agent.min_consecutive_days if working else agent.min_consecutive_days_off
            if not edge and length < shortest:
                kind = "working days" if working else "days off"
                violations.append(f"{agent.id}: {length} {kind} from day {start} < {shortest}")
        weekends = sum(
            1 for pair in weekend_pairs(problem.days) if any(row[d] is not None for d in pair)
        )
        if agent.max_weekends is not None and weekends > agent.max_weekends:
            violations.append(f"{agent.id}: {weekends} weekends > {agent.max_weekends}")
        for d, day in enumerate(problem.days):
            if day in agent.leave and row[d] is not None:
                violations.append(f"{agent.id}: works day {d}, a day off")
        for request in agent.requests:
            key = assignment.get((agent.id, request.day))
            hit = key is not None if request.shift is None else key == request.shift
            if hit != request.on:
                objective += request.weight * problem.weights.preferences
    for cover in problem.cover:
        count = sum(
            1 for agent in problem.agents if assignment.get((agent.id, cover.day)) == cover.shift
        )
        if count < cover.min:
            violations.append(f"{cover.day} {cover.shift}: {count} < minimum {cover.min}")
        objective += cover.under_weight * max(0, cover.preferred - count)
        objective += cover.over_weight * max(0, count - cover.preferred)
    return objective, violations
