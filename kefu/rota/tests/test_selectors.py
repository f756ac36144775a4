"""The roster's interface for other apps: shifts_scheduled and agents_on_duty."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from kefu.core.tests.factories import AssignmentFactory, ShopFactory
from kefu.policy.selectors import policy_in_force
from kefu.rota.choices import RosterStatus
from kefu.rota.models import Roster, RosterShift
from kefu.rota.selectors import ScheduledShift, agents_on_duty, shifts_scheduled

pytestmark = pytest.mark.django_db

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
TEMPLATES = {
    "early": {"label": "早班", "parts": [[480, 1050]], "night": False},
    "late": {"label": "晚班", "parts": [[960, 1500]], "night": True},
    "split": {"label": "两头班", "parts": [[600, 840], [1050, 1380]], "night": True},
}


def roster(shop, month="2026-11", status=RosterStatus.PUBLISHED):  # type: ignore[no-untyped-def]
    version = policy_in_force(shop=shop, on=dt.date(2026, 11, 1)).version
    return Roster.objects.create(
        shop=shop, month=month, status=status, policy_version=version, shift_templates=TEMPLATES
    )


def test_shifts_scheduled_times_cross_midnight_and_split(shop, agent) -> None:  # type: ignore[no-untyped-def]
    other = AssignmentFactory(shop=shop).agent
    published = roster(shop)
    RosterShift.objects.create(
        shop=shop, roster=published, agent=agent, local_date=dt.date(2026, 11, 3), shift_key="late"
    )
    RosterShift.objects.create(
        shop=shop, roster=published, agent=other, local_date=dt.date(2026, 11, 3), shift_key="split"
    )
    RosterShift.objects.create(
        shop=shop, roster=published, agent=agent, local_date=dt.date(2026, 11, 5), shift_key="early"
    )

    shifts = shifts_scheduled(shop=shop, start=dt.date(2026, 11, 3), end=dt.date(2026, 11, 4))

    assert shifts == [
        ScheduledShift(
            agent_id=other.id,
            local_date=dt.date(2026, 11, 3),
            shift_key="split",
            label="两头班",
            starts_at=dt.datetime(2026, 11, 3, 10, 0, tzinfo=SH),
            ends_at=dt.datetime(2026, 11, 3, 23, 0, tzinfo=SH),
            parts=(
                (
                    dt.datetime(2026, 11, 3, 10, 0, tzinfo=SH),
                    dt.datetime(2026, 11, 3, 14, 0, tzinfo=SH),
                ),
                (
                    dt.datetime(2026, 11, 3, 17, 30, tzinfo=SH),
                    dt.datetime(2026, 11, 3, 23, 0, tzinfo=SH),
                ),
            ),
            night=True,
        ),
        ScheduledShift(
            agent_id=agent.id,
            local_date=dt.date(2026, 11, 3),
            shift_key="late",
            label="晚班",
            starts_at=dt.datetime(2026, 11, 3, 16, 0, tzinfo=SH),
            ends_at=dt.datetime(2026, 11, 4, 1, 0, tzinfo=SH),
            parts=(
                (
                    dt.datetime(2026, 11, 3, 16, 0, tzinfo=SH),
                    dt.datetime(2026, 11, 4, 1, 0, tzinfo=SH),
                ),
            ),
            night=True,
        ),
    ]
    assert shifts[1].minutes == 540
    assert [
        s.local_date
        for s in shifts_scheduled(
            shop=shop, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30), agent_id=agent.id
        )
    ] == [dt.date(2026, 11, 3), dt.date(2026, 11, 5)]


def test_draft_rosters_are_hidden_unless_asked(shop, agent) -> None:  # type: ignore[no-untyped-def]
    draft = roster(shop, status=RosterStatus.DRAFT)
    RosterShift.objects.create(
        shop=shop, roster=draft, agent=agent, local_date=dt.date(2026, 11, 3), shift_key="early"
    )
    day = dt.date(2026, 11, 3)
    assert shifts_scheduled(shop=shop, start=day, end=day) == []
    assert len(shifts_scheduled(shop=shop, start=day, end=day, published_only=False)) == 1


def test_agents_on_duty_includes_a_night_shift_past_midnight(shop, agent) -> None:  # type: ignore[no-untyped-def]
    other = AssignmentFactory(shop=shop).agent
    published = roster(shop)
    RosterShift.objects.create(
        shop=shop, roster=published, agent=agent, local_date=dt.date(2026, 11, 3), shift_key="late"
    )
    RosterShift.objects.create(
        shop=shop, roster=published, agent=other, local_date=dt.date(2026, 11, 4), shift_key="early"
    )
    # Another shop's roster never shows.
    foreign = ShopFactory()
    from kefu.policy.services import policy_adopt_preset

    policy_adopt_preset(
        shop=foreign, preset="taobao-s4-fines", effective_from=dt.date(2026, 1, 1), acting_user=None
    )
    RosterShift.objects.create(
        shop=foreign,
        roster=roster(foreign),
        agent=AssignmentFactory(shop=foreign).agent,
        local_date=dt.date(2026, 11, 3),
        shift_key="late",
    )

    assert agents_on_duty(shop=shop, at=dt.datetime(2026, 11, 4, 0, 30, tzinfo=SH)) == [agent.id]
    # 01:00 is the end: no longer on duty; UTC instants are read in the shop's zone.
    assert agents_on_duty(shop=shop, at=dt.datetime(2026, 11, 3, 17, 0, tzinfo=dt.UTC)) == []
    assert agents_on_duty(shop=shop, at=dt.datetime(2026, 11, 4, 8, 0, tzinfo=SH)) == [other.id]
    assert agents_on_duty(shop=shop, at=dt.datetime(2026, 11, 3, 16, 0, tzinfo=SH)) == [agent.id]
    assert agents_on_duty(shop=shop, at=dt.datetime(2026, 11, 3, 15, 59, tzinfo=SH)) == []
