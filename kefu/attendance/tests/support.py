"""Helpers shared by the attendance and worklog tests: a shop under a preset, agents with
badges, and a published roster written straight into kefu.rota's tables."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from types import SimpleNamespace

import pytest

from kefu.core.models import Shop
from kefu.core.tests.factories import AssignmentFactory, ShopFactory
from kefu.policy.models import PolicyVersion
from kefu.policy.services import policy_adopt_preset
from kefu.rota.choices import RosterStatus
from kefu.rota.models import Roster, RosterShift
from kefu.staff.models import Agent

SH = zoneinfo.ZoneInfo("Asia/Shanghai")

# S4.1's shifts: day 08:00-17:30, night 16:00-01:00 (crosses midnight), as minutes of the day.
TEMPLATES = {
    "day": {"label": "白班", "parts": [[480, 1050]], "night": False},
    "night": {"label": "晚班", "parts": [[960, 1500]], "night": True},
}


def at(day: int, hour: int, minute: int = 0, second: int = 0, month: int = 1) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, second, tzinfo=SH)


def freeze(monkeypatch: pytest.MonkeyPatch, now: dt.datetime) -> None:
    monkeypatch.setattr("kefu.core.clock.timezone", SimpleNamespace(now=lambda: now))


def shop_under(preset: str) -> Shop:
    shop = ShopFactory()
    policy_adopt_preset(
        shop=shop, preset=preset, effective_from=dt.date(2025, 12, 1), acting_user=None
    )
    return shop


def agent_in(shop: Shop, name: str, badge: str = "", **extra: object) -> Agent:
    return AssignmentFactory(shop=shop, agent__name=name, agent__badge=badge, **extra).agent


def publish(shop: Shop, cells: dict[tuple[Agent, dt.date], str], month: str = "2026-01") -> Roster:
    """A published roster of `month` with these (agent, day) -> shift key cells."""
    roster, _ = Roster.objects.get_or_create(
        shop=shop,
        month=month,
        defaults={
            "status": RosterStatus.PUBLISHED,
            "policy_version": PolicyVersion.objects.filter(shop=shop).first(),
            "shift_templates": TEMPLATES,
        },
    )
    for (agent, day), key in cells.items():
        RosterShift.objects.create(
            shop=shop, roster=roster, agent=agent, local_date=day, shift_key=key
        )
    return roster


def days(*numbers: int, month: int = 1) -> list[dt.date]:
    return [dt.date(2026, month, n) for n in numbers]


def machine_punch(shop: Shop, agent: Agent, when: dt.datetime) -> None:
    """A punch-machine punch (no direction), as an import stores it."""
    from kefu.attendance.models import Punch

    Punch.objects.create(shop=shop, agent=agent, at=when, source="import", device="1")
