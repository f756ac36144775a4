"""Words for explanations: days, shifts and rule families in Chinese and English."""

from __future__ import annotations

import datetime as dt

from kefu.rota.solver.problem import RosterProblem

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_zh(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def day_en(day: dt.date) -> str:
    return f"{day.day} {MONTHS_EN[day.month - 1]}"


def shift_zh(problem: RosterProblem, key: str) -> str:
    return problem.shift(key).label


def shift_en(problem: RosterProblem, key: str) -> str:
    label = problem.shift(key).label
    return f"{key} shift" if label == key else f"{key} shift ({label})"


def agents_phrase(count: int) -> str:
    return f"{count} agent" if count == 1 else f"{count} agents"


def _hours(minutes: int) -> str:
    return f"{minutes / 60:g}"


def rule_name(problem: RosterProblem, family: str) -> tuple[str, str]:
    """(Chinese, English) name of a rule family as the model's guards call it."""
    kind, _, detail = family.partition(":")
    agent = {a.id: a for a in problem.agents}
    if kind == "rest_per_week":
        work = problem.work_days_per_week or 0
        if work == 6:
            return "休息日规则 做六休一", "rest rule 6 days on, 1 off"
        return f"休息日规则 每周上班 {work} 天", f"rest rule {work} working days a week"
    if kind == "rest_per_month":
        rest = problem.rest_days_per_month or 0
        return f"休息日规则 每月休息 {rest} 天", f"rest rule {rest} rest days a month"
    if kind == "max_consecutive_days":
        most = max((a.max_consecutive_days or 0) for a in problem.agents)
        return f"最多连续上班 {most} 天", f"at most {most} working days in a row"
    if kind == "run_lengths":
        return "连续上班和连续休息天数规则", "lengths of working and rest runs"
    if kind == "succession":
        later = [b for a, b in problem.forbidden_successions if a == detail]
        zh_later = "、".join(shift_zh(problem, b) for b in later)
        en_later = ", ".join(later)
        return (
            f"{shift_zh(problem, detail)}后次日不排{zh_later}",
            f"no {en_later} the day after {detail}",
        )
    if kind == "whole_day_off":
        need = problem.whole_days_off
        return f"至少 {need} 个整天休息", f"at least {need} whole day(s) off"
    if kind == "fixed":
        return "固定排班", "fixed assignments"
    if kind == "max_weekends":
        return "周末上班次数上限", "most weekends worked"
    if kind in ("min_minutes", "max_minutes") and detail in agent:
        who = agent[detail]
        if kind == "min_minutes":
            hours = _hours(who.min_minutes)
            return f"{who.name} 最少工时 {hours} 小时", f"{who.name} works at least {hours} h"
        hours = _hours(who.max_minutes or 0)
        return f"{who.name} 最多工时 {hours} 小时", f"{who.name} works at most {hours} h"
    if kind == "max_shifts":
        return f"{shift_zh(problem, detail)}次数上限", f"most {detail} shifts"
    if kind == "coverage":
        day_text, _, key = detail.partition(":")
        day = dt.date.fromisoformat(day_text)
        return (
            f"{day_zh(day)} {shift_zh(problem, key)}在岗人数",
            f"head count of {day_en(day)} {shift_en(problem, key)}",
        )
    if kind == "online":
        day_text, _, span = detail.partition(":")
        day = dt.date.fromisoformat(day_text)
        begin, _, end = span.partition("-")
        clock = f"{_clock(int(begin))}-{_clock(int(end))}"
        return f"{day_zh(day)} {clock} 在线时间有人值班", f"someone online {day_en(day)} {clock}"
    return family, family


def _clock(minutes: int) -> str:
    minutes %= 24 * 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
