"""The policy's buyers section, the response engine, and when groups are recomputed."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

import polars as pl
import pytest
from django.db.models import Count
from pydantic import ValidationError

from kefu.buyers.engine.response import received_waits
from kefu.buyers.jobs import buyers_daily
from kefu.buyers.models import GroupMembership, ReturnVisit
from kefu.buyers.selectors import return_visit_satisfaction
from kefu.conversations.models import Buyer
from kefu.core import clock
from kefu.orders.models import ImportBatch
from kefu.policy.documents import load_preset
from kefu.policy.schema.buyers import Buyers

from .conftest import SH, World, order


def test_presets_carry_the_seeds_schedule() -> None:
    s1 = load_preset("taobao-s1").buyers
    assert s1 is not None and s1.return_visits is not None and s1.vip is not None
    visits = s1.return_visits
    assert (
        visits.first_period_months,
        visits.first_period_every_months,
        visits.then_every_months,
    ) == (12, 1, 3)
    assert visits.clause.startswith("S1 B§4")
    assert (s1.vip.paid_total_at_least, s1.vip.orders_at_least, s1.vip.window_days) == (
        Decimal("2000"),
        3,
        365,
    )
    assert load_preset("taobao-s4-standard").buyers.vip.clause.startswith("S4.2")  # type: ignore[union-attr]
    assert load_preset("tmall-s0").buyers is None  # S0 says nothing about buyers


def test_a_vip_rule_needs_a_threshold_and_every_rule_a_clause() -> None:
    with pytest.raises(ValidationError, match="paid_total_at_least or orders_at_least"):
        Buyers.model_validate({"vip": {"clause": "S4.2"}})
    with pytest.raises(ValidationError, match="clause"):
        Buyers.model_validate({"follow_up": {"quiet_days": 7, "clause": " "}})
    with pytest.raises(ValidationError):
        Buyers.model_validate({"vip": {"paid_total_at_least": 2000.5, "clause": "S4.2"}})


def test_auto_replies_do_not_close_a_round() -> None:
    t0 = dt.datetime(2026, 11, 1, 1, 0, tzinfo=dt.UTC)
    frame = pl.DataFrame(
        {
            "conversation_id": [1, 1, 1, 1, 1, 2, 2],
            "at": [
                t0,
                t0 + dt.timedelta(seconds=1),
                t0 + dt.timedelta(seconds=20),
                t0 + dt.timedelta(seconds=50),
                t0 + dt.timedelta(seconds=60),
                t0 + dt.timedelta(hours=5),
                t0 + dt.timedelta(hours=6),
            ],
            "direction": ["buyer", "agent", "buyer", "agent", "buyer", "buyer", "buyer"],
            "kind": ["human", "auto_reply", "human", "human", "human", "human", "human"],
        }
    )
    got = received_waits(frame)
    # Conversation 1: one round of 50 s (the buyer's second line was already waiting), then
    # an unanswered round; conversation 2: one unanswered round.
    assert (got.rounds, got.answered, got.average_seconds, got.average_first_seconds) == (
        3,
        1,
        50.0,
        50.0,
    )
    assert received_waits(frame.clear()).average_seconds is None


def test_groups_recompute_after_an_order_import_commits(
    world: World, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        batch = ImportBatch.objects.create(shop=world.shop, file_name="b.csv", sha256="1", kind="t")
        order(world, "100", "大客户", created=clock.now() - dt.timedelta(days=1), paid="5000.00")
        Buyer.objects.create(shop=world.shop, nickname="大客户")
    assert batch.pk
    assert list(GroupMembership.objects.values_list("buyer__nickname", "group")) == [
        ("大客户", "vip")
    ]


def test_the_daily_job_schedules_todays_visits(world: World) -> None:
    today = clock.shop_today(tz=world.shop.timezone)
    first = today - dt.timedelta(days=31)  # due 0-3 days ago: not missed yet
    order(
        world,
        "200",
        "回头客",
        created=dt.datetime.combine(first, dt.time(12), tzinfo=SH),
        paid="10.00",
    )
    Buyer.objects.create(shop=world.shop, nickname="回头客")
    buyers_daily(shop=world.shop)
    year, month = first.year + first.month // 12, first.month % 12 + 1
    expected = dt.date(year, month, min(first.day, calendar.monthrange(year, month)[1]))
    assert list(ReturnVisit.objects.values_list("buyer__nickname", "due_on", "status")) == [
        ("回头客", expected, "due")
    ]


def test_the_demo_seed_records_visits_and_notes_the_best_buyers(world: World) -> None:
    from kefu.buyers.demo import buyers_demo_seed
    from kefu.buyers.models import BuyerNote

    today = dt.date(2026, 11, 20)
    for index in range(6):
        nick = f"客户{index}"
        Buyer.objects.create(shop=world.shop, nickname=nick)
        order(
            world,
            f"D{index}",
            nick,
            created=dt.datetime(2026, 9, 1 + index * 3, 12, tzinfo=SH),
            paid="3000.00",
        )
    first = buyers_demo_seed(shop=world.shop, today=today)
    assert first == 9
    statuses = dict(ReturnVisit.objects.order_by().values_list("status").annotate(n=Count("pk")))
    assert statuses == {"done": 9, "missed": 3}
    assert return_visit_satisfaction(shop=world.shop, month="2026-10") == {
        world.agent2.pk: Decimal("4.33")
    }
    assert return_visit_satisfaction(shop=world.shop, month="2026-11") == {
        world.agent1.pk: Decimal("4.50"),
        world.agent2.pk: Decimal("3.67"),
    }
    assert BuyerNote.objects.count() == 3
    # Run again: the visits exist, nothing is recorded twice.
    assert buyers_demo_seed(shop=world.shop, today=today) == 0
