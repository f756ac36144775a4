"""Service KPIs per agent-day, per shop-day and per hour: one day's chat log, exact values."""

from __future__ import annotations

import pytest

from kefu.conversations.kpi.engine import DayKpis
from kefu.conversations.tests.kpi_rows import day, kpis, messages, one, orders, rows

MAY1 = day("05-01")


def _log() -> DayKpis:
    log = messages(
        # buyer 1 with agent 1: two messages in the first wait, three rounds over 40 minutes
        (1, 1, "b", "h", "05-01 10:00:00"),
        (1, 1, "b", "h", "05-01 10:00:20"),
        (1, 1, "a", "h", "05-01 10:01:30"),
        (1, 1, "a", "h", "05-01 10:01:40"),
        (1, 1, "b", "h", "05-01 10:05:00"),
        (1, 1, "a", "h", "05-01 10:05:30"),
        (1, 1, "b", "h", "05-01 10:40:00"),
        (1, 1, "a", "h", "05-01 10:40:30"),
        # buyer 2 with agent 1: a slow round (240 s)
        (2, 1, "b", "h", "05-01 10:02:00"),
        (2, 1, "a", "h", "05-01 10:06:00"),
        # buyer 3: agent 1, then handed to agent 2 mid-round
        (3, 1, "b", "h", "05-01 11:00:00"),
        (3, 1, "a", "h", "05-01 11:00:10"),
        (3, 1, "b", "h", "05-01 11:10:00"),
        (3, 1, "a", "tr", "05-01 11:10:30", 2),
        (3, 2, "a", "h", "05-01 11:11:00"),
        (3, 2, "b", "h", "05-01 11:50:00"),
        (3, 2, "a", "h", "05-01 11:50:20"),
        # buyer 4 with agent 2: never answered
        (4, 2, "b", "h", "05-01 12:00:00"),
        # buyer 5: a left message at night, picked up by agent 1
        (5, None, "b", "h", "05-01 03:00:00"),
        (5, None, "a", "auto", "05-01 03:00:01"),
        (5, 1, "a", "h", "05-01 08:10:00"),
    )
    return kpis(log, as_of="05-02 00:00:00")


@pytest.fixture(scope="module")
def day_kpis() -> DayKpis:
    return _log()


def test_agent_one(day_kpis: DayKpis) -> None:
    row = one(day_kpis.agent_day, agent_id=1, date=MAY1)
    assert {k: v for k, v in row.items() if k not in ("shop_id", "agent_id", "date")} == {
        "consulted": 4,
        "served": 4,
        "served_direct": 4,
        "transferred_in": 0,
        "transferred_out": 1,
        "inquiries": 4,
        "first_response_s": 340 / 3,  # buyers 1, 2, 3: 90, 240, 10; buyer 5 was a left message
        "first_response_total_s": 340,
        "first_response_count": 3,
        "avg_response_s": 80.0,  # 90 + 30 + 30 + 240 + 10 over 5 rounds
        "response_total_s": 400,
        "response_count": 5,
        "slow_buyers": 1,
        "slow_rounds": 1,
        "unanswered_buyers": 0,
        "long_buyers": 1,  # buyer 1: 10:00:00 - 10:40:30 is over 30 minutes
        "answer_ratio": 1.0,  # 7 agent messages / 7 buyer messages
        "reply_rate": 1.0,
        "max_concurrency": 2,  # buyer 2 waits 10:02-10:06 while buyer 1 waits 10:05:00-10:05:30
        "rounds": 6,
        "answered_rounds": 6,
        "left_rounds": 1,
        "buyer_messages": 7,
        "agent_messages": 7,
    }


def test_agent_two_took_a_transfer_and_left_a_buyer_unanswered(day_kpis: DayKpis) -> None:
    row = one(day_kpis.agent_day, agent_id=2, date=MAY1)
    assert (row["consulted"], row["served"], row["served_direct"]) == (2, 1, 0)
    assert (row["transferred_in"], row["transferred_out"]) == (1, 0)
    assert row["first_response_s"] == 60.0  # the handed-over round waited 11:10:00-11:11:00
    assert row["avg_response_s"] == 40.0
    assert (row["slow_buyers"], row["unanswered_buyers"], row["long_buyers"]) == (0, 1, 1)
    assert row["answer_ratio"] == 2 / 3
    assert row["reply_rate"] == 0.5
    assert row["max_concurrency"] == 1
    assert (row["rounds"], row["answered_rounds"], row["buyer_messages"]) == (3, 2, 3)


