"""排班: shift templates, online hours, rest days, roster rules, coverage and leave/swap requests.

A shift is a list of parts [start, end] in local time. A part whose end is not after its start
is an error ("ends before it starts") unless the shift says `crosses_midnight: true`; then its
last part runs into the next day (16:00-01:00 is 9 hours). "24:00" is the end of the day, so
18:00-24:00 does not cross midnight."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from kefu.policy.schema.base import (
    END_OF_DAY,
    Clock,
    Count,
    Key,
    Loc,
    PositiveInt,
    Problems,
    Rule,
    StrictModel,
    Weekday,
    clock_minutes,
)

DAY_MINUTES = 24 * 60


def check_parts(
    problems: Problems, at: Loc, parts: list[tuple[str, str]], crosses_midnight: bool
) -> None:
    """The part rules shared by shifts and online hours (see the module docstring)."""
    previous_end: int | None = None
    crossed = False
    for index, (start, end) in enumerate(parts):
        here = (*at, index)
        if start == END_OF_DAY:
            problems.add(here, "a part cannot start at 24:00; write 00:00")
            continue
        begin, finish = clock_minutes(start), clock_minutes(end)
        if finish == begin:
            problems.add(here, f"is empty ({start}-{end})")
            continue
        if finish < begin:
            if not crosses_midnight:
                problems.add(
                    here,
                    f"ends before it starts ({start}-{end}); "
                    "a shift that runs past midnight needs crosses_midnight: true",
                )
                continue
            if index != len(parts) - 1:
                problems.add(here, f"only the last part may cross midnight ({start}-{end})")
                continue
            crossed = True
        if previous_end is not None and begin < previous_end:
            problems.add(here, f"starts at {start}, before the previous part ends")
        previous_end = finish
    if crosses_midnight and not crossed and not problems.items:
        problems.add(
            (*at[:-1], "crosses_midnight"),
            "is true but no part ends after midnight (its last part must end before it starts)",
        )


def part_spans(parts: list[tuple[str, str]]) -> list[tuple[int, int]]:
    """Minutes from the shift day's midnight; a part crossing midnight ends after 1440."""
    spans = []
    for start, end in parts:
        begin, finish = clock_minutes(start), clock_minutes(end)
        spans.append((begin, finish if finish > begin else finish + DAY_MINUTES))
    return spans


class OnlineHours(Rule):
    start: Clock
    """When the shop's chat service opens (local time)."""
    end: Clock
    """When it closes; "24:00" is midnight at the end of the day."""
    crosses_midnight: bool = False
    """True if the service closes after midnight (end before start)."""

    @model_validator(mode="after")
    def _window(self) -> OnlineHours:
        problems = Problems()
        check_parts(problems, ("end",), [(self.start, self.end)], self.crosses_midnight)
        # A window has a single part: report it on `end`, the field a person would change.
        problems.items = [
            (("end",) if at[0] == "end" else at, message) for at, message in problems.items
        ]
        problems.raise_if_any()
        return self


class Shift(Rule):
    label: str = Field(min_length=1)
    """Name shown on the roster, e.g. 白班, 晚班."""
    parts: list[tuple[Clock, Clock]] = Field(min_length=1)
    """The working parts [start, end], in order; two parts make a split shift."""
    crosses_midnight: bool = False
    """The last part ends after midnight (e.g. 16:00-01:00)."""
    night: bool = False
    """This is a night shift: night-shift rules (first response, no day shift after) apply."""
    extends_while_serving: bool = False
    """The shift's end extends while a buyer is still being served (S0, S2, S4.1, S4.4)."""

    @model_validator(mode="after")
    def _parts(self) -> Shift:
        problems = Problems()
        check_parts(problems, ("parts",), list(self.parts), self.crosses_midnight)
        problems.raise_if_any()
        return self

    def spans(self) -> list[tuple[int, int]]:
        """The parts as minutes from the shift day's midnight (after 1440 = next day)."""
        return part_spans(list(self.parts))

    def minutes(self) -> int:
        """Working minutes of one such shift."""
        return sum(end - start for start, end in self.spans())


class Rest(Rule):
    days_per_month: Count | None = None
    """Rest days a month (S4.1: 3); give this or work_days_per_week."""
    work_days_per_week: Annotated[int, Field(ge=1, le=7, strict=True)] | None = None
    """Working days a week: 6 is 做六休一 (S0, S4.4); give this or days_per_month."""
    holidays_rotate: bool = False
    """Legal holidays are taken in rotation so that day and night stay covered (S4.4)."""

    @model_validator(mode="after")
    def _one_kind(self) -> Rest:
        if (self.days_per_month is None) == (self.work_days_per_week is None):
            raise ValueError("give exactly one of days_per_month or work_days_per_week")
        return self


class NoShiftAfter(Rule):
    rule: Literal["no_shift_after"]
    shift: Key
    """The shift after which ..."""
    next_day_forbidden: list[Key] = Field(min_length=1)
    """... these shifts may not be worked the next day (S2: no day shift after a night)."""


class WholeDayOff(Rule):
    rule: Literal["whole_day_off"]
    min_per_month: PositiveInt = 1
    """Whole days off a month: a day shift and a night shift off in a row (S2)."""


class MaxConsecutiveDays(Rule):
    rule: Literal["max_consecutive_days"]
    days: PositiveInt
    """Most working days in a row (做六休一 gives 6)."""


class BalanceHours(Rule):
    rule: Literal["balance_hours"]
    weight: Count
    """Solver weight for equal monthly hours across agents (S2)."""


class Stability(Rule):
    rule: Literal["stability"]
    weight: Count
    """Solver weight for keeping the roster like last month's (S2: not changed often)."""


