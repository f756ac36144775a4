"""Reads of attendance: an agent's punches, and a period's shifts classified under the policy
in force on each day (computed on demand by the pure engine, never stored)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from kefu.attendance import roster
from kefu.attendance.engine import (
    STATUS_LABELS,
    Absence,
    AgentMonth,
    ShiftResult,
    classify,
    month_last_day,
    month_summary,
)
from kefu.attendance.engine import (
    Punch as EnginePunch,
)
from kefu.attendance.models import Punch, PunchImport
from kefu.core.clock import now
from kefu.core.models import Shop
from kefu.policy.models import PolicyVersion
from kefu.policy.schema.attendance import Attendance
from kefu.policy.selectors import parse_version, policy_in_force
from kefu.staff.models import Agent, Assignment


def agent_of_user(*, shop: Shop, user: User | AnonymousUser) -> Agent | None:
    """The agent linked to this user, if they serve this shop."""
    if not user.is_authenticated:
        return None
    agent = Agent.objects.filter(user_id=user.pk).first()
    if agent is None or not Assignment.objects.filter(shop=shop, agent=agent).exists():
        return None
    return agent


def shop_agents(*, shop: Shop) -> QuerySet[Agent]:
    return Agent.objects.filter(assignments__shop=shop).order_by("name", "id")


def punches_between(
    *, shop: Shop, start: dt.datetime, end: dt.datetime, agent_id: int | None = None
) -> QuerySet[Punch]:
    rows = Punch.objects.filter(shop=shop, at__gte=start, at__lt=end)
    if agent_id is not None:
        rows = rows.filter(agent_id=agent_id)
    return rows.order_by("at", "id")


def last_punch(*, shop: Shop, agent: Agent) -> Punch | None:
    return Punch.objects.filter(shop=shop, agent=agent).order_by("-at", "-id").first()


def punch_imports(*, shop: Shop) -> QuerySet[PunchImport]:
    return PunchImport.objects.filter(shop=shop).order_by("-created_at", "-id")


def rules_by_day(*, shop: Shop) -> Callable[[dt.date], Attendance]:
    """The `attendance` section in force on a day. The shop's versions are read once and each
    is parsed once (parsing a policy is the slow part)."""
    versions = list(PolicyVersion.objects.filter(shop=shop).order_by("-effective_from", "-number"))
    parsed: dict[int, Attendance] = {}
    by_day: dict[dt.date, Attendance] = {}

    def rules_for(day: dt.date) -> Attendance:
        if day in by_day:
            return by_day[day]
        version = next((v for v in versions if v.effective_from <= day), None)
        if version is None:
            return policy_in_force(shop=shop, on=day).policy.attendance  # raises NotFound
        if version.pk not in parsed:
            parsed[version.pk] = parse_version(version).attendance
        by_day[day] = parsed[version.pk]
        return by_day[day]

    return rules_for


@dataclass(frozen=True)
class Period:
    """Shifts of local dates start..end classified as of `as_of`."""

    start: dt.date
    end: dt.date
    as_of: dt.datetime
    results: list[ShiftResult]
    stray: list[EnginePunch]
    absences: dict[str, Absence]
    rules_for: Callable[[dt.date], Attendance] = field(repr=False)

    def months(self, agent_ids: list[str]) -> dict[str, AgentMonth]:
        """Each agent's month (the period must be one whole month)."""
        over = self.as_of.date() > self.end
        out = {}
        for agent_id in agent_ids:
            out[agent_id] = month_summary(
                self.results,
                agent_id=agent_id,
                year=self.start.year,
                month=self.start.month,
                absence=self.absences.get(agent_id, Absence()),
                rules=self.rules_for(self.end),
                month_over=over,
            )
        return out


def period_classify(
    *,
    shop: Shop,
    start: dt.date,
    end: dt.date,
    agent_id: int | None = None,
    as_of: dt.datetime | None = None,
) -> Period:
    """Classify the published shifts of start..end. For the lateness grace to count right,
    `start` should be the first of a month (the month page and the daily job do so)."""
    as_of = as_of or now()
    tz = shop.tzinfo
    shifts = roster.shifts_for(shop=shop, start=start, end=end, agent_id=agent_id)
    lo = dt.datetime.combine(start, dt.time(), tzinfo=tz) - dt.timedelta(hours=12)
    hi = dt.datetime.combine(end + dt.timedelta(days=2), dt.time(), tzinfo=tz)
    rows = punches_between(shop=shop, start=lo, end=hi, agent_id=agent_id)
    punches = [
        EnginePunch(str(p.pk), str(p.agent_id), p.at.astimezone(tz), p.direction)  # type: ignore[arg-type]
        for p in rows
    ]
    absences = roster.absences_for(shop=shop, start=start, end=end)
    rules_for = rules_by_day(shop=shop)
    results, stray = classify(shifts, punches, rules_for=rules_for, absences=absences, as_of=as_of)
    stray = [p for p in stray if start <= p.at.astimezone(tz).date() <= end]
    return Period(start, end, as_of, results, stray, absences, rules_for)


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), month_last_day(year, month)


@dataclass(frozen=True)
class Cell:
    result: ShiftResult | None
    leave: bool = False

    @property
    def css(self) -> str:
        if self.result is None:
            return "bg-azure-lt" if self.leave else ""
        return {
            "ok": "bg-green-lt",
            "pending": "",
            "late": "bg-yellow-lt",
            "early_leave": "bg-yellow-lt",
            "late_and_early": "bg-orange-lt",
            "absence": "bg-red-lt",
            "absenteeism": "bg-red",
            "leave": "bg-azure-lt",
            "forgotten_sign_in": "bg-purple-lt",
            "missing_punch": "bg-purple-lt",
        }.get(self.result.status, "")


@dataclass(frozen=True)
class MonthRow:
    agent: Agent
    cells: list[Cell]
    summary: AgentMonth


@dataclass(frozen=True)
class MonthGrid:
    year: int
    month: int
    days: list[dt.date]
    rows: list[MonthRow]
    labels: dict[str, str]


def month_grid(
    *,
    shop: Shop,
    year: int,
    month: int,
    agent: Agent | None = None,
    as_of: dt.datetime | None = None,
) -> MonthGrid:
    """Agents x days with each shift's classification (one agent when `agent` is given)."""
    start, end = month_bounds(year, month)
    period = period_classify(
        shop=shop, start=start, end=end, agent_id=agent.pk if agent else None, as_of=as_of
    )
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    agents = [agent] if agent is not None else list(shop_agents(shop=shop))
    by_cell = {(r.shift.agent_id, r.shift.local_date): r for r in period.results}
    with_shifts = {r.shift.agent_id for r in period.results}
    agents = [a for a in agents if str(a.pk) in with_shifts or agent is not None]
    summaries = period.months([str(a.pk) for a in agents])
    rows = []
    for a in agents:
        absence = period.absences.get(str(a.pk), Absence())
        cells = [Cell(by_cell.get((str(a.pk), d)), leave=d in absence.leave) for d in days]
        rows.append(MonthRow(a, cells, summaries[str(a.pk)]))
    return MonthGrid(year, month, days, rows, STATUS_LABELS)
