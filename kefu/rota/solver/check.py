"""A roster checked against the problem's hard rules, in words (no solver, no Django).

The service re-checks a roster after a supervisor edits a cell or a swap is approved: what the
edit broke is listed per rule, agent, day and shift, with the same semantics as the model's
hard families (`model.py`, `runs.py`): head counts per shift and day, shifts not run that day,
the online window, leave, no shift b the day after shift a, rest days per week and per month
(leave is not rest), most working days in a row (the previous roster's last days count), whole
days off, most shifts of a type. Preferences and other soft rules are not checked here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from kefu.rota.solver.calendar import month_blocks, week_blocks
from kefu.rota.solver.model import online_segments
from kefu.rota.solver.names import day_en, day_zh, shift_en, shift_zh
from kefu.rota.solver.problem import DAY_MINUTES, Agent, RosterProblem

Assignment = Mapping[tuple[str, dt.date], str | None]


@dataclass(frozen=True)
class Violation:
    """One broken hard rule: Chinese first, then English."""

    rule: str
    zh: str
    en: str
    agent_id: str | None = None
    day: dt.date | None = None
    shift: str | None = None
    short: int = 0


def _clock(minutes: int) -> str:
    minutes %= DAY_MINUTES
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def check_roster(
    problem: RosterProblem,
    assignment: Assignment,
    *,
    agent_ids: frozenset[str] | None = None,
    days: frozenset[dt.date] | None = None,
) -> list[Violation]:
    """Every hard rule the assignment breaks. `agent_ids` limits the per-agent rules to these
    agents, `days` limits the team rules (head counts, online hours) to these days."""
    found: list[Violation] = []
    team_days = [d for d in problem.days if days is None or d in days]
    found += _coverage(problem, assignment, team_days)
    found += _online(problem, assignment, team_days)
    for agent in problem.agents:
        if agent_ids is not None and agent.id not in agent_ids:
            continue
        row = [assignment.get((agent.id, day)) for day in problem.days]
        found += _agent_rules(problem, agent, row)
    return found


def _coverage(
    problem: RosterProblem, assignment: Assignment, days: list[dt.date]
) -> list[Violation]:
    wanted = set(days)
    found = []
    counts: dict[tuple[dt.date, str], int] = {}
    for (_, day), key in assignment.items():
        if key is not None:
            counts[day, key] = counts.get((day, key), 0) + 1
    for cover in problem.cover:
        if cover.day not in wanted:
            continue
        have = counts.get((cover.day, cover.shift), 0)
        zh_day, en_day = day_zh(cover.day), day_en(cover.day)
        zh_shift, en_shift = shift_zh(problem, cover.shift), shift_en(problem, cover.shift)
        if have < cover.min:
            short = cover.min - have
            found.append(
                Violation(
                    "coverage",
                    f"{zh_day} {zh_shift}需要 {cover.min} 人，只排了 {have} 人，缺 {short} 人",
                    f"{en_day} {en_shift} needs {cover.min}, has {have}: {short} short",
                    day=cover.day,
                    shift=cover.shift,
                    short=short,
                )
            )
        if cover.max == 0 and have > 0:
            found.append(
                Violation(
                    "shift_not_run",
                    f"{zh_day}不开{zh_shift}，却排了 {have} 人",
                    f"{en_day} has no {en_shift}, yet {have} are on it",
                    day=cover.day,
                    shift=cover.shift,
                )
            )
        elif cover.max is not None and have > cover.max:
            found.append(
                Violation(
                    "coverage_max",
                    f"{zh_day} {zh_shift}最多 {cover.max} 人，排了 {have} 人",
                    f"{en_day} {en_shift} takes at most {cover.max}, has {have}",
                    day=cover.day,
                    shift=cover.shift,
                )
            )
    return found


def _online(problem: RosterProblem, assignment: Assignment, days: list[dt.date]) -> list[Violation]:
    window = problem.online_hours
    if window is None:
        return []
    index = {day: d for d, day in enumerate(problem.days)}
    keys = [s.key for s in problem.shifts]
    worked: dict[tuple[dt.date, str], bool] = {}
    for (_, day), key in assignment.items():
        if key is not None:
            worked[day, key] = True
    found = []
    for day in days:
        gaps: list[tuple[int, int]] = []
        for begin, end, covering in online_segments(problem, window):
            ok = any(
                worked.get((problem.days[index[day] - back], keys[s]), False)
                for back, s in covering
                if index[day] - back >= 0
            )
            # The horizon's first day: a shift run into it from the month before is unknown.
            ok = ok or (index[day] == 0 and any(back == 1 for back, _ in covering))
            if not ok:
                if gaps and gaps[-1][1] == begin:
                    gaps[-1] = (gaps[-1][0], end)
                else:
                    gaps.append((begin, end))
        for begin, end in gaps:
            clock = f"{_clock(begin)}-{_clock(end)}"
            found.append(
                Violation(
                    "online",
                    f"{day_zh(day)} {clock} 在线时间无人值班",
                    f"{day_en(day)} {clock}: no agent during online hours",
                    day=day,
                )
            )
    return found


def _agent_rules(problem: RosterProblem, agent: Agent, row: list[str | None]) -> list[Violation]:
    found: list[Violation] = []
    days = problem.days
    name = agent.name
    night = {s.key for s in problem.shifts if s.night}
    forbidden = set(problem.forbidden_successions)
    for d, day in enumerate(days):
        key = row[d]
        if key is not None and day in agent.leave:
            found.append(
                Violation(
                    "leave",
                    f"{name} {day_zh(day)}请假，不能排{shift_zh(problem, key)}",
                    f"{name} is on leave on {day_en(day)}: no {key} shift",
                    agent.id,
                    day,
                    key,
                )
            )
        before = row[d - 1] if d > 0 else agent.previous.get(day - dt.timedelta(days=1))
        if key is not None and before is not None and (before, key) in forbidden:
            found.append(
                Violation(
                    "succession",
                    f"{name} {day_zh(day)}：{shift_zh(problem, before)}后次日不能上"
                    f"{shift_zh(problem, key)}",
                    f"{name} {day_en(day)}: no {key} shift the day after a {before} shift",
                    agent.id,
                    day,
                    key,
                )
            )
    free = [d for d, day in enumerate(days) if day not in agent.leave]

    def rest_in(block: list[int]) -> tuple[int, int]:
        usable = [d for d in block if d in free]
        return sum(1 for d in usable if row[d] is None), len(usable)

    if problem.work_days_per_week is not None:
        per_week = problem.work_days_per_week
        need = 7 - per_week
        for block in week_blocks(days):
            rest, usable = rest_in(block)
            low = need if len(block) == 7 else max(0, len(block) - per_week)
            low, high = min(low, usable), min(need, usable)
            if not low <= rest <= high:
                first = days[block[0]]
                found.append(
                    Violation(
                        "rest_per_week",
                        f"{name} {day_zh(first)}起的一周休息 {rest} 天，应为 {low}"
                        + (f"-{high}" if high != low else "")
                        + " 天",
                        f"{name} rests {rest} day(s) in the week from {day_en(first)}, "
                        f"needs {low}" + (f"-{high}" if high != low else ""),
                        agent.id,
                        first,
                    )
                )
    if problem.rest_days_per_month is not None:
        per_month = problem.rest_days_per_month
        for block, length in month_blocks(days):
            rest, usable = rest_in(block)
            low = min(per_month * len(block) // length, usable)
            high = min(per_month, usable)
            if not low <= rest <= high:
                want = f"{low}" if low == high else f"{low}-{high}"
                found.append(
                    Violation(
                        "rest_per_month",
                        f"{name} 本月休息 {rest} 天，应为 {want} 天",
                        f"{name} rests {rest} day(s) this month, needs {want}",
                        agent.id,
                    )
                )
    longest = agent.max_consecutive_days
    if longest is not None:
        run = 0
        back = days[0] - dt.timedelta(days=1)
        while agent.previous.get(back) is not None and run < longest + 1:
            run += 1
            back -= dt.timedelta(days=1)
        reported = False
        for d, day in enumerate(days):
            run = run + 1 if row[d] is not None else 0
            if run > longest and not reported:
                found.append(
                    Violation(
                        "max_consecutive_days",
                        f"{name} 到{day_zh(day)}已连续上班 {run} 天，最多 {longest} 天",
                        f"{name} works {run} days in a row up to {day_en(day)}, at most {longest}",
                        agent.id,
                        day,
                    )
                )
                reported = True
            if run == 0:
                reported = False
    if problem.whole_days_off > 0:
        whole = 0
        for d, day in enumerate(days):
            before = row[d - 1] if d > 0 else agent.previous.get(day - dt.timedelta(days=1))
            if row[d] is None and before not in night:
                whole += 1
        if whole < problem.whole_days_off:
            found.append(
                Violation(
                    "whole_day_off",
                    f"{name} 本月整天休息 {whole} 天，至少 {problem.whole_days_off} 天",
                    f"{name} has {whole} whole day(s) off, needs {problem.whole_days_off}",
                    agent.id,
                )
            )
    for key, most in agent.max_shifts.items():
        count = sum(1 for value in row if value == key)
        if count > most:
            found.append(
                Violation(
                    "max_shifts",
                    f"{name} 排了 {count} 个{shift_zh(problem, key)}，最多 {most} 个",
                    f"{name} works {count} {key} shifts, at most {most}",
                    agent.id,
                    shift=key,
                )
            )
    return found