class RotationCycle(Rule):
    rule: Literal["rotation_cycle"]
    weeks: PositiveInt
    """Length of the day/night rotation (S4.4: three weeks)."""
    change_days: list[Weekday] = Field(min_length=1)
    """Days on which an agent changes between day and night (S4.4: sat, sun)."""


class Preferences(Rule):
    rule: Literal["preferences"]
    weight: Count
    """Solver weight for honouring agents' stated wishes (days off, shifts)."""


class FairWeekends(Rule):
    rule: Literal["fair_weekends"]
    weight: Count
    """Solver weight for sharing weekend work evenly."""
    include_holidays: bool = True
    """Legal holidays are shared the same way."""


class SolverLimit(Rule):
    rule: Literal["solver_time_limit"]
    seconds: PositiveInt
    """Most seconds the roster solver may search before it returns its best roster."""


RosterRule = Annotated[
    NoShiftAfter
    | WholeDayOff
    | MaxConsecutiveDays
    | BalanceHours
    | Stability
    | RotationCycle
    | Preferences
    | FairWeekends
    | SolverLimit,
    Field(discriminator="rule"),
]


class Coverage(Rule):
    weekday: dict[Key, Count] = Field(min_length=1)
    """Agents needed per shift on working days, e.g. {day: 2, night: 1}."""
    weekend: dict[Key, Count] = Field(min_length=1)
    """Agents needed per shift on rest days (Saturday, Sunday unless adjusted 调休)."""
    holiday: dict[Key, Count] = Field(min_length=1)
    """Agents needed per shift on legal holidays (China's official calendar)."""
    cover_online_hours: bool = True
    """No minute of the online hours may be left without an agent (S0 §4.9)."""


class Requests(Rule):
    leave_needs_approval: bool = True
    """Leave needs the supervisor's approval in advance."""
    swap_needs_approval: bool = True
    """Shift swaps 调班 need the supervisor's approval in advance."""
    notice_days: Count = 0
    """Days ahead a request must be made (S4.3: 1)."""
    swap_days_per_month: Count | None = None
    """Swap days 调休 allowed a month (S3: 4); none means no monthly allowance."""
    leave_offsets_swap: bool = False
    """A day of leave uses up a swap day (S3)."""
    extra_leave_counts_as_absence: bool = False
    """Leave beyond the swap allowance counts as an absence 缺勤 (S3)."""
    cover_named: bool = False
    """A leave must name the colleague who covers it (S4.3, S4.4)."""
    gap_accountable: Literal["supervisor", "agent", "none"] = "none"
    """Who answers for a shift left uncovered by a leave (S4.4: the supervisor)."""


class Staffing(Rule):
    handle_seconds: PositiveInt
    """Average seconds of an agent's attention one buyer's conversation takes (handle time)."""
    concurrency: PositiveInt = 1
    """Chats an agent serves at once; Erlang C counts each agent as this many chat slots."""
    answer_seconds: PositiveInt
    """Target time to answer a buyer, in seconds (the service level's threshold)."""
    service_level: Annotated[int, Field(ge=1, le=99, strict=True)] = 80
    """Percent of buyers to be answered within answer_seconds."""
    shrinkage: Annotated[int, Field(ge=0, le=90, strict=True)] = 0
    """Percent of rostered time not spent serving (breaks, meetings, training)."""
    history_days: PositiveInt = 28
    """Days of chat history the buyers per hour are averaged over."""
    drives_coverage: bool = False
    """When true, the roster aims for the demand: each shift's preferred head count is the
    fewest agents per shift that put every hour's need on duty (never below the coverage
    profile's minimum); agents short of it cost the solver, the profile stays the hard floor."""


class Schedule(StrictModel):
    online_hours: OnlineHours
    """The hours the shop's chat service is staffed."""
    shifts: dict[Key, Shift] = Field(min_length=1)
    """Shift templates by key (day, night, ...)."""
    rest: Rest
    """Rest days."""
    rules: list[RosterRule] = Field(default_factory=list)
    """Roster rules, each a `rule:` kind with its parameters."""
    coverage: Coverage
    """Agents needed per shift."""
    requests: Requests
    """Leave and swap requests."""
    staffing: Staffing | None = None
    """Agents needed per hour from demand by Erlang C, shown against the roster's coverage;
    none: not computed."""

    @model_validator(mode="after")
    def _references(self) -> Schedule:
        problems = Problems()
        known = ", ".join(self.shifts)
        for profile in ("weekday", "weekend", "holiday"):
            for name in getattr(self.coverage, profile):
                if name not in self.shifts:
                    problems.add(
                        ("coverage", profile, name), f"unknown shift {name!r} (shifts: {known})"
                    )
        kinds: dict[str, int] = {}
        for index, rule in enumerate(self.rules):
            if isinstance(rule, NoShiftAfter):
                for name_at, name in [(("shift",), rule.shift)] + [
                    (("next_day_forbidden", i), n) for i, n in enumerate(rule.next_day_forbidden)
                ]:
                    if name not in self.shifts:
                        problems.add(
                            ("rules", index, *name_at), f"unknown shift {name!r} (shifts: {known})"
                        )
            elif rule.rule in kinds:
                problems.add(
                    ("rules", index, "rule"),
                    f"{rule.rule} is already set by rules.{kinds[rule.rule]}",
                )
            else:
                kinds[rule.rule] = index
        problems.raise_if_any()
        return self

    def night_shifts(self) -> list[str]:
        return [name for name, shift in self.shifts.items() if shift.night]

    def rule(self, kind: str) -> RosterRule | None:
        """The roster rule of this kind, if the policy sets one (no_shift_after may repeat:
        use `rules` for it)."""
        return next((r for r in self.rules if r.rule == kind), None)
