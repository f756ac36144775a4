"""The attendance classifier: each scheduled shift judged under the policy's `attendance`
section, from the punches around it. Pure: no Django.

How a shift is read (docs/attendance.md says the same for the team):
- A punch belongs to the shift whose window holds it: from up to `PUNCH_WINDOW` before the
  start to up to `PUNCH_WINDOW` after the end, never past the middle of the gap to the agent's
  previous or next shift. A night shift crossing midnight belongs to the day it started.
- The first punch that is not an "out" is the clock-in; the last punch that is not an "in"
  (and not the clock-in) is the clock-out. A lone punch of unknown direction is a clock-in
  when it is before the middle of the shift, else a clock-out.
- Minutes late or early are whole minutes (a punch within the first minute is on time).
- Late beyond `late.absence_after_minutes` is an absence 缺勤 instead (S3: 30). Leaving early
  is judged the same way when `late.early_leave_same_as_late`.
- No punch at all on a scheduled shift without approved leave: absenteeism 旷工 when
  `absenteeism.unapproved_rest`, else an absence.
- One of the two punches missing: `forgotten_sign_in.counts_as` decides (S3: a swap day);
  without that rule it is only shown as a missing punch.
- Approved leave: no punch is expected; a leave day beyond the swap allowance is an absence.
- Swap days 调班/调休 are counted for the month (S3 allows four); the shifts the roster shows
  after the swap are the ones attended, so a swap day excuses nothing by itself.
- The lateness grace (S1: two latenesses of up to 10 minutes a month) is shown here exactly as
  the points-and-fines engine applies it (kefu.performance.engine.occurrences): every lateness
  is still a `late` fact with its minutes, and the month rules excuse the first ones.
- Full attendance 全勤 is decided once the month is over, from `full_attendance.requires`;
  an excused lateness still breaks `no_late`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from itertools import pairwise
from typing import Any, Literal

from kefu.attendance.engine.inputs import Absence, Punch, Shift
from kefu.attendance.engine.results import FactOut, ShiftResult, Status
from kefu.policy.schema.attendance import Attendance

PUNCH_WINDOW = dt.timedelta(hours=4)
"""How far before a shift's start and after its end a punch may lie and still belong to it.
Not a rule of any regime: it only decides which shift a punch is read against."""

# --- punches to shifts ---------------------------------------------------------------------


def _windows(shifts: Sequence[Shift]) -> list[tuple[dt.datetime, dt.datetime]]:
    """Each shift's punch window, for one agent's shifts sorted by start."""
    out = []
    for index, shift in enumerate(shifts):
        before = PUNCH_WINDOW
        after = PUNCH_WINDOW
        if index > 0:
            gap = shift.starts_at - shifts[index - 1].ends_at
            before = min(before, max(gap / 2, dt.timedelta(0)))
        if index + 1 < len(shifts):
            gap = shifts[index + 1].starts_at - shift.ends_at
            after = min(after, max(gap / 2, dt.timedelta(0)))
        out.append((shift.starts_at - before, shift.ends_at + after))
    return out


def punches_by_shift(
    shifts: Sequence[Shift], punches: Iterable[Punch]
) -> tuple[dict[str, list[Punch]], list[Punch]]:
    """Shift ref -> its punches in time order, and the punches outside every shift."""
    by_agent: dict[str, list[Shift]] = defaultdict(list)
    for shift in shifts:
        by_agent[shift.agent_id].append(shift)
    windows: dict[str, list[tuple[Shift, dt.datetime, dt.datetime]]] = {}
    for agent_id, own in by_agent.items():
        own.sort(key=lambda s: s.starts_at)
        windows[agent_id] = [(s, lo, hi) for s, (lo, hi) in zip(own, _windows(own), strict=True)]
    found: dict[str, list[Punch]] = {s.ref: [] for s in shifts}
    stray: list[Punch] = []
    for punch in sorted(punches, key=lambda p: (p.at, p.id)):
        for shift, lo, hi in windows.get(punch.agent_id, []):
            if lo <= punch.at <= hi:
                found[shift.ref].append(punch)
                break
        else:
            stray.append(punch)
    return found, stray


def _in_and_out(
    begin: dt.datetime, end: dt.datetime, punches: Sequence[Punch]
) -> tuple[Punch | None, Punch | None]:
    if not punches:
        return None, None
    if len(punches) == 1 and punches[0].direction == "":
        only = punches[0]
        middle = begin + (end - begin) / 2
        return (only, None) if only.at < middle else (None, only)
    ins = [p for p in punches if p.direction != "out"]
    clock_in = ins[0] if ins else None
    outs = [p for p in punches if p.direction != "in" and p is not clock_in]
    return clock_in, (outs[-1] if outs else None)


def _punches_by_part(shift: Shift, punches: Sequence[Punch]) -> list[list[Punch]]:
    """A split shift's punches per part, cut at the middle of each gap between parts."""
    stretches = shift.stretches
    cuts = [a_end + (b_start - a_end) / 2 for (_, a_end), (b_start, _) in pairwise(stretches)]
    groups: list[list[Punch]] = [[] for _ in stretches]
    for punch in punches:
        groups[sum(1 for cut in cuts if punch.at >= cut)].append(punch)
    return groups


