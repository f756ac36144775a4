"""A shop's month as a RosterProblem: the policy's `schedule` section, the month, and its agents.

Coverage per day comes from the weekday / weekend / holiday profile by China's official calendar
(chinesecalendar): a legal holiday uses the holiday profile, an adjusted working day 调休上班
(e.g. Saturday 2026-10-10) the weekday profile, any other Saturday or Sunday the weekend one.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import chinese_calendar

from kefu.policy.schema.base import WEEKDAYS, clock_minutes
from kefu.policy.schema.schedule import (
    BalanceHours,
    FairWeekends,
    MaxConsecutiveDays,
    NoShiftAfter,
    Preferences,
    RotationCycle,
    Schedule,
    SolverLimit,
    Stability,
    WholeDayOff,
)
from kefu.rota.solver.problem import (
    DAY_MINUTES,
    Agent,
    Cover,
    DayKind,
    Request,
    RosterProblem,
    Rotation,
    ShiftType,
    Weights,
)

# Values the policy schema does not give (yet); each is used only where the policy is silent.
DEFAULT_TIME_LIMIT_SECONDS = 30
"""Solver seconds when the policy has no `solver_time_limit` rule."""
DEFAULT_ROTATION_WEIGHT = 5
"""Weight of the rotation cycle (the schema's rotation_cycle rule has no weight); the presets
give stability 5, and the cycle is the same kind of wish."""
COVER_OVER_WEIGHT = 0
"""Agents over a shift's head count cost nothing: with fixed rest days the surplus is fixed."""
DEMAND_UNDER_WEIGHT = 10
"""Cost of each agent short of the demand's head count (schedule.staffing.drives_coverage),
as heavy as the presets' heaviest soft rule (balance_hours 10): demand is a target, not a floor."""


@dataclass(frozen=True)
class AgentInput:
    """An agent as the roster service hands them over (plain data, no Django)."""

    id: str
    name: str
    leave: frozenset[dt.date] = frozenset()
    preferences: tuple[Request, ...] = ()
    previous: Mapping[dt.date, str | None] = field(default_factory=dict)
    fixed: Mapping[dt.date, str | None] = field(default_factory=dict)
    min_minutes: int = 0
    max_minutes: int | None = None
    max_shifts: Mapping[str, int] = field(default_factory=dict)
    """E.g. {"night": 0} for an agent who works no night shifts."""


def month_days(year: int, month: int) -> tuple[dt.date, ...]:
    length = calendar.monthrange(year, month)[1]
    return tuple(dt.date(year, month, day) for day in range(1, length + 1))


def day_kind(day: dt.date) -> tuple[DayKind, str | None]:
    """The day's kind by China's calendar, and the holiday's name on a legal holiday. Raises
    NotImplementedError for a year chinesecalendar does not know yet."""
    on_holiday, name = chinese_calendar.get_holiday_detail(day)
    if chinese_calendar.is_workday(day):
        return "workday", None
    if on_holiday and name is not None:
        return "holiday", str(name)
    return "weekend", None


def calendar_of(
    days: Sequence[dt.date],
) -> tuple[dict[dt.date, DayKind], dict[dt.date, str], tuple[str, ...]]:
    kinds: dict[dt.date, DayKind] = {}
    names: dict[dt.date, str] = {}
    notes: list[str] = []
    for day in days:
        try:
            kind, name = day_kind(day)
        except NotImplementedError:
            # Next year's holidays are published late in the year; until chinesecalendar knows
            # them, Saturday and Sunday are rest days and nothing is a holiday.
            kind, name = ("weekend" if day.weekday() >= 5 else "workday"), None
            if not notes:
                notes.append(f"chinesecalendar has no holidays for {day.year}: weekdays only")
        kinds[day] = kind
        if name is not None:
            names[day] = name
    return kinds, names, tuple(notes)


def shift_types(schedule: Schedule) -> tuple[ShiftType, ...]:
    return tuple(
        ShiftType(key=key, label=shift.label, parts=tuple(shift.spans()), night=shift.night)
        for key, shift in schedule.shifts.items()
    )


def coverage(
    schedule: Schedule,
    kinds: Mapping[dt.date, DayKind],
    demand: Mapping[str, int] | None = None,
) -> tuple[Cover, ...]:
    """Per day and shift the profile's head count as a hard minimum; a shift the day's profile
    does not list is not run that day. `demand` (agents per shift from the hourly need, see
    staffing.shift_heads_for_need) raises the preferred head count of the shifts that run."""
    profiles = {
        "workday": schedule.coverage.weekday,
        "weekend": schedule.coverage.weekend,
        "holiday": schedule.coverage.holiday,
    }
    covers = []
    for day, kind in kinds.items():
        profile = profiles[kind]
        for key in schedule.shifts:
            if key in profile:
                need = profile[key]
                wanted = max(need, (demand or {}).get(key, 0))
                covers.append(
                    Cover(
                        day, key, need, wanted,
                        under_weight=DEMAND_UNDER_WEIGHT if wanted > need else 0,
                        over_weight=COVER_OVER_WEIGHT,
                    )
                )  # fmt: skip
            else:
                covers.append(Cover(day, key, 0, 0, max=0))
    return tuple(covers)


def online_window(schedule: Schedule) -> tuple[int, int] | None:
    hours = schedule.online_hours
    if not schedule.coverage.cover_online_hours:
        return None
    start, end = clock_minutes(hours.start), clock_minutes(hours.end)
    return start, end + DAY_MINUTES if end <= start else end


def problem_from_policy(
    schedule: Schedule,
    year: int,
    month: int,
    agents: Sequence[AgentInput],
    demand: Mapping[str, int] | None = None,
) -> RosterProblem:
    """The month's roster problem under the policy's schedule section; `demand` as in
    `coverage`."""
    days = month_days(year, month)
    kinds, names, notes = calendar_of(days)
    shifts = shift_types(schedule)
    forbidden: list[tuple[str, str]] = []
    weights = Weights(preferences=0)
    longest: int | None = None
    whole = 0
    rotation: Rotation | None = None
    fair_holidays = True
    limit: float = DEFAULT_TIME_LIMIT_SECONDS
    for rule in schedule.rules:
        if isinstance(rule, NoShiftAfter):
            forbidden.extend((rule.shift, later) for later in rule.next_day_forbidden)
        elif isinstance(rule, WholeDayOff):
            whole = rule.min_per_month
        elif isinstance(rule, MaxConsecutiveDays):
            longest = rule.days
        elif isinstance(rule, BalanceHours):
            weights = _with(weights, balance_hours=rule.weight)
        elif isinstance(rule, Stability):
            weights = _with(weights, stability=rule.weight)
        elif isinstance(rule, RotationCycle):
            change = frozenset(WEEKDAYS.index(day) for day in rule.change_days)
            rotation = Rotation(weeks=rule.weeks, change_weekdays=change)
            weights = _with(weights, rotation=DEFAULT_ROTATION_WEIGHT)
        elif isinstance(rule, Preferences):
            weights = _with(weights, preferences=rule.weight)
        elif isinstance(rule, FairWeekends):
            weights = _with(weights, fair_weekends=rule.weight)
            fair_holidays = rule.include_holidays
        elif isinstance(rule, SolverLimit):
            limit = rule.seconds
    members = tuple(
        Agent(
            id=agent.id,
            name=agent.name,
            min_minutes=agent.min_minutes,
            max_minutes=agent.max_minutes,
            max_shifts=dict(agent.max_shifts),
            max_consecutive_days=longest,
            leave=frozenset(agent.leave),
            fixed=dict(agent.fixed),
            requests=agent.preferences,
            previous=dict(agent.previous),
        )
        for agent in agents
    )
    return RosterProblem(
        days=days,
        shifts=shifts,
        agents=members,
        cover=coverage(schedule, kinds, demand),
        forbidden_successions=tuple(forbidden),
        day_kinds=kinds,
        holiday_names=names,
        work_days_per_week=schedule.rest.work_days_per_week,
        rest_days_per_month=schedule.rest.days_per_month,
        whole_days_off=whole,
        online_hours=online_window(schedule),
        rotation=rotation,
        # A leave day is credited with an average shift, so leave does not unbalance hours.
        leave_credit_minutes=round(sum(s.minutes for s in shifts) / len(shifts)),
        fair_share_holidays=fair_holidays,
        weights=weights,
        time_limit_seconds=float(limit),
        notes=notes,
    )


def _with(weights: Weights, **changes: int) -> Weights:
    return replace(weights, **changes)
