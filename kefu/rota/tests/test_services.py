"""Roster services: generate (solver), edit a cell (re-checked), publish."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from kefu.core.errors import InvalidInput
from kefu.core.models import AuditEntry
from kefu.rota.choices import RosterStatus
from kefu.rota.models import RosterShift
from kefu.rota.services import roster_cell_set, roster_generate, roster_publish
from kefu.rota.solver import month_days
from kefu.rota.tests.helpers import cells, generate, team

pytestmark = pytest.mark.django_db
NOV = month_days(2026, 11)


def test_generate_meets_every_rule_of_the_preset(shop) -> None:  # type: ignore[no-untyped-def]
    agents = team(shop, 4)
    roster = generate(shop)

    assert roster.status == RosterStatus.DRAFT
    assert roster.solver_status in ("OPTIMAL", "FEASIBLE")
    assert roster.explanations == []
    assert roster.violations == []
    assert roster.shift_templates == {
        "early": {"label": "早班", "parts": [[480, 1050]], "night": False},
        "late": {"label": "晚班", "parts": [[960, 1500]], "night": True},
    }
    grid = cells(roster)
    # 3 rest days a month each (S4.1): 27 of November's 30 days worked by each of 4 agents.
    assert len(grid) == 4 * 27
    for agent in agents:
        assert sum(1 for (a, _) in grid if a == agent.id) == 27
    per_day = Counter((day, key) for (_, day), key in grid.items())
    for day in NOV:
        assert per_day[day, "early"] >= 1 and per_day[day, "late"] >= 1
    # No early shift the day after a late one.
    for (agent_id, day), key in grid.items():
        if key == "early":
            assert grid.get((agent_id, day - dt.timedelta(days=1))) != "late"
    entry = AuditEntry.objects.get(action="roster.generate")
    assert entry.new_value["month"] == "2026-11"


def test_next_month_uses_the_previous_roster(shop) -> None:  # type: ignore[no-untyped-def]
    team(shop, 4)
    generate(shop, "2026-11")
    december = generate(shop, "2026-12")
    assert december.violations == []
    assert RosterShift.objects.filter(roster=december).count() == 4 * 28  # 31 - 3 rest days


def test_infeasible_roster_is_explained_in_words(shop) -> None:  # type: ignore[no-untyped-def]
    team(shop, 2)  # two agents cannot cover two shifts every day with 3 rest days each
    roster = generate(shop)

    assert roster.solver_status == "INFEASIBLE"
    assert RosterShift.objects.filter(roster=roster).count() == 0
    first = next(e for e in roster.explanations if e["shift"] == "early")
    assert first["day"] == "2026-11-01"
    assert first["zh"].startswith("11月1日 早班：需要 1 人，最多只能排 0 人")
    assert first["zh"].endswith("缺 1 人")
    assert first["short"] == 1
    with pytest.raises(InvalidInput, match="排班表是空的"):
        roster_publish(shop=shop, roster=roster, acting_user=None)


def test_no_agents_is_explained(shop) -> None:  # type: ignore[no-untyped-def]
    roster = generate(shop)
    assert roster.solver_status == "INFEASIBLE"
    assert roster.explanations[0]["zh"] == "本店没有在岗客服，无法排班"


def test_bad_month_is_refused(shop) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match="YYYY-MM"):
        roster_generate(shop=shop, month="2026-13", acting_user=None)


def test_cell_edit_reports_what_broke(shop) -> None:  # type: ignore[no-untyped-def]
    agents = team(shop, 4)
    roster = generate(shop)
    grid = cells(roster)
    # An agent on a late shift followed by a worked day: make that day an early shift.
    agent, day = next(
        (a, d)
        for a in agents
        for d in NOV[:-1]
        if grid.get((a.id, d)) == "late" and grid.get((a.id, d + dt.timedelta(days=1))) == "late"
    )
    after = day + dt.timedelta(days=1)
    lates = sum(1 for (_, d), k in grid.items() if d == after and k == "late")

    broke = roster_cell_set(
        shop=shop, roster=roster, agent=agent, day=after, shift_key="early", acting_user=None
    )

    rules = [v.rule for v in broke]
    assert "succession" in rules
    succession = next(v for v in broke if v.rule == "succession")
    assert succession.zh == f"{agent.name} {after.month}月{after.day}日：晚班后次日不能上早班"
    if lates == 1:  # the agent was the only late shift: the day's late shift and hours open
        assert "coverage" in rules and "online" in rules
        gap = next(v for v in broke if v.rule == "coverage")
        assert gap.zh == f"{after.month}月{after.day}日 晚班需要 1 人，只排了 0 人，缺 1 人"
        online = next(v for v in broke if v.rule == "online")
        assert online.zh == f"{after.month}月{after.day}日 17:30-01:00 在线时间无人值班"
    roster.refresh_from_db()
    assert {v["rule"] for v in roster.violations} == set(rules)
    assert (
        RosterShift.objects.get(roster=roster, agent=agent, local_date=after).shift_key == "early"
    )

    # Putting it back clears the list.
    assert (
        roster_cell_set(
            shop=shop, roster=roster, agent=agent, day=after, shift_key="late", acting_user=None
        )
        == []
    )
    roster.refresh_from_db()
    assert roster.violations == []


def test_cell_edit_rest_days(shop) -> None:  # type: ignore[no-untyped-def]
    agents = team(shop, 4)
    roster = generate(shop)
    grid = cells(roster)
    agent = agents[0]
    day = next(d for d in NOV if (agent.id, d) in grid)
    broke = roster_cell_set(
        shop=shop, roster=roster, agent=agent, day=day, shift_key=None, acting_user=None
    )
    rest = next(v for v in broke if v.rule == "rest_per_month")
    assert rest.zh == f"{agent.name} 本月休息 4 天，应为 3 天"
    assert not RosterShift.objects.filter(roster=roster, agent=agent, local_date=day).exists()


def test_cell_edit_refuses_unknown_shift_and_day(shop) -> None:  # type: ignore[no-untyped-def]
    agents = team(shop, 4)
    roster = generate(shop)
    with pytest.raises(InvalidInput, match="未知班次：night"):
        roster_cell_set(
            shop=shop,
            roster=roster,
            agent=agents[0],
            day=dt.date(2026, 11, 3),
            shift_key="night",
            acting_user=None,
        )
    with pytest.raises(InvalidInput, match="不在 2026-11 内"):
        roster_cell_set(
            shop=shop,
            roster=roster,
            agent=agents[0],
            day=dt.date(2026, 12, 1),
            shift_key="early",
            acting_user=None,
        )


def test_publish_is_audited_and_final(shop, supervisor_user) -> None:  # type: ignore[no-untyped-def]
    team(shop, 4)
    roster = generate(shop)
    roster_publish(shop=shop, roster=roster, acting_user=supervisor_user)
    roster.refresh_from_db()
    assert roster.status == RosterStatus.PUBLISHED
    assert roster.published_at is not None
    entry = AuditEntry.objects.get(action="roster.publish")
    assert entry.actor == supervisor_user
    with pytest.raises(InvalidInput, match="已发布"):
        roster_publish(shop=shop, roster=roster, acting_user=None)
    with pytest.raises(InvalidInput, match="已发布，不能重新生成"):
        generate(shop)