def _whole_minutes(delta: dt.timedelta) -> int:
    return max(0, int(delta.total_seconds()) // 60)


# --- one shift -----------------------------------------------------------------------------


def _shift_evidence(shift: Shift) -> dict[str, Any]:
    return {
        "shift": shift.shift_key,
        "shift_label": shift.label or shift.shift_key,
        "local_date": shift.local_date.isoformat(),
        "starts_at": shift.starts_at.isoformat(),
        "ends_at": shift.ends_at.isoformat(),
    }


def _punch_evidence(punch: Punch | None) -> dict[str, Any] | None:
    return None if punch is None else {"id": punch.id, "at": punch.at.isoformat()}


def classify_shift(
    shift: Shift,
    punches: Sequence[Punch],
    *,
    rules: Attendance,
    absence: Absence,
    as_of: dt.datetime,
    window_end: dt.datetime | None = None,
) -> ShiftResult:
    """Judge one shift. `window_end` is when its punch window closes (default: the end plus
    `PUNCH_WINDOW`); before then the shift is pending and yields no fact."""
    base = _shift_evidence(shift)
    day = shift.local_date
    late_rule = rules.late
    if day in absence.leave:
        facts: tuple[FactOut, ...] = ()
        if day in absence.over_allowance:
            facts = (
                FactOut(
                    key="absence",
                    side="day",
                    at=shift.starts_at,
                    local_date=day,
                    clause=late_rule.clause,
                    evidence={**base, "reason": "leave_over_allowance"},
                ),
            )
        return ShiftResult(shift, "leave", facts=facts, punches=tuple(punches))
    if as_of < (window_end or shift.ends_at + PUNCH_WINDOW):
        clock_in, clock_out = _in_and_out(shift.starts_at, shift.ends_at, punches)
        return ShiftResult(shift, "pending", clock_in, clock_out, punches=tuple(punches))
    if not punches:
        day_key: Literal["absenteeism", "absence"] = (
            "absenteeism" if rules.absenteeism.unapproved_rest else "absence"
        )
        clause = rules.absenteeism.clause if day_key == "absenteeism" else late_rule.clause
        fact = FactOut(
            key=day_key,
            side="day",
            at=shift.starts_at,
            local_date=day,
            clause=clause,
            evidence={**base, "punches": [], "reason": "no_punch"},
        )
        return ShiftResult(shift, day_key, facts=(fact,))
    groups = _punches_by_part(shift, punches)
    pairs = [
        _in_and_out(begin, end, group)
        for (begin, end), group in zip(shift.stretches, groups, strict=True)
    ]
    clock_in, clock_out = pairs[0][0], pairs[-1][1]
    evidence = {
        **base,
        "punches": [_punch_evidence(p) for p in punches],
        "clock_in": _punch_evidence(clock_in),
        "clock_out": _punch_evidence(clock_out),
    }
    facts_out: list[FactOut] = []
    marks: list[str] = []
    late_minutes = early_minutes = 0
    split = len(groups) > 1
    for index, ((begin, end), group, (part_in, part_out)) in enumerate(
        zip(shift.stretches, groups, pairs, strict=True)
    ):
        suffix = str(index + 1) if index else ""
        part_evidence = evidence
        if split:
            part_evidence = {
                **evidence,
                "part": index + 1,
                "part_starts_at": begin.isoformat(),
                "part_ends_at": end.isoformat(),
                "part_clock_in": _punch_evidence(part_in),
                "part_clock_out": _punch_evidence(part_out),
            }
        if not group:  # a part of a split shift not worked at all: the post left
            key = "absenteeism" if rules.absenteeism.leaving_without_swap else "absence"
            marks.append(key)
            facts_out.append(
                FactOut(
                    key=key,
                    side=f"part{index + 1}",
                    at=begin,
                    local_date=day,
                    clause=rules.absenteeism.clause if key == "absenteeism" else late_rule.clause,
                    minutes=_whole_minutes(end - begin),
                    evidence={**part_evidence, "reason": "part_missed"},
                )
            )
            continue
        if part_in is not None:
            minutes = _whole_minutes(part_in.at - begin)
            late_minutes += minutes
            if minutes >= 1:
                over = (
                    late_rule.absence_after_minutes is not None
                    and minutes > late_rule.absence_after_minutes
                )
                key = "absence" if over else "late"
                marks.append(key)
                facts_out.append(
                    FactOut(
                        key=key,
                        side=f"in{suffix}",
                        at=part_in.at,
                        local_date=day,
                        clause=late_rule.clause,
                        minutes=minutes,
                        evidence={**part_evidence, "late_minutes": minutes},
                    )
                )
        if part_out is not None:
            minutes = _whole_minutes(end - part_out.at)
            early_minutes += minutes
            if minutes >= 1:
                over = (
                    late_rule.early_leave_same_as_late
                    and late_rule.absence_after_minutes is not None
                    and minutes > late_rule.absence_after_minutes
                )
                key = "absence" if over else "early_leave"
                marks.append(key)
                facts_out.append(
                    FactOut(
                        key=key,
                        side=f"out{suffix}",
                        at=part_out.at,
                        local_date=day,
                        clause=late_rule.clause,
                        minutes=minutes,
                        evidence={**part_evidence, "early_minutes": minutes},
                    )
                )
    status: Status
    # Only the first start's and the last end's punches are owed: a split shift's punches at
    # the gap are not (shops often punch only at the start and the end).
    if (clock_in is None and groups[0]) or (clock_out is None and groups[-1]):
        forgotten = rules.forgotten_sign_in
        counts_as = forgotten.counts_as if forgotten is not None else None
        side: Literal["in", "out"] = "in" if clock_in is None and groups[0] else "out"
        missing = {**evidence, "missing": side, "reason": "forgotten_sign_in"}
        if counts_as in ("late", "absence") and forgotten is not None:
            # The missing punch is the fact; its minutes are unknown, so 0 (graceable).
            facts_out.append(
                FactOut(
                    key=counts_as,
                    side=side,
                    at=(clock_out or clock_in or punches[0]).at,
                    local_date=day,
                    clause=forgotten.clause,
                    minutes=0 if counts_as == "late" else None,
                    evidence=missing,
                )
            )
            marks.append(counts_as)
        elif counts_as == "swap_day":
            marks.append("forgotten_sign_in")
        else:
            marks.append("missing_punch")
    status = _status(marks)
    return ShiftResult(
        shift,
        status,
        clock_in,
        clock_out,
        late_minutes=late_minutes,
        early_minutes=early_minutes,
        facts=tuple(facts_out),
        punches=tuple(punches),
    )


def _status(marks: Sequence[str]) -> Status:
    order: tuple[Status, ...] = ("absenteeism", "absence")
    for severe in order:
        if severe in marks:
            return severe
    if "late" in marks and "early_leave" in marks:
        return "late_and_early"
    lighter: tuple[Status, ...] = ("late", "early_leave", "forgotten_sign_in", "missing_punch")
    for mark in lighter:
        if mark in marks:
            return mark
    return "ok"


# --- a period ------------------------------------------------------------------------------


def _graceable(key: str, rules: Attendance) -> bool:
    if key == "late":
        return True
    return rules.late.early_leave_same_as_late and key == "early_leave"


def grace_mark(
    results: Sequence[ShiftResult], *, rules_for: Callable[[dt.date], Attendance]
) -> list[ShiftResult]:
    """Mark the latenesses the grace excuses: per agent and natural month, in time order, the
    first `count_per_month` of at most `max_minutes` (the rule the month close applies).
    `results` must hold whole months for the counting to be right."""
    used: dict[tuple[str, int, int], int] = defaultdict(int)
    marked: list[ShiftResult] = []
    order = sorted(results, key=lambda r: (r.shift.starts_at, r.shift.agent_id))
    for result in order:
        rules = rules_for(result.shift.local_date)
        grace = rules.late.grace
        if grace is None or not result.facts:
            marked.append(result)
            continue
        bucket = (
            result.shift.agent_id,
            result.shift.local_date.year,
            result.shift.local_date.month,
        )
        facts = []
        for fact in sorted(result.facts, key=lambda f: f.at):
            if (
                _graceable(fact.key, rules)
                and fact.minutes is not None
                and fact.minutes <= grace.max_minutes
                and used[bucket] < grace.count_per_month
            ):
                used[bucket] += 1
                fact = replace(
                    fact, excused=True, evidence={**fact.evidence, "grace": used[bucket]}
                )
            facts.append(fact)
        marked.append(replace(result, facts=tuple(facts)))
    return marked


def classify(
    shifts: Sequence[Shift],
    punches: Iterable[Punch],
    *,
    rules_for: Callable[[dt.date], Attendance],
    absences: dict[str, Absence],
    as_of: dt.datetime,
) -> tuple[list[ShiftResult], list[Punch]]:
    """Every shift's result (sorted by start, then agent) and the punches outside every shift.
    Pass whole months of shifts so the lateness grace counts right."""
    found, stray = punches_by_shift(shifts, punches)
    by_agent: dict[str, list[Shift]] = defaultdict(list)
    for shift in shifts:
        by_agent[shift.agent_id].append(shift)
    window_end: dict[str, dt.datetime] = {}
    for own in by_agent.values():
        own.sort(key=lambda s: s.starts_at)
        for shift, (_, hi) in zip(own, _windows(own), strict=True):
            window_end[shift.ref] = hi
    results = [
        classify_shift(
            shift,
            found[shift.ref],
            rules=rules_for(shift.local_date),
            absence=absences.get(shift.agent_id, Absence()),
            as_of=as_of,
            window_end=window_end[shift.ref],
        )
        for shift in shifts
    ]
    results = grace_mark(results, rules_for=rules_for)
    return sorted(results, key=lambda r: (r.shift.starts_at, r.shift.agent_id)), stray
