"""What the solver and the checker need from the database: a shop's month as a RosterProblem.

The team is the shop's active assignments; approved leave (and the days an approved cover
takes an agent off) is leave; an approved cover fixes the colleague to the shift; the previous
month's roster is `previous` (stability and the rules that look back a day or a week)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.policy.models import PolicyVersion
from kefu.policy.schema.schedule import Schedule
from kefu.policy.selectors import parse_version
from kefu.rota.choices import RequestKind, RequestStatus
from kefu.rota.models import Request, Roster, RosterShift
from kefu.rota.selectors import approved_leave
from kefu.rota.solver import AgentInput, RosterProblem, problem_from_policy
from kefu.rota.solver.staffing import shift_heads_for_need
from kefu.rota.staffing import staffing_needed
from kefu.staff.choices import AgentStatus
from kefu.staff.models import Agent, Assignment


def month_parse(month: str) -> tuple[int, int]:
    """'2026-11' -> (2026, 11), else InvalidInput naming the field."""
    try:
        year_text, month_text = month.split("-")
        year, number = int(year_text), int(month_text)
        if len(year_text) != 4 or not 1 <= number <= 12:
            raise ValueError
    except ValueError as exc:
        raise InvalidInput(f"月份格式应为 YYYY-MM：{month!r}") from exc
    return year, number


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def month_text(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def shift_templates_of(schedule: Schedule) -> dict[str, dict[str, object]]:
    """The policy's shifts as the roster stores them: label, parts in minutes, night."""
    return {
        key: {
            "label": shift.label,
            "parts": [[start, end] for start, end in shift.spans()],
            "night": shift.night,
        }
        for key, shift in schedule.shifts.items()
    }


def team_of(*, shop: Shop, first: dt.date, last: dt.date) -> list[Agent]:
    """Agents serving the shop during the month: an active assignment begun by its last day."""
    ids = Assignment.objects.filter(shop=shop, active=True, since__lte=last).values("agent_id")
    return list(
        Agent.objects.filter(pk__in=ids).exclude(status=AgentStatus.LEFT).order_by("name", "id")
    )


@dataclass(frozen=True)
class MonthInput:
    problem: RosterProblem
    agents: dict[str, Agent]
    """Solver agent id (the Agent pk as text) -> Agent."""
    schedule: Schedule | None = None
    """The `schedule` section the problem was built from."""


def month_input(
    *, shop: Shop, year: int, month: int, version: PolicyVersion, exclude_roster: Roster | None
) -> MonthInput:
    """The month's RosterProblem. `exclude_roster` is the roster being (re)made: its own cells
    are not fixed assignments."""
    schedule = parse_version(version).schedule
    first, last = month_bounds(year, month)
    team = team_of(shop=shop, first=first, last=last)
    leave = approved_leave(shop=shop, start=first, end=last)
    fixed: dict[int, dict[dt.date, str | None]] = {}
    covers = Request.objects.filter(
        shop=shop,
        status=RequestStatus.APPROVED,
        kind__in=[RequestKind.COVER, RequestKind.LEAVE],
        counterpart__isnull=False,
        start_date__lte=last,
        end_date__gte=first,
    ).exclude(shift_key="")
    for request in covers:
        assert request.counterpart_id is not None
        for day in request.days():
            if first <= day <= last and request.shift_key in schedule.shifts:
                fixed.setdefault(request.counterpart_id, {})[day] = request.shift_key
    previous: dict[int, dict[dt.date, str | None]] = {}
    before = previous_month(year, month)
    old = Roster.objects.filter(shop=shop, month=f"{before[0]:04d}-{before[1]:02d}").first()
    if old is not None and old != exclude_roster:
        old_first, old_last = month_bounds(*before)
        cells = {
            (row.agent_id, row.local_date): row.shift_key
            for row in RosterShift.objects.filter(roster=old)
        }
        in_old = {agent_id for agent_id, _ in cells}
        for agent in team:
            if agent.id not in in_old:
                continue
            days = [old_first + dt.timedelta(days=i) for i in range(old_last.day)]
            previous[agent.id] = {
                day: key if (key := cells.get((agent.id, day))) in schedule.shifts else None
                for day in days
            }
    inputs = [
        AgentInput(
            id=str(agent.id),
            name=agent.name,
            leave=frozenset(leave.get(agent.id, set())),
            previous=previous.get(agent.id, {}),
            fixed=fixed.get(agent.id, {}),
        )
        for agent in team
    ]
    problem = problem_from_policy(
        schedule,
        year,
        month,
        inputs,
        demand=demand_heads(shop=shop, schedule=schedule, first=first),
    )
    return MonthInput(
        problem=problem, agents={str(agent.id): agent for agent in team}, schedule=schedule
    )


def demand_heads(*, shop: Shop, schedule: Schedule, first: dt.date) -> dict[str, int] | None:
    """Agents per shift the chat history asks for, when the policy lets demand drive the
    roster (schedule.staffing.drives_coverage) and there is history before the month."""
    if schedule.staffing is None or not schedule.staffing.drives_coverage:
        return None
    needed = staffing_needed(shop=shop, schedule=schedule, today=first)
    if not needed:
        return None
    spans = {key: shift.spans() for key, shift in schedule.shifts.items()}
    return shift_heads_for_need(spans, {hour: s.agents for hour, s in needed.items()})
