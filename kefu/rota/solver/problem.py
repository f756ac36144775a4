"""The roster problem and its result as plain frozen dataclasses (no Django, no OR-Tools).

One `RosterProblem` serves both a shop's month (built by `from_policy`) and a Curtois & Qu
benchmark instance (built by `nrp`), so the same model code solves both. Days are dates; a shift
is worked on the date it starts, and a part ending after 1440 minutes runs into the next day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal, NamedTuple

DAY_MINUTES = 24 * 60

DayKind = Literal["workday", "weekend", "holiday"]
"""workday 工作日 (also an adjusted working day 调休上班), weekend 休息日, holiday 法定节假日."""


@dataclass(frozen=True)
class ShiftType:
    """A shift template 班次: its working parts in minutes from the midnight of its day."""

    key: str
    label: str
    parts: tuple[tuple[int, int], ...]
    """[start, end) in minutes; two parts make a split shift 两头班; an end after 1440 runs
    past midnight into the next day (16:00-01:00 is (960, 1500))."""
    night: bool = False
    """A night shift 晚班: the whole-day-off rule looks at it."""

    @property
    def minutes(self) -> int:
        return sum(end - start for start, end in self.parts)

    @property
    def crosses_midnight(self) -> bool:
        return self.parts[-1][1] > DAY_MINUTES


@dataclass(frozen=True)
class Request:
    """An agent's wish: to work (`on`) or not to work a shift on a day; `shift=None` means any
    shift (a wish for the day off when `on` is False). `weight` is the cost of not meeting it."""

    day: dt.date
    shift: str | None
    on: bool
    weight: int = 1


@dataclass(frozen=True)
class Agent:
    """An agent 客服 with the limits of their contract and their own days."""

    id: str
    name: str
    min_minutes: int = 0
    max_minutes: int | None = None
    max_shifts: Mapping[str, int] = field(default_factory=dict)
    """Most shifts of a type over the horizon; a missing key means no limit, 0 forbids it."""
    max_consecutive_days: int | None = None
    min_consecutive_days: int = 1
    """Shortest run of working days; a run touching the horizon's edge may be shorter."""
    min_consecutive_days_off: int = 1
    """Shortest run of days off; a run touching the horizon's edge may be shorter."""
    max_weekends: int | None = None
    """Most weekends (Saturday and/or Sunday) worked."""
    leave: frozenset[dt.date] = frozenset()
    """Approved leave 请假: no shift, and not counted as a rest day."""
    fixed: Mapping[dt.date, str | None] = field(default_factory=dict)
    """Assignments the supervisor fixed: a shift key, or None for a fixed rest day."""
    requests: tuple[Request, ...] = ()
    previous: Mapping[dt.date, str | None] = field(default_factory=dict)
    """The agent's previous roster (days before the horizon): stability compares with it, and
    its last days carry the consecutive-days count and the shift succession over."""


@dataclass(frozen=True)
class Cover:
    """Agents needed on one shift of one day: fewer than `min` is not allowed; `preferred` is
    the target, each agent under or over it costs its weight."""

    day: dt.date
    shift: str
    min: int
    preferred: int
    under_weight: int = 0
    over_weight: int = 0
    max: int | None = None
    """Most agents allowed (0: the shift is not run that day)."""


@dataclass(frozen=True)
class Rotation:
    """A rotation cycle 轮班 (S4.4): the roster repeats every `weeks` weeks, and an agent changes
    shift only on a change day (0 = Monday ... 6 = Sunday)."""

    weeks: int
    change_weekdays: frozenset[int]


@dataclass(frozen=True)
class Weights:
    """Weights of the soft rules (0 switches a rule off)."""

    preferences: int = 1
    """Multiplies each request's own weight."""
    balance_hours: int = 0
    """Per hour between the most and the least credited monthly hours."""
    stability: int = 0
    """Per day an agent's shift differs from the previous roster."""
    rotation: int = 0
    """Per day that breaks the rotation cycle or changes shift off a change day."""
    fair_weekends: int = 0
    """Per weekend (or holiday) day between the agent working most and least of them."""


@dataclass(frozen=True)
class RosterProblem:
    days: tuple[dt.date, ...]
    """Consecutive dates of the horizon."""
    shifts: tuple[ShiftType, ...]
    agents: tuple[Agent, ...]
    cover: tuple[Cover, ...]
    forbidden_successions: tuple[tuple[str, str], ...] = ()
    """(a, b): shift b may not be worked the day after shift a (S2: no day shift after night)."""
    day_kinds: Mapping[dt.date, DayKind] = field(default_factory=dict)
    """Kind of each day; a day not listed is a weekend on Saturday/Sunday, else a workday."""
    holiday_names: Mapping[dt.date, str] = field(default_factory=dict)
    work_days_per_week: int | None = None
    """Working days in each Monday-Sunday week (做六休一: 6); leave is not counted as rest."""
    rest_days_per_month: int | None = None
    """Rest days in each calendar month of the horizon (S4.1: 3)."""
    whole_days_off: int = 0
    """Whole days off over the horizon: a rest day not right after a night shift (S2)."""
    online_hours: tuple[int, int] | None = None
    """Minutes of each day the service is staffed (end may pass 1440): no minute without an
    agent on a shift started that day."""
    rotation: Rotation | None = None
    leave_credit_minutes: int = 0
    """Minutes credited per leave day when monthly hours are balanced."""
    fair_share_holidays: bool = True
    """Fair weekends also shares legal holidays."""
    weights: Weights = Weights()
    time_limit_seconds: float = 30.0
    notes: tuple[str, ...] = ()

    def shift(self, key: str) -> ShiftType:
        return next(s for s in self.shifts if s.key == key)

    def kind(self, day: dt.date) -> DayKind:
        if day in self.day_kinds:
            return self.day_kinds[day]
        return "weekend" if day.weekday() >= 5 else "workday"


class Status(StrEnum):
    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    INFEASIBLE = "INFEASIBLE"
    UNKNOWN = "UNKNOWN"
    """No roster found within the time limit, and none proven impossible."""


class Penalty(NamedTuple):
    """One line of the penalty breakdown: `count` violations of `weight` each cost `cost`."""

    count: int  # type: ignore[assignment]  # the field the breakdown promises; hides tuple.count
    weight: int
    cost: int


@dataclass(frozen=True)
class Explanation:
    """Why a roster cannot be made, in words: Chinese first, then English."""

    zh: str
    en: str
    rule: str
    """The rule family, e.g. "coverage", "rest_per_week"."""
    day: dt.date | None = None
    shift: str | None = None
    short: int = 0
    """Agents missing on that shift and day."""


@dataclass(frozen=True)
class RosterSolution:
    status: Status
    assignment: Mapping[tuple[str, dt.date], str | None]
    """(agent id, day) -> shift key, or None for a day off; empty when no roster was found."""
    objective: int | None
    penalties: Mapping[str, Penalty]
    """Penalty name -> (count, weight, cost); a family whose terms have several weights has
    one line per weight, named "family×weight"."""
    seconds: float
    best_bound: float | None = None
    explanations: tuple[Explanation, ...] = ()

    def shift_of(self, agent_id: str, day: dt.date) -> str | None:
        return self.assignment.get((agent_id, day))
