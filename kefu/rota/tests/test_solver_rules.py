"""Each hard rule family on a hand-made problem small enough to know the roster exactly."""

from __future__ import annotations

import dataclasses
import datetime as dt

from kefu.rota.solver.calendar import week_blocks
from kefu.rota.solver.problem import Agent, Request, Status
from kefu.rota.solver.solve import solve
from kefu.rota.tests.builders import agents, closed, days_from, need, problem, row

MON = dt.date(2026, 11, 2)  # a Monday without holidays around it


def test_no_day_shift_after_a_night_shift():
    days = days_from(MON, 2)
    first, second = days
    members = (
        Agent(
            id="A",
            name="A",
            requests=(Request(first, "night", True, weight=2), Request(second, "day", True)),
        ),
        *agents("B", "C"),
    )
    cover = [need(first, "night", 1), *closed([first], "day"), need(second, "day", 2)]
    cover += closed([second], "night")
    ruled = problem(days, members, cover, forbidden_successions=(("night", "day"),))
    solution = solve(ruled, workers=1)
    assert solution.status is Status.OPTIMAL
    assert row(solution.assignment, "A", days) == ["night", None]
    assert row(solution.assignment, "B", days) == [None, "day"]
    assert row(solution.assignment, "C", days) == [None, "day"]
    assert solution.penalties["request_on×1"] == (1, 1, 1)
    assert solution.penalties["request_on×2"] == (0, 2, 0)

    free = solve(dataclasses.replace(ruled, forbidden_successions=()), workers=1)
    assert row(free.assignment, "A", days) == ["night", "day"]
    assert free.objective == 0


def test_night_shift_before_the_horizon_forbids_day_one():
    days = days_from(MON, 1)
    previous = {MON - dt.timedelta(days=1): "night"}
    members = (Agent(id="A", name="A", previous=previous), *agents("B"))
    cover = [need(MON, "day", 1), *closed(days, "night")]
    solution = solve(
        problem(days, members, cover, forbidden_successions=(("night", "day"),)), workers=1
    )
    assert solution.assignment == {("A", MON): None, ("B", MON): "day"}


def test_six_days_on_one_off_gives_one_rest_day_each_week():
    days = days_from(MON, 14)
    cover = [need(day, "day", 2) for day in days] + list(closed(days, "night"))
    solution = solve(problem(days, agents("A", "B", "C"), cover, work_days_per_week=6), workers=1)
    assert solution.status is Status.OPTIMAL
    for name in "ABC":
        for week in week_blocks(days):
            rest = [days[d] for d in week if solution.assignment[name, days[d]] is None]
            assert len(rest) == 1, (name, rest)


def test_rest_days_per_month_exact():
    days = days_from(dt.date(2026, 2, 1), 28)  # the whole of February 2026
    cover = [need(day, "day", 1) for day in days] + list(closed(days, "night"))
    solution = solve(problem(days, agents("A", "B"), cover, rest_days_per_month=3), workers=1)
    assert solution.status is Status.OPTIMAL
    for name in "AB":
        assert sum(solution.assignment[name, day] is None for day in days) == 3


def test_max_consecutive_days_and_the_previous_roster():
    days = days_from(MON, 10)
    cover = [need(day, "day", 1, soft=1) for day in days] + list(closed(days, "night"))
    members = agents("A", max_consecutive_days=3)
    solution = solve(problem(days, members, cover), workers=1)
    worked = row(solution.assignment, "A", days)
    assert solution.objective == 2  # 8 of 10 days: three on, one off, three on, one off, two on
    text = "".join("W" if key else "-" for key in worked)
    assert "WWWW" not in text and text.count("W") == 8

    before = {MON - dt.timedelta(days=k): "day" for k in (1, 2, 3)}
    tired = agents("A", max_consecutive_days=3, previous=before)
    later = solve(problem(days, tired, cover), workers=1)
    assert later.assignment["A", MON] is None  # three days worked already
    assert later.objective == 3


def test_leave_is_respected():
    days = days_from(MON, 3)
    cover = [need(day, "day", 2, soft=10) for day in days] + list(closed(days, "night"))
    members = (Agent(id="A", name="A", leave=frozenset({days[1]})), *agents("B"))
    solution = solve(problem(days, members, cover), workers=1)
    assert row(solution.assignment, "A", days) == ["day", None, "day"]
    assert row(solution.assignment, "B", days) == ["day", "day", "day"]
    assert solution.penalties["coverage_under"] == (1, 10, 10)


def test_fixed_assignment_is_respected():
    days = days_from(MON, 3)
    cover = [need(day, "day", 1) for day in days] + [need(day, "night", 1) for day in days]
    wishes = tuple(Request(day, "day", True, weight=5) for day in days)
    fixed = {days[1]: "night"}
    members = (Agent(id="A", name="A", requests=wishes, fixed=fixed), *agents("B"))
    solution = solve(problem(days, members, cover), workers=1)
    assert row(solution.assignment, "A", days) == ["day", "night", "day"]
    assert row(solution.assignment, "B", days) == ["night", "day", "night"]
    assert solution.objective == 5


def test_max_minutes_counts_both_parts_of_a_split_shift():
    from kefu.rota.tests.builders import DAY

    split = dataclasses.replace(DAY, key="split", label="两头班", parts=((600, 840), (1050, 1380)))
    assert split.minutes == 570
    days = days_from(MON, 3)
    cover = [need(day, "split", 1, soft=1) for day in days]
    members = agents("A", max_minutes=2 * 570 + 569)  # room for two split shifts, not three
    solution = solve(problem(days, members, cover, shifts=(split,)), workers=1)
    assert sum(key == "split" for key in row(solution.assignment, "A", days)) == 2
    assert solution.objective == 1


def test_whole_day_off_is_not_the_day_after_a_night_shift():
    days = days_from(MON, 5)
    # Night shifts on days 0 and 2 and a rest day between them (fixed): that rest day follows a
    # night shift, so it is not a whole day off; the rule needs one more rest day, not right
    # after the second night.
    members = agents("A", fixed={days[0]: "night", days[1]: None, days[2]: "night"})
    cover = [need(days[3], "day", 1, soft=1), need(days[4], "day", 1, soft=1)]
    whole = solve(problem(days, members, cover, whole_days_off=1), workers=1)
    assert row(whole.assignment, "A", days) == ["night", None, "night", "day", None]
    assert whole.objective == 1
    without = solve(problem(days, members, cover), workers=1)
    assert row(without.assignment, "A", days) == ["night", None, "night", "day", "day"]
    assert without.objective == 0


def test_online_hours_need_someone_at_every_minute():
    from kefu.rota.tests.builders import DAY, NIGHT

    days = days_from(MON, 1)
    window = (8 * 60, 24 * 60)
    members = agents("A", "B", requests=(Request(MON, None, False),))  # both would rather rest
    solution = solve(
        problem(days, members, [], shifts=(DAY, NIGHT), online_hours=window), workers=1
    )
    assert sorted(
        key or "-" for key in (solution.assignment["A", MON], solution.assignment["B", MON])
    ) == [
        "day",
        "night",
    ]
    assert solution.objective == 2
