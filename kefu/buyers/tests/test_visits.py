"""Return visits 回访: the schedule from policy (S1), the work lists, missed visits, and the
month's satisfaction per agent (the S4.5 input)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest

from kefu.buyers import visit_services
from kefu.buyers.choices import VisitStatus
from kefu.buyers.engine.schedule import VisitPlan, latest_due
from kefu.buyers.models import ReturnVisit
from kefu.buyers.selectors import return_visit_satisfaction, visits_due, visits_missed
from kefu.conversations.choices import Direction
from kefu.conversations.models import Buyer
from kefu.core.errors import InvalidInput

from .conftest import World, at, chat, order


def _visit(w: World, nick: str, agent, due: dt.date) -> ReturnVisit:  # type: ignore[no-untyped-def]
    buyer, _ = Buyer.objects.get_or_create(shop=w.shop, nickname=nick)
    return ReturnVisit.objects.create(shop=w.shop, buyer=buyer, due_on=due, agent=agent)


def test_satisfaction_is_the_months_average_per_agent(world: World) -> None:
    w = world
    v1 = _visit(w, "甲", w.agent1, dt.date(2026, 10, 3))
    v2 = _visit(w, "乙", w.agent1, dt.date(2026, 10, 5))
    v3 = _visit(w, "丙", w.agent1, dt.date(2026, 10, 9))
    v4 = _visit(w, "丁", w.agent2, dt.date(2026, 10, 9))
    v5 = _visit(w, "戊", w.agent2, dt.date(2026, 10, 30))
    done = [
        (v1, "chat", "satisfied", 5, at(2026, 10, 3)),
        (v2, "phone", "satisfied", 4, at(2026, 10, 6)),
        (v3, "phone", "feedback", 4, at(2026, 10, 31, 23, 59)),
        (v4, "sms", "feedback", 3, at(2026, 10, 10)),
        # 00:30 on 1 November in Shanghai is still 31 October in UTC: it counts for November.
        (v5, "chat", "satisfied", 5, at(2026, 11, 1, 0, 30)),
    ]
    for visit, channel, outcome, satisfaction, when in done:
        visit_services.return_visit_record(
            shop=w.shop, visit=visit, channel=channel, outcome=outcome,
            satisfaction=satisfaction, acting_user=None, at=when,
        )  # fmt: skip
    october = return_visit_satisfaction(shop=w.shop, month="2026-10")
    assert october == {w.agent1.pk: Decimal("4.33"), w.agent2.pk: Decimal("3.00")}
    assert return_visit_satisfaction(shop=w.shop, month="2026-11") == {w.agent2.pk: Decimal("5.00")}
    assert return_visit_satisfaction(shop=w.shop, month="2026-09") == {}


def test_a_visit_that_reached_nobody_has_no_score_and_is_not_averaged(world: World) -> None:
    w = world
    v1 = _visit(w, "甲", w.agent1, dt.date(2026, 10, 3))
    v2 = _visit(w, "乙", w.agent1, dt.date(2026, 10, 3))
    visit_services.return_visit_record(
        shop=w.shop,
        visit=v1,
        channel="phone",
        outcome="no_answer",
        satisfaction=None,
        acting_user=None,
        at=at(2026, 10, 3),
    )
    visit_services.return_visit_record(
        shop=w.shop,
        visit=v2,
        channel="phone",
        outcome="satisfied",
        satisfaction=2,
        acting_user=None,
        at=at(2026, 10, 3),
    )
    assert return_visit_satisfaction(shop=w.shop, month="2026-10") == {w.agent1.pk: Decimal("2.00")}


def test_bad_scores_and_missing_scores_are_refused(world: World) -> None:
    v = _visit(world, "甲", world.agent1, dt.date(2026, 10, 3))
    with pytest.raises(InvalidInput, match="1-5"):
        visit_services.return_visit_record(
            shop=world.shop,
            visit=v,
            channel="chat",
            outcome="satisfied",
            satisfaction=6,
            acting_user=None,
        )
    with pytest.raises(InvalidInput, match="满意度"):
        visit_services.return_visit_record(
            shop=world.shop,
            visit=v,
            channel="chat",
            outcome="satisfied",
            satisfaction=None,
            acting_user=None,
        )
    v.refresh_from_db()
    assert v.status == VisitStatus.DUE


def test_schedule_monthly_in_the_first_year_then_quarterly() -> None:
    plan = VisitPlan(first_period=12, first_every=1, then_every=3)
    assert plan.offsets(24) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 18, 21, 24]
    frame = pl.DataFrame(
        {
            "buyer_id": [1, 2, 3, 4, 5],
            "first_order": [
                dt.date(2026, 1, 31),  # month ends clamp: 31 Oct is the 9th visit
                dt.date(2025, 1, 10),  # 22 months: the 21st-month visit, 10 Oct 2026
                dt.date(2026, 10, 20),  # exactly one month today
                dt.date(2024, 11, 25),  # the 24th month falls after today: the 21st
                dt.date(2026, 11, 1),  # less than a month: nothing yet
            ],
        },
        schema={"buyer_id": pl.Int64, "first_order": pl.Date},
    )
    due = latest_due(frame, today=dt.date(2026, 11, 20), plan=plan)
    assert due.rows() == [
        (1, dt.date(2026, 10, 31), 9),
        (2, dt.date(2026, 10, 10), 21),
        (3, dt.date(2026, 11, 20), 1),
        (4, dt.date(2026, 8, 25), 21),
    ]


def test_schedule_assigns_the_last_serving_agent_else_nobody(world: World) -> None:
    w = world
    order(w, "1", "老王", created=at(2026, 9, 15), paid="100.00")
    order(w, "2", "小张", created=at(2026, 10, 1), paid="50.00")
    order(w, "3", "新客", created=at(2026, 11, 10), paid="80.00")
    order(w, "4", "未付", created=at(2026, 9, 1), status="wait_pay")
    wang = Buyer.objects.create(shop=w.shop, nickname="老王")
    Buyer.objects.create(shop=w.shop, nickname="小张")
    Buyer.objects.create(shop=w.shop, nickname="新客")
    Buyer.objects.create(shop=w.shop, nickname="未付")
    chat(
        w,
        wang,
        [
            (at(2026, 9, 14, 9), Direction.BUYER, None, "在吗"),
            (at(2026, 9, 14, 9, 1), Direction.AGENT, w.account2, "在的"),
        ],
    )
    chat(
        w,
        wang,
        [
            (at(2026, 9, 20, 9), Direction.BUYER, None, "发货了吗"),
            (at(2026, 9, 20, 9, 2), Direction.AGENT, w.account1, "发了"),
        ],
    )
    created = visit_services.return_visits_schedule(shop=w.shop, on=dt.date(2026, 11, 20))
    assert created == 2
    rows = {
        v.buyer.nickname: (v.due_on, v.agent_id, v.policy_version)
        for v in ReturnVisit.objects.select_related("buyer")
    }
    assert rows == {
        "老王": (dt.date(2026, 11, 15), w.agent1.pk, 1),
        "小张": (dt.date(2026, 11, 1), None, 1),
    }
    assert visit_services.return_visits_schedule(shop=w.shop, on=dt.date(2026, 11, 20)) == 0
    # The agent's work list is theirs; the supervisor's is everyone's.
    today = dt.date(2026, 11, 20)
    assert [v.buyer.nickname for v in visits_due(shop=w.shop, on=today, agent_id=w.agent1.pk)] == [
        "老王"
    ]
    assert [v.buyer.nickname for v in visits_due(shop=w.shop, on=today)] == ["小张", "老王"]
    # Three days after its date a visit not made is missed, and the supervisor sees it.
    assert visit_services.return_visits_mark_missed(shop=w.shop, on=dt.date(2026, 11, 4)) == 0
    assert visit_services.return_visits_mark_missed(shop=w.shop, on=dt.date(2026, 11, 5)) == 1
    assert [v.buyer.nickname for v in visits_missed(shop=w.shop)] == ["小张"]


def test_an_unassigned_visit_counts_for_the_agent_who_records_it(world: World) -> None:
    v = _visit(world, "甲", None, dt.date(2026, 10, 3))
    visit_services.return_visit_record(
        shop=world.shop,
        visit=v,
        channel="chat",
        outcome="satisfied",
        satisfaction=4,
        acting_user=world.agent_user,
        at=at(2026, 10, 4),
    )
    assert return_visit_satisfaction(shop=world.shop, month="2026-10") == {
        world.agent1.pk: Decimal("4.00")
    }
