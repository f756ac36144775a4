"""The greedy start: agents placed one at a time, then short head counts repaired in groups."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter

from kefu.rota.solver.check import check_roster
from kefu.rota.solver.greedy import greedy_roster
from kefu.rota.tests.builders import agents, days_from, need, problem

WEEK = days_from(dt.date(2026, 11, 2), 7)
"""Monday 2 to Sunday 8 November 2026."""
DAY_HEADS = (1, 1, 2, 2, 1, 1, 2)
NIGHT_HEADS = (1, 1, 1, 0, 1, 1, 0)


def tight_week():
    """Three agents working exactly five days each (15 shifts) for exactly 15 shifts needed,
    no day shift after a night shift: every agent's rest days must fit the others'."""
    cover = [need(day, "day", heads) for day, heads in zip(WEEK, DAY_HEADS, strict=True)]
    cover += [need(day, "night", heads) for day, heads in zip(WEEK, NIGHT_HEADS, strict=True)]
    return problem(
        WEEK,
        agents("a0", "a1", "a2"),
        cover,
        work_days_per_week=5,
        forbidden_successions=(("night", "day"),),
    )


def test_agents_placed_one_at_a_time_leave_the_tight_week_short():
    week = tight_week()

    roster = greedy_roster(week)  # no time given: no repair

    assert [v.zh for v in check_roster(week, roster)] == [
        "11月4日 白班需要 2 人，只排了 1 人，缺 1 人",
        "11月7日 白班需要 1 人，只排了 0 人，缺 1 人",
    ]


def test_the_repair_fills_every_head_count_by_replanning_agents_together():
    week = tight_week()

    roster = greedy_roster(week, deadline=time.perf_counter() + 10)

    assert check_roster(week, roster) == []
    heads = Counter((day, shift) for (_, day), shift in roster.items() if shift is not None)
    assert [heads[day, "day"] for day in WEEK] == list(DAY_HEADS)
    assert [heads[day, "night"] for day in WEEK] == list(NIGHT_HEADS)
    assert Counter(agent for (agent, _), shift in roster.items() if shift) == {
        "a0": 5,
        "a1": 5,
        "a2": 5,
    }


def test_agents_left_when_the_first_placement_runs_out_of_time_still_get_a_month():
    """Past its deadline the first placement still places the agents left, each on a short
    limit, until the repair's time is up: a start with an agent missing breaks their rules."""
    week = tight_week()
    now = time.perf_counter()

    roster = greedy_roster(week, deadline=now - 1, repair_until=now + 10)

    assert check_roster(week, roster) == []
    assert Counter(agent for (agent, _), shift in roster.items() if shift) == {
        "a0": 5,
        "a1": 5,
        "a2": 5,
    }


def test_no_agent_is_placed_once_the_repairs_time_is_up_too():
    now = time.perf_counter()

    assert greedy_roster(tight_week(), deadline=now - 2, repair_until=now - 1) == {}
