"""From the policy's schedule section to a roster problem, and presets solved end to end."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from kefu.policy.documents import load_preset
from kefu.policy.schema.schedule import Schedule
from kefu.rota.solver.calendar import week_blocks
from kefu.rota.solver.from_policy import (
    DEFAULT_ROTATION_WEIGHT,
    AgentInput,
    day_kind,
    problem_from_policy,
)
from kefu.rota.solver.problem import Request, Status
from kefu.rota.solver.solve import solve


def schedule_with(coverage: dict[str, object]) -> Schedule:
    base = load_preset("tmall-s0").schedule.model_dump()
    base["coverage"] = {**base["coverage"], **coverage}
    return Schedule.model_validate(base)


def covers_on(problem, day):
    return {c.shift: (c.min, c.max) for c in problem.cover if c.day == day}


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (dt.date(2026, 10, 1), "holiday"),  # 国庆节
        (dt.date(2026, 10, 4), "holiday"),  # a Sunday inside the National Day holiday
        (dt.date(2026, 10, 10), "workday"),  # Saturday, adjusted working day 调休上班
        (dt.date(2026, 9, 20), "workday"),  # Sunday, adjusted working day
        (dt.date(2026, 9, 28), "workday"),  # an ordinary Monday
        (dt.date(2026, 10, 17), "weekend"),
    ],
)
def test_day_kinds_follow_chinas_calendar(day, kind):
    assert day_kind(day)[0] == kind


def test_coverage_profiles_by_day_kind():
    schedule = schedule_with(
        {
            "weekday": {"day": 3, "night": 2},
            "weekend": {"day": 2, "night": 1},
            "holiday": {"day": 1},
        }
    )
    problem = problem_from_policy(schedule, 2026, 10, [AgentInput(id="a", name="小美")])
    assert covers_on(problem, dt.date(2026, 10, 1)) == {"day": (1, None), "night": (0, 0)}
    assert covers_on(problem, dt.date(2026, 10, 10)) == {"day": (3, None), "night": (2, None)}
    assert covers_on(problem, dt.date(2026, 10, 17)) == {"day": (2, None), "night": (1, None)}
    assert problem.holiday_names[dt.date(2026, 10, 1)] == "National Day"
    september = problem_from_policy(schedule, 2026, 9, [AgentInput(id="a", name="小美")])
    assert covers_on(september, dt.date(2026, 9, 20)) == {"day": (3, None), "night": (2, None)}
    assert covers_on(september, dt.date(2026, 9, 28)) == {"day": (3, None), "night": (2, None)}


def test_split_shift_and_rules_of_dongyao():
    problem = problem_from_policy(load_preset("dongyao-s4").schedule, 2026, 11, [])
    night = problem.shift("night")
    assert night.parts == ((600, 840), (1050, 1380))
    assert night.minutes == 570 and night.night and not night.crosses_midnight
    assert problem.work_days_per_week == 6
    assert problem.forbidden_successions == (("night", "day"),)
    assert problem.rotation is not None and problem.rotation.weeks == 3
    assert problem.rotation.change_weekdays == frozenset({5, 6})
    assert problem.weights.rotation == DEFAULT_ROTATION_WEIGHT
    assert (problem.weights.balance_hours, problem.weights.stability) == (10, 5)
    assert problem.time_limit_seconds == 30
    assert problem.online_hours == (510, 1380)


def test_crossing_midnight_shift_of_taobao_s4():
    problem = problem_from_policy(load_preset("taobao-s4-fines").schedule, 2026, 11, [])
    late = problem.shift("late")
    assert late.parts == ((960, 1500),) and late.minutes == 540 and late.crosses_midnight
    assert problem.forbidden_successions == (("late", "early"),)
    assert problem.online_hours == (480, 1500)
    assert problem.rest_days_per_month == 3 and problem.whole_days_off == 1


def test_taobao_s4_month_keeps_every_rule():
    """Six agents, November 2026 under 16:00-01:00 late shifts, 3 rest days a month."""
    team = [AgentInput(id=f"a{i}", name=f"客服{i}") for i in range(6)]
    team[0] = AgentInput(
        id="a0",
        name="客服0",
        leave=frozenset({dt.date(2026, 11, 11)}),
        preferences=(Request(dt.date(2026, 11, 20), None, False),),
    )
    problem = problem_from_policy(load_preset("taobao-s4-fines").schedule, 2026, 11, team)
    solution = solve(problem, workers=2, time_limit_seconds=5)
    assert solution.status in (Status.OPTIMAL, Status.FEASIBLE)
    roster = solution.assignment
    days = problem.days
    assert roster["a0", dt.date(2026, 11, 11)] is None
    for agent in team:
        rest = [d for d in days if roster[agent.id, d] is None and d not in agent.leave]
        assert len(rest) == 3
        for today, tomorrow in itertools.pairwise(days):
            assert (roster[agent.id, today], roster[agent.id, tomorrow]) != ("late", "early")
    for day in days:
        on = [roster[a.id, day] for a in team]
        assert on.count("early") >= 1 and on.count("late") >= 1
    assert set(solution.penalties) >= {"balance_hours", "fair_weekends"}


def test_dongyao_month_six_days_on_one_off():
    team = [AgentInput(id=f"a{i}", name=f"客服{i}") for i in range(4)]
    problem = problem_from_policy(load_preset("dongyao-s4").schedule, 2026, 11, team)
    solution = solve(problem, workers=2, time_limit_seconds=5)
    assert solution.status in (Status.OPTIMAL, Status.FEASIBLE)
    for week in week_blocks(problem.days):
        if len(week) < 7:
            continue
        for agent in team:
            rest = [d for d in week if solution.assignment[agent.id, problem.days[d]] is None]
            assert len(rest) == 1


def test_demand_raises_the_preferred_head_count_not_the_floor():
    # schedule.staffing.drives_coverage: 3 agents asked for on the day shift, where the
    # workday profile says 2: the floor stays 2, 3 is the target and each agent short costs.
    from kefu.rota.solver.from_policy import DEMAND_UNDER_WEIGHT

    schedule = schedule_with({"weekday": {"day": 2, "night": 1}, "holiday": {"day": 1}})
    problem = problem_from_policy(
        schedule, 2026, 10, [AgentInput(id="a", name="小美")], demand={"day": 3, "night": 1}
    )
    covers = {(c.day, c.shift): (c.min, c.preferred, c.under_weight, c.max) for c in problem.cover}
    assert covers[(dt.date(2026, 10, 12), "day")] == (2, 3, DEMAND_UNDER_WEIGHT, None)
    assert covers[(dt.date(2026, 10, 12), "night")] == (1, 1, 0, None)  # need met by the floor
    # A shift the day's profile does not run stays off whatever the demand.
    assert covers[(dt.date(2026, 10, 1), "night")] == (0, 0, 0, 0)