def test_shop_day_counts_each_buyer_once(day_kpis: DayKpis) -> None:
    row = one(day_kpis.shop_day, date=MAY1)
    assert {k: v for k, v in row.items() if k not in ("shop_id", "date")} == {
        "consulted": 5,
        "served": 4,
        "inquiries": 4,
        "first_response_s": 340 / 3,
        "first_response_total_s": 340,
        "first_response_count": 3,
        "avg_response_s": 480 / 7,
        "response_total_s": 480,
        "response_count": 7,
        "slow_buyers": 1,
        "slow_rounds": 1,
        "unanswered_buyers": 1,
        "long_buyers": 2,  # buyers 1 and 3; buyer 5's night wait is not a conversation
        "answer_ratio": 0.9,
        "reply_rate": 0.8,
        "rounds": 9,
        "answered_rounds": 8,
        "left_rounds": 1,
        "buyer_messages": 10,
        "agent_messages": 9,
    }


def test_hourly_buckets(day_kpis: DayKpis) -> None:
    shop = day_kpis.shop_hour.filter(date=MAY1)
    assert shop.height == 24
    busy = shop.filter(shop["rounds"] > 0)
    assert rows(
        busy, "hour", "consulted", "served", "rounds", "response_total_s", "slow_rounds"
    ) == [
        (3, 1, 1, 1, 0, 0),
        (10, 2, 2, 4, 390, 1),
        (11, 1, 1, 3, 90, 0),
        (12, 1, 0, 1, 0, 0),
    ]
    assert rows(day_kpis.agent_hour, "agent_id", "hour", "consulted", "served", "rounds") == [
        (1, 3, 1, 1, 1),
        (1, 10, 2, 2, 4),
        (1, 11, 1, 1, 1),
        (2, 11, 1, 1, 2),
        (2, 12, 1, 0, 1),
    ]


def test_an_after_sales_consult_is_served_but_not_an_inquiry() -> None:
    log = messages(
        (1, 1, "b", "h", "05-10 10:00:00"),  # asks about the order paid on 05-01
        (1, 1, "a", "h", "05-10 10:00:30"),
        (2, 1, "b", "h", "05-10 11:00:00"),  # paid 05-01 too, but orders again tomorrow
        (2, 1, "a", "h", "05-10 11:00:30"),
        (3, 1, "b", "h", "05-20 12:00:00"),  # paid 05-06: the first of the 15 days to 05-20
        (3, 1, "a", "h", "05-20 12:00:30"),
        (4, 1, "b", "h", "05-20 13:00:00"),  # paid 05-05 23:59: one day too early
        (4, 1, "a", "h", "05-20 13:00:30"),
    )
    paid = orders(
        {"buyer": 1, "created": "05-01 09:00:00", "paid": "05-01 09:01:00", "amount": "10.00"},
        {"buyer": 2, "created": "05-01 09:00:00", "paid": "05-01 09:01:00", "amount": "10.00"},
        {"buyer": 2, "created": "05-11 09:00:00", "paid": "05-11 09:01:00", "amount": "10.00"},
        {"buyer": 3, "created": "05-01 09:00:00", "paid": "05-06 00:00:00", "amount": "10.00"},
        {"buyer": 4, "created": "05-01 09:00:00", "paid": "05-05 23:59:59", "amount": "10.00"},
    )
    out = kpis(log, paid, as_of="06-01 00:00:00")
    assert rows(out.agent_day, "date", "served", "inquiries") == [
        (day("05-10"), 2, 1),
        (day("05-20"), 2, 1),
    ]
    assert rows(out.shop_day, "date", "consulted", "served", "inquiries") == [
        (day("05-10"), 2, 2, 1),
        (day("05-20"), 2, 2, 1),
    ]


def test_a_buyer_handed_back_counts_once_for_the_agent() -> None:
    log = messages(
        (9, 1, "b", "h", "05-01 15:00:00"),
        (9, 1, "a", "h", "05-01 15:00:40"),
        (9, 1, "b", "h", "05-01 15:10:00"),
        (9, 1, "a", "tr", "05-01 15:10:05", 2),
        (9, 2, "a", "h", "05-01 15:10:20"),
        (9, 2, "b", "h", "05-01 15:20:00"),
        (9, 2, "a", "tr", "05-01 15:20:05", 1),
        (9, 1, "a", "h", "05-01 15:21:00"),
        (8, 1, "b", "h", "05-01 15:30:00"),
        (8, 1, "a", "h", "05-01 15:30:10"),
    )
    out = kpis(log, as_of="05-02 00:00:00")
    assert rows(out.agent_day, "agent_id", "consulted", "served", "rounds", "first_response_s") == [
        (1, 2, 2, 3, 25.0),  # buyer 9 once: rounds at 15:00 (40 s) and 15:20 (60 s); buyer 8
        (2, 1, 1, 1, 20.0),
    ]
    assert rows(out.agent_day, "agent_id", "transferred_in", "transferred_out") == [
        (1, 1, 1),
        (2, 1, 1),
    ]
    assert rows(out.agent_hour, "agent_id", "hour", "consulted", "rounds") == [
        (1, 15, 2, 3),
        (2, 15, 1, 1),
    ]
