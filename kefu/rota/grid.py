"""The month grid a supervisor reads: agents by days, totals per agent, coverage per shift and
per hour against what the policy asks (and, when staffing is on, against Erlang C)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kefu.core.models import Shop
from kefu.rota.inputs import MonthInput, month_bounds, month_input
from kefu.rota.models import Roster, RosterShift
from kefu.rota.selectors import approved_leave
from kefu.rota.solver import day_kind
from kefu.rota.staffing import staffing_needed
from kefu.staff.models import Agent

WEEKDAYS_ZH = "一二三四五六日"
PALETTE = ("#fff3bf", "#d0ebff", "#e5dbff", "#d3f9d8", "#ffe3e3", "#ffe8cc", "#c5f6fa")
"""Cell colours by the shift's place in the policy (early/day first)."""
PALETTE_TEXT = ("#8f5b00", "#1864ab", "#5f3dc4", "#2b8a3e", "#c92a2a", "#d9480f", "#0b7285")


@dataclass(frozen=True)
class Day:
    date: dt.date
    weekday: str
    kind: str
    """workday, weekend, holiday; `adjusted` when a weekend day is a working day 调休上班."""
    holiday: str


@dataclass(frozen=True)
class Cell:
    day: dt.date
    key: str | None
    label: str
    colour: str
    text_colour: str
    leave: bool
    broken: bool


@dataclass(frozen=True)
class Row:
    agent: Agent
    cells: list[Cell]
    shifts: int
    hours: float
    rest_days: int
    leave_days: int


@dataclass(frozen=True)
class CoverRow:
    label: str
    colour: str
    values: list[tuple[int, int]]
    """(rostered, required) per day."""


@dataclass(frozen=True)
class Grid:
    roster: Roster
    days: list[Day]
    rows: list[Row]
    shift_cover: list[CoverRow]
    hour_cover: list[tuple[str, list[int], int | None]]
    """(hour label, agents working part of that hour per day, agents Erlang C says the hour
    needs or None), over the online hours."""
    legend: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(key, label, colour, times)."""


def day_header(day: dt.date) -> Day:
    kind: str
    try:
        kind, name = day_kind(day)
    except NotImplementedError:
        kind, name = ("weekend" if day.weekday() >= 5 else "workday"), None
    if kind == "workday" and day.weekday() >= 5:
        kind = "adjusted"
    return Day(day, WEEKDAYS_ZH[day.weekday()], kind, name or "")


def _clock(minutes: int) -> str:
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def colours(roster: Roster) -> dict[str, tuple[str, str]]:
    return {
        key: (PALETTE[i % len(PALETTE)], PALETTE_TEXT[i % len(PALETTE_TEXT)])
        for i, (key, _) in enumerate(roster.ordered_templates())
    }


def month_grid(*, shop: Shop, roster: Roster, agent_id: int | None = None) -> Grid:
    """The grid of a roster; `agent_id` limits the rows to one agent (coverage stays whole)."""
    year, number = roster.year_month
    first, last = month_bounds(year, number)
    data = month_input(
        shop=shop, year=year, month=number, version=roster.policy_version, exclude_roster=roster
    )
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    cells = {
        (row.agent_id, row.local_date): row.shift_key
        for row in RosterShift.objects.filter(roster=roster)
    }
    leave = approved_leave(shop=shop, start=first, end=last)
    palette = colours(roster)
    templates = roster.shift_templates
    broken = {
        (v.get("agent_id"), v.get("day"))
        for v in roster.violations
        if v.get("agent_id") is not None
    }
    agents = list(data.agents.values())
    on_roster = {a for a, _ in cells} - {a.id for a in agents}
    agents += list(Agent.objects.filter(pk__in=on_roster))  # agents who left since
    rows = []
    for agent in agents:
        if agent_id is not None and agent.id != agent_id:
            continue
        row_cells = []
        minutes = 0
        for day in days:
            key = cells.get((agent.id, day))
            template = templates.get(key, {}) if key else {}
            minutes += sum(b - a for a, b in template.get("parts", []))
            colour, text = palette.get(key, ("", "")) if key else ("", "")
            row_cells.append(
                Cell(
                    day=day,
                    key=key,
                    label=str(template.get("label", key or "")),
                    colour=colour,
                    text_colour=text,
                    leave=day in leave.get(agent.id, set()),
                    broken=(agent.id, day.isoformat()) in broken,
                )
            )
        worked = sum(1 for c in row_cells if c.key)
        on_leave = sum(1 for c in row_cells if c.leave and not c.key)
        rows.append(
            Row(
                agent=agent,
                cells=row_cells,
                shifts=worked,
                hours=round(minutes / 60, 1),
                rest_days=len(days) - worked - on_leave,
                leave_days=on_leave,
            )
        )
    need = {(c.day, c.shift): c.min for c in data.problem.cover}
    per: dict[tuple[dt.date, str], int] = {}
    for (_, day), key in cells.items():
        per[day, key] = per.get((day, key), 0) + 1
    shift_cover = [
        CoverRow(
            label=str(templates[key].get("label", key)),
            colour=palette[key][0],
            values=[(per.get((day, key), 0), need.get((day, key), 0)) for day in days],
        )
        for key, _ in roster.ordered_templates()
    ]
    return Grid(
        roster=roster,
        days=[day_header(d) for d in days],
        rows=rows,
        shift_cover=shift_cover,
        hour_cover=hour_cover(
            roster=roster,
            cells=cells,
            days=days,
            window=data.problem.online_hours,
            needed=_needed(shop, data, first),
        ),
        legend=[
            (
                key,
                str(t.get("label", key)),
                palette[key][0],
                " + ".join(f"{_clock(a)}-{_clock(b)}" for a, b in t.get("parts", [])),
            )
            for key, t in roster.ordered_templates()
        ],
    )


def _needed(shop: Shop, data: MonthInput, first: dt.date) -> dict[int, int] | None:
    """Agents per hour Erlang C asks for (schedule.staffing) from the history before the
    month; None without a staffing section or history."""
    if data.schedule is None or data.schedule.staffing is None:
        return None
    needed = staffing_needed(shop=shop, schedule=data.schedule, today=first)
    return {hour: s.agents for hour, s in needed.items()} or None


def hour_cover(
    *,
    roster: Roster,
    cells: dict[tuple[int, dt.date], str],
    days: list[dt.date],
    window: tuple[int, int] | None,
    needed: dict[int, int] | None = None,
) -> list[tuple[str, list[int], int | None]]:
    """Agents working some part of each hour of the online window, per day (a night shift run
    past midnight counts on the day it started, as the shift does)."""
    start, end = window if window is not None else (0, 24 * 60)
    hours = list(range(start // 60, -(-end // 60)))
    per_day: dict[dt.date, list[str]] = {}
    for (_, day), key in cells.items():
        per_day.setdefault(day, []).append(key)
    result = []
    for hour in hours:
        begin, finish = hour * 60, hour * 60 + 60
        counts = []
        for day in days:
            count = 0
            for key in per_day.get(day, []):
                parts = roster.shift_templates.get(key, {}).get("parts", [])
                if any(a < finish and begin < b for a, b in parts):
                    count += 1
            counts.append(count)
        result.append((f"{hour % 24:02d}:00", counts, (needed or {}).get(hour % 24)))
    return result
