"""Test helpers: a frozen clock, a team, a generated roster."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from types import SimpleNamespace

import pytest

from kefu.core.models import Shop
from kefu.core.tests.factories import AssignmentFactory
from kefu.rota.choices import RequestKind
from kefu.rota.models import Request, Roster, RosterShift
from kefu.rota.request_services import request_submit
from kefu.rota.services import roster_generate
from kefu.staff.models import Agent

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 10, 20, 10, 0, tzinfo=SH)


def freeze(monkeypatch: pytest.MonkeyPatch, now: dt.datetime = NOW) -> None:
    monkeypatch.setattr("kefu.core.clock.timezone", SimpleNamespace(now=lambda: now))


def team(shop: Shop, count: int) -> list[Agent]:
    return [AssignmentFactory(shop=shop, agent__name=f"客服{i + 1}").agent for i in range(count)]


def generate(shop: Shop, month: str = "2026-11") -> Roster:
    return roster_generate(
        shop=shop, month=month, acting_user=None, time_limit_seconds=5, workers=1
    )


def cells(roster: Roster) -> dict[tuple[int, dt.date], str]:
    return {
        (row.agent_id, row.local_date): row.shift_key
        for row in RosterShift.objects.filter(roster=roster)
    }


def swap_across(
    shop: Shop, agent: Agent, colleague: Agent, day: dt.date, their_day: dt.date
) -> Request:
    """A swap across two days submitted: `colleague` works `agent`'s shift of `day`, `agent`
    works the colleague's shift of `their_day`."""
    return request_submit(
        shop=shop,
        agent=agent,
        kind=RequestKind.SWAP,
        start_date=day,
        counterpart=colleague,
        counterpart_date=their_day,
        acting_user=None,
    )
