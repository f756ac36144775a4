"""The demo replay fills a month so far and its facts, quickly."""

from __future__ import annotations

import datetime as dt

import pytest

from kefu.attendance.models import Punch
from kefu.attendance.tests.support import agent_in, at, freeze, publish, shop_under
from kefu.performance.models import Fact
from kefu.worklog.demo import worklog_demo_replay
from kefu.worklog.models import HandoverEntry, WeeklySummary

pytestmark = pytest.mark.django_db


def test_the_demo_replay_gives_punches_entries_summaries_and_facts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    freeze(monkeypatch, at(21, 7))
    shop = shop_under("taobao-s4-fines")
    team = [agent_in(shop, f"客服{i}") for i in range(6)]
    cells = {
        (agent, dt.date(2026, 1, day)): ("day" if (i + day) % 2 else "night")
        for i, agent in enumerate(team)
        for day in range(1, 32)
        if (i + day) % 7
    }
    publish(shop, cells)
    count = worklog_demo_replay(shop=shop, today=dt.date(2026, 1, 21))
    assert count > 0
    assert Punch.objects.filter(shop=shop).count() > 150
    assert HandoverEntry.objects.filter(shop=shop).count() > 80
    assert WeeklySummary.objects.filter(shop=shop).count() > 0
    keys = set(Fact.objects.filter(shop=shop).values_list("key", flat=True))
    assert {"late", "handover_missing"} <= keys
    assert keys & {"weekly_summary_missing", "weekly_summary_short"}
    assert keys <= {
        "late",
        "early_leave",
        "absence",
        "absenteeism",
        "handover_missing",
        "handover_unacknowledged",
        "weekly_summary_missing",
        "weekly_summary_short",
    }
