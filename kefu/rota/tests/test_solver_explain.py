"""An impossible roster is explained in words: which day, which shift, which rule, how short."""

from __future__ import annotations

import datetime as dt
import importlib
from types import SimpleNamespace

from ortools.sat.python import cp_model

from kefu.rota.solver.explain import explain
from kefu.rota.solver.problem import Agent, Explanation, Status
from kefu.rota.solver.solve import solve
from kefu.rota.tests.builders import agents, days_from, need, problem

MON = dt.date(2026, 11, 2)
TUE = dt.date(2026, 11, 3)
WEEK = days_from(MON, 7)


def test_too_many_on_leave():
    members = (
        *agents("A", "B", leave=frozenset({TUE})),
        *agents("C"),
    )
    impossible = problem((TUE,), members, [need(TUE, "night", 3)])
    assert explain(impossible) == [
        Explanation(
            zh="11月3日 晚班：需要 3 人，最多只能排 1 人（2 人请假），缺 2 人",
            en="3 Nov night shift (晚班): 3 agents needed, at most 1 can be rostered "
            "(2 on leave), 2 short",
            rule="coverage",
            day=TUE,
            shift="night",
            short=2,
        )
    ]


def test_leave_and_six_days_on_one_off():
    """C and D are on leave all week but Tuesday; leave is not a rest day, so 做六休一 puts
    their weekly rest day on Tuesday, and only E is left for the night shift."""
    others = frozenset(WEEK) - {TUE}
    members = (
        *agents("A", "B", leave=frozenset({TUE})),
        *agents("C", "D", leave=others),
        *agents("E"),
    )
    impossible = problem(WEEK, members, [need(TUE, "night", 3)], work_days_per_week=6)
    solution = solve(impossible, workers=1)
    assert solution.status is Status.INFEASIBLE
    assert solution.assignment == {}
    assert [(e.zh, e.en, e.short) for e in solution.explanations] == [
        (
            "11月3日 晚班：需要 3 人，最多只能排 1 人（2 人请假，休息日规则 做六休一），缺 2 人",
            "3 Nov night shift (晚班): 3 agents needed, at most 1 can be rostered "
            "(2 on leave, rest rule 6 days on, 1 off), 2 short",
            2,
        )
    ]


def test_an_agents_own_rules_clash():
    fixed = {day: "day" for day in WEEK}
    members = (Agent(id="w", name="小王", fixed=fixed, max_consecutive_days=6), *agents("B"))
    impossible = problem(WEEK, members, [])
    assert [(e.zh, e.en) for e in explain(impossible)] == [
        (
            "小王：固定排班、最多连续上班 6 天 不能同时满足",
            "小王: fixed assignments, at most 6 working days in a row cannot all hold",
        )
    ]


def test_rest_days_a_month_leave_too_few_agents():
    november = days_from(dt.date(2026, 11, 1), 30)
    members = agents("A", "B")
    cover = [need(day, "day", 2) for day in november]
    impossible = problem(november, members, cover, rest_days_per_month=4)
    lines = explain(impossible)
    assert sum(e.short for e in lines) == 8  # two agents, four rest days each
    assert all(e.rule == "rest_per_month" for e in lines)
    # Which days go short is the solver's choice; the reason and the arithmetic are not.
    for line in lines:
        most = 2 - line.short
        assert line.zh.endswith(
            f"最多只能排 {most} 人（休息日规则 每月休息 4 天），缺 {line.short} 人"
        )


def test_the_explanations_share_one_time_limit(monkeypatch):
    """Every solve gets only what is left of the explanations' time: a search that used all of
    its time leaves nothing to the next (a clock that jumps by each solve's whole limit)."""
    module = importlib.import_module("kefu.rota.solver.explain")
    clock = [1000.0]
    limits: list[float] = []

    def solve_using_all_its_time(self, model, *args, **kwargs):
        limits.append(self.parameters.max_time_in_seconds)
        clock[0] += self.parameters.max_time_in_seconds
        return cp_model.UNKNOWN

    monkeypatch.setattr(module, "time", SimpleNamespace(perf_counter=lambda: clock[0]))
    monkeypatch.setattr(cp_model.CpSolver, "solve", solve_using_all_its_time)
    november = days_from(dt.date(2026, 11, 1), 30)
    impossible = problem(
        november,
        agents("A", "B"),
        [need(day, "day", 2) for day in november],
        rest_days_per_month=4,
    )

    lines = explain(impossible, time_limit_seconds=7.5)

    assert limits == [7.5]  # agent A's own rules took it all; B and the team got no solve
    assert [(e.zh, e.en, e.rule) for e in lines] == [
        (
            "7.5 秒内没有找到排班，也没有找出冲突的规则",
            "no roster found within 7.5 s, nor a conflicting rule",
            "time_limit",
        )
    ]
