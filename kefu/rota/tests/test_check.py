"""The pure roster checker: each hard rule it reports, in words, on a hand-made week."""

from __future__ import annotations

import datetime as dt

from kefu.rota.solver import check_roster, solve
from kefu.rota.tests.builders import agents, closed, days_from, need, problem

MON = dt.date(2026, 11, 2)
WEEK = days_from(MON, 7)


def week_problem(**fields: object):  # type: ignore[no-untyped-def]
    cover = [need(day, "day", 1) for day in WEEK] + [need(day, "night", 1) for day in WEEK]
    return problem(WEEK, agents("甲", "乙", "丙", max_consecutive_days=5), cover, **fields)


def test_a_solved_roster_breaks_nothing() -> None:
    p = week_problem(
        forbidden_successions=(("night", "day"),), work_days_per_week=5, whole_days_off=1
    )
    solution = solve(p, workers=1, time_limit_seconds=5)
    assert check_roster(p, solution.assignment) == []


def test_each_rule_in_words() -> None:
    p = week_problem(
        forbidden_successions=(("night", "day"),),
        work_days_per_week=6,
        whole_days_off=1,
        online_hours=(8 * 60, 24 * 60),
    )
    p = type(p)(**{**p.__dict__, "cover": p.cover + closed([WEEK[6]], "night")})
    roster: dict[tuple[str, dt.date], str | None] = {}
    for d, day in enumerate(WEEK):
        roster["甲", day] = "night" if d == 0 else "day"  # 7 days, night then day
        roster["乙", day] = "night" if d in (1, 2, 3, 4, 5, 6) else None
        roster["丙", day] = None
    found = check_roster(p, roster)
    assert [(v.rule, v.zh) for v in found] == [
        ("coverage", "11月2日 白班需要 1 人，只排了 0 人，缺 1 人"),
        ("shift_not_run", "11月8日不开晚班，却排了 1 人"),
        ("online", "11月2日 08:00-15:30 在线时间无人值班"),
        ("succession", "甲 11月3日：晚班后次日不能上白班"),
        ("rest_per_week", "甲 11月2日起的一周休息 0 天，应为 1 天"),
        ("max_consecutive_days", "甲 到11月7日已连续上班 6 天，最多 5 天"),
        ("whole_day_off", "甲 本月整天休息 0 天，至少 1 天"),
        ("max_consecutive_days", "乙 到11月8日已连续上班 6 天，最多 5 天"),
        ("rest_per_week", "丙 11月2日起的一周休息 7 天，应为 1 天"),
    ]
    # Only one agent's rules and one day's head counts.
    narrow = check_roster(p, roster, agent_ids=frozenset({"乙"}), days=frozenset({WEEK[1]}))
    assert [v.rule for v in narrow] == ["max_consecutive_days"]
