"""Why no roster exists, in words (Chinese first, then English), never just "infeasible".

Three steps, cheapest first:
1. head counts: per (day, shift), the agents who could work it at all after leave, fixed
   assignments, shifts they never work and the succession from a fixed day before;
2. each agent alone: their own rules (rest days, runs, minutes, fixed days) may already clash;
3. the whole team: CP-SAT with one assumption literal per rule family (and per head count)
   names the families in an infeasible core, and a relaxed solve (head counts soft) says how
   many agents each (day, shift) is short.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import replace

from ortools.sat.python import cp_model

from kefu.rota.solver.model import build_model
from kefu.rota.solver.names import agents_phrase, day_en, day_zh, rule_name, shift_en, shift_zh
from kefu.rota.solver.problem import Cover, Explanation, RosterProblem, Weights


def explain(
    problem: RosterProblem, *, workers: int = 1, time_limit_seconds: float = 10.0
) -> list[Explanation]:
    """The explanations, all steps within `time_limit_seconds` in total (each CP-SAT solve gets
    what is left): they come after a search that used the whole time limit, so each solve
    having the full time would keep a supervisor waiting several limits more (Curtois & Qu
    Instance12 at 15 s with no start used to take 34 s in all)."""
    deadline = time.perf_counter() + time_limit_seconds
    found = head_count_shortfalls(problem)
    if found:
        return found
    found = agent_conflicts(problem, deadline)
    if found:
        return found
    return team_shortfalls(problem, workers, deadline) or [
        Explanation(
            zh=f"{time_limit_seconds:g} 秒内没有找到排班，也没有找出冲突的规则",
            en=f"no roster found within {time_limit_seconds:g} s, nor a conflicting rule",
            rule="time_limit",
        )
    ]


def _left(deadline: float) -> float:
    return max(0.0, deadline - time.perf_counter())


def _available(problem: RosterProblem, day: dt.date, key: str) -> tuple[int, dict[str, int]]:
    """Agents who could work `key` on `day`, and why the others cannot."""
    reasons = {"leave": 0, "fixed": 0, "never": 0, "succession": 0}
    forbidden_after = {(a, b) for a, b in problem.forbidden_successions}
    before = day - dt.timedelta(days=1)
    free = 0
    for agent in problem.agents:
        if day in agent.leave:
            reasons["leave"] += 1
        elif day in agent.fixed and agent.fixed[day] != key:
            reasons["fixed"] += 1
        elif agent.max_shifts.get(key) == 0:
            reasons["never"] += 1
        elif (agent.fixed.get(before) or agent.previous.get(before), key) in forbidden_after:
            reasons["succession"] += 1
        else:
            free += 1
    return free, reasons


def _reason_words(
    problem: RosterProblem, key: str, reasons: dict[str, int]
) -> tuple[list[str], list[str]]:
    label = problem.shift(key).label
    zh, en = [], []
    if reasons.get("leave"):
        zh.append(f"{reasons['leave']} 人请假")
        en.append(f"{reasons['leave']} on leave")
    if reasons.get("fixed"):
        zh.append(f"{reasons['fixed']} 人已固定其他安排")
        en.append(f"{reasons['fixed']} fixed elsewhere")
    if reasons.get("never"):
        zh.append(f"{reasons['never']} 人不上{label}")
        en.append(f"{reasons['never']} never work {key}")
    if reasons.get("succession"):
        zh.append(f"{reasons['succession']} 人前一天的班次之后不能接{label}")
        en.append(f"{reasons['succession']} cannot follow the day before's shift")
    return zh, en


def shortfall(
    problem: RosterProblem,
    cover: Cover,
    most: int,
    zh_reasons: list[str],
    en_reasons: list[str],
    rule: str,
) -> Explanation:
    """ "11月3日 晚班：需要 3 人，最多只能排 1 人（2 人请假，休息日规则 做六休一），缺 2 人"."""
    short = cover.min - most
    zh_why = f"（{'，'.join(zh_reasons)}）" if zh_reasons else ""
    en_why = f" ({', '.join(en_reasons)})" if en_reasons else ""
    zh = (
        f"{day_zh(cover.day)} {shift_zh(problem, cover.shift)}：需要 {cover.min} 人，"
        f"最多只能排 {most} 人{zh_why}，缺 {short} 人"
    )
    en = (
        f"{day_en(cover.day)} {shift_en(problem, cover.shift)}: {agents_phrase(cover.min)} needed, "
        f"at most {most} can be rostered{en_why}, {short} short"
    )
    return Explanation(zh=zh, en=en, rule=rule, day=cover.day, shift=cover.shift, short=short)


def head_count_shortfalls(problem: RosterProblem) -> list[Explanation]:
    """Step 1: per (day, shift), fewer agents can work it at all than it needs."""
    found = []
    for cover in problem.cover:
        if cover.min <= 0 or cover.day not in problem.days:
            continue
        free, reasons = _available(problem, cover.day, cover.shift)
        if free < cover.min:
            zh, en = _reason_words(problem, cover.shift, reasons)
            found.append(shortfall(problem, cover, free, zh, en, "coverage"))
    return found


SHRINK_UP_TO = 12
"""Cores with more families are reported as CP-SAT gives them: shrinking costs one solve each."""


def _core(problem: RosterProblem, deadline: float) -> list[str] | None:
    """The rule families of an infeasible core (None if the rules can all hold together),
    shrunk by dropping each family that the rest stays infeasible without."""
    families = _infeasible_core(problem, None, deadline)
    if families is None or len(families) > SHRINK_UP_TO:
        return families
    for family in list(families):
        trial = [f for f in families if f != family]
        if trial and _infeasible_core(problem, trial, deadline) is not None:
            families = trial
    return families


def _infeasible_core(
    problem: RosterProblem, only: list[str] | None, deadline: float
) -> list[str] | None:
    """Families in a core when the guards of `only` (all if None) are assumed; None if
    feasible (or unknown before the deadline)."""
    if not _left(deadline):
        return None
    rm, _ = build_model(problem, guarded=True, soft=False)
    names = sorted(rm.guards)
    chosen = names if only is None else [n for n in names if n in only]
    for name in names:
        if name not in chosen:
            rm.model.add(rm.guards[name] == 0)
    rm.model.add_assumptions([rm.guards[n] for n in chosen])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1  # cores come from the single sequential search
    solver.parameters.max_time_in_seconds = _left(deadline)
    if solver.solve(rm.model) != cp_model.INFEASIBLE:
        return None
    index_of = {rm.guards[n].index: n for n in chosen}
    core = [index_of[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in index_of]
    return core or chosen


def agent_conflicts(problem: RosterProblem, deadline: float) -> list[Explanation]:
    """Step 2: an agent whose own rules cannot all hold, whatever the others do."""
    found = []
    for agent in problem.agents:
        alone = replace(problem, agents=(agent,), cover=(), online_hours=None, weights=Weights())
        core = _core(alone, deadline)
        if core is None:
            continue
        zh_names = "、".join(rule_name(problem, f)[0] for f in core)
        en_names = ", ".join(rule_name(problem, f)[1] for f in core)
        found.append(
            Explanation(
                zh=f"{agent.name}：{zh_names} 不能同时满足",
                en=f"{agent.name}: {en_names} cannot all hold",
                rule=core[0],
            )
        )
    return found


def team_shortfalls(problem: RosterProblem, workers: int, deadline: float) -> list[Explanation]:
    """Step 3: the rules that clash across the team, and how many agents each shift lacks;
    empty when neither is found before the deadline."""
    core = _core(problem, deadline) or []
    rules = [f for f in core if not f.startswith(("coverage:", "online:"))]
    zh_rules = [rule_name(problem, f)[0] for f in rules]
    en_rules = [rule_name(problem, f)[1] for f in rules]
    found: list[Explanation] = []
    for cover, count in _most_rostered(problem, workers, deadline):
        if count < cover.min:
            _, reasons = _available(problem, cover.day, cover.shift)
            zh, en = _reason_words(problem, cover.shift, {"leave": reasons["leave"]})
            rule = rules[0] if rules else "coverage"
            found.append(shortfall(problem, cover, count, zh + zh_rules, en + en_rules, rule))
    if not found:
        online = [f for f in core if f.startswith("online:")]
        for family in online or core:
            zh_name, en_name = rule_name(problem, family)
            found.append(
                Explanation(
                    zh=f"规则冲突：{zh_name}", en=f"rules in conflict: {en_name}", rule=family
                )
            )
    return found


def _most_rostered(
    problem: RosterProblem, workers: int, deadline: float
) -> list[tuple[Cover, int]]:
    """Agents on each head count with a minimum, in a roster that keeps every other rule and
    misses as few as it can (head counts soft); empty if none is found before the deadline."""
    left = _left(deadline)
    if not left:
        return []
    relaxed = replace(
        problem,
        cover=tuple(
            replace(c, min=0, preferred=c.min, under_weight=1, over_weight=0) for c in problem.cover
        ),
        online_hours=None,
        weights=Weights(preferences=0),
    )
    rm, _ = build_model(relaxed, soft=False)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = left
    if solver.solve(rm.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return []
    counts = []
    for cover in problem.cover:
        if cover.min > 0:
            d, s = rm.day_index[cover.day], rm.shift_index[cover.shift]
            on = [v for a in range(len(problem.agents)) if (v := rm.var(a, d, s)) is not None]
            counts.append((cover, sum(solver.value(v) for v in on)))
    return counts
