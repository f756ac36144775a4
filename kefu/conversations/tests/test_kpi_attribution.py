"""Sales attribution under the three modes, the S1 overrides, deductions and the split view."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import polars as pl

from kefu.conversations.kpi import compute_day_kpis
from kefu.conversations.tests.kpi_rows import S1, at, day, kpis, messages, one, orders, rows

MAY1, MAY2, MAY3 = day("05-01"), day("05-02"), day("05-03")
AS_OF = "05-20 00:00:00"
CHAT = [
    # buyer 1: agent 1, handed to agent 2, who is the last before the order; 1 flags it
    (1, 1, "b", "h", "05-01 10:00:00"),
    (1, 1, "a", "h", "05-01 10:00:10"),
    (1, 1, "a", "tr", "05-01 10:05:00", 2),
    (1, 2, "b", "h", "05-01 10:06:00"),
    (1, 2, "a", "h", "05-01 10:06:10"),
    # buyer 2: agent 1 before the order, agent 3 before the payment
    (2, 1, "b", "h", "05-01 11:00:00"),
    (2, 1, "a", "h", "05-01 11:00:20"),
    (2, 3, "b", "h", "05-01 20:00:00"),
    (2, 3, "a", "h", "05-01 20:00:30"),
    # buyer 3: agent 1 before the order; agent 2 chases it 25 hours later
    (3, 1, "b", "h", "05-02 10:00:00"),
    (3, 1, "a", "h", "05-02 10:00:20"),
    (3, 2, "a", "h", "05-03 11:00:00"),
    (3, 2, "b", "h", "05-03 11:05:00"),
    (3, 2, "a", "h", "05-03 11:05:30"),
    # buyers 4 and 5 order silently; agent 1 writes to them 19 and 39 minutes after payment
    (4, 1, "a", "h", "05-01 12:20:00"),
    (5, 1, "a", "h", "05-01 12:40:00"),
    # buyers 6, 7, 8 are served by agent 1
    (6, 1, "b", "h", "05-01 13:00:00"),
    (6, 1, "a", "h", "05-01 13:00:10"),
    (7, 1, "b", "h", "05-01 14:00:00"),
    (7, 1, "a", "h", "05-01 14:00:10"),
    (8, 1, "b", "h", "05-01 15:00:00"),
    (8, 1, "a", "h", "05-01 15:00:10"),
]
ORDERS = orders(
    {
        "buyer": 1,
        "created": "05-01 10:10:00",
        "paid": "05-01 10:11:00",
        "amount": "100.00",
        "items": 2,
        "flag": "red",
        "flag_agent": 1,
    },
    {"buyer": 2, "created": "05-01 11:30:00", "paid": "05-01 20:10:00", "amount": "50.00"},
    {"buyer": 3, "created": "05-02 10:30:00", "paid": "05-03 11:10:00", "amount": "80.00"},
    {"buyer": 4, "created": "05-01 12:00:00", "paid": "05-01 12:01:00", "amount": "30.00"},
    {"buyer": 5, "created": "05-01 12:00:00", "paid": "05-01 12:01:00", "amount": "20.00"},
    {
        "buyer": 6,
        "created": "05-01 13:05:00",
        "paid": "05-01 13:06:00",
        "amount": "40.00",
        "refund": "40.00",
        "refund_items": 1,
        "reason": "buyer_whim",
    },
    {
        "buyer": 7,
        "created": "05-01 14:05:00",
        "paid": "05-01 14:06:00",
        "amount": "60.00",
        "items": 3,
        "bad_review": True,
    },
    {
        "buyer": 8,
        "created": "05-01 15:05:00",
        "paid": "05-01 15:06:00",
        "amount": "70.00",
        "items": 2,
        "refund": "20.00",
        "reason": "buyer_whim",  # a partial refund, the goods kept: not a return
    },
    {"buyer": 8, "created": "05-01 15:30:00", "paid": "05-01 15:31:00", "amount": "30.00"},
)
WHO = ("order_no", "pre_order_agent", "pre_payment_agent", "credited_agent", "basis", "counted")


def test_order_mode_with_the_s1_overrides_and_deductions() -> None:
    out = kpis(messages(*CHAT), ORDERS, as_of=AS_OF).attribution
    assert rows(out, *WHO, "exclusion") == [
        ("O1", 2, 2, 1, "flag_owner", True, None),  # two agents served; the flag owner wins
        ("O2", 1, 3, 1, "pre_order", True, None),
        ("O3", 1, 2, 2, "chase", True, None),  # agent 1 offline since 05-02 10:00:20
        ("O4", None, None, None, None, False, None),  # silent orders
        ("O5", None, None, None, None, False, None),
        ("O6", 1, 1, 1, "pre_order", False, "return_buyer_whim"),
        ("O7", 1, 1, 1, "pre_order", False, "bad_review_by_agent"),
        ("O8", 1, 1, 1, "pre_order", True, None),
        ("O9", 1, 1, 1, "pre_order", True, None),
    ]
    assert one(out, order_no="O3")["chaser"] == 2


def test_a_chase_while_the_first_agent_is_online_changes_nothing() -> None:
    busy = [*CHAT, (9, 1, "a", "h", "05-03 10:50:00")]  # agent 1 writes to someone else
    out = kpis(messages(*busy), ORDERS, as_of=AS_OF).attribution
    assert rows(out.filter(order_no="O3"), *WHO) == [("O3", 1, 2, 1, "pre_order", True)]


def test_payment_and_order_first_modes() -> None:
    paid = kpis(messages(*CHAT), ORDERS, as_of=AS_OF, attribution_mode="payment").attribution
    assert rows(paid.filter(pl.col("order_no").is_in(["O1", "O2", "O3"])), *WHO) == [
        ("O1", 2, 2, 1, "flag_owner", True),
        ("O2", 1, 3, 3, "pre_payment", True),
        ("O3", 1, 2, 2, "pre_payment", True),
    ]
    assert rows(paid.filter(order_no="O2"), "sale_date") == [(MAY1,)]
    assert rows(paid.filter(order_no="O3"), "sale_date") == [(MAY3,)]
    first = kpis(messages(*CHAT), ORDERS, as_of=AS_OF, attribution_mode="order_first")
    assert rows(first.attribution.filter(order_no="O2"), "credited_agent", "basis") == [
        (1, "pre_order")
    ]
    assert rows(first.attribution.filter(order_no="O4"), "credited_agent") == [(None,)]


def test_excluded_agents_and_flag_colours_earn_nothing() -> None:
    settings = replace(S1, attribution_mode="payment", excluded_flag_colours=frozenset({"red"}))
    out = compute_day_kpis(
        messages(*CHAT), ORDERS, settings=settings, as_of=at(AS_OF), excluded_agents={3}
    ).attribution
    assert rows(out.filter(pl.col("order_no").is_in(["O1", "O2"])), "counted", "exclusion") == [
        (False, "excluded_flag"),
        (False, "excluded_agent"),
    ]


def test_sales_kpis_per_agent_day() -> None:
    out = kpis(messages(*CHAT), ORDERS, as_of=AS_OF)
    agent_one = one(out.sales, agent_id=1, date=MAY1)
    assert {k: v for k, v in agent_one.items() if k not in ("shop_id", "agent_id", "date")} == {
        "sales": Decimal("250.00"),  # O1 100 + O2 50 + O8 70 + O9 30
        "buyers": 3,
        "items": 6,
        "orders": 4,
        "avg_order_value": Decimal("83.33"),
        "avg_item_price": Decimal("41.67"),
        "refund_amount": Decimal("20.00"),
        "refund_items": 0,
        "refund_buyers": 1,
        "refund_rate": 0.0,
        "status": "final",
    }
    assert rows(out.sales, "agent_id", "date", "sales", "orders") == [
        (1, MAY1, Decimal("250.00"), 4),
        (2, MAY2, Decimal("80.00"), 1),
    ]
    shop = one(out.shop_sales, date=MAY1)
    assert {k: v for k, v in shop.items() if k not in ("shop_id", "date")} == {
        "shop_sales": Decimal("400.00"),
        "shop_orders": 8,
        "credited_sales": Decimal("250.00"),
        "credited_orders": 4,
        "withheld_sales": Decimal("100.00"),  # O6 returned (buyer's whim), O7 bad review
        "silent_sales": Decimal("150.00"),  # shop - credited: O4, O5 and the withheld O6, O7
        "silent_share": 0.375,
        "status": "final",
    }


def test_sales_are_pending_until_the_payment_buffer_is_over() -> None:
    out = kpis(messages(*CHAT), ORDERS, as_of="05-08 23:59:59")
    assert rows(out.sales, "date", "status") == [(MAY1, "pending"), (MAY2, "pending")]
    out = kpis(messages(*CHAT), ORDERS, as_of="05-09 00:00:00")
    assert rows(out.sales, "date", "status") == [(MAY1, "final"), (MAY2, "pending")]


def test_split_view() -> None:
    out = kpis(messages(*CHAT), ORDERS, as_of=AS_OF, silent_follow_up_minutes=30).sales_split
    columns = [c for c in out.columns if c.endswith("_orders")]
    assert columns == [
        "self_order_self_pay_orders",
        "self_order_other_pay_orders",
        "other_order_self_pay_orders",
        "silent_order_self_pay_orders",
        "silent_follow_up_orders",
        "assisted_orders",
    ]
    assert rows(out, "agent_id", "date", *columns) == [
        (1, MAY1, 4, 1, 0, 0, 1, 0),  # O6-O9; O2 paid after agent 3; O4 followed up in time
        (2, MAY1, 1, 0, 0, 0, 0, 1),  # O1 (credited to the flag owner, agent 1)
        (3, MAY1, 0, 0, 1, 0, 0, 1),  # O2
        (1, MAY3, 0, 1, 0, 0, 0, 1),  # O3 was chased away by agent 2
        (2, MAY3, 0, 0, 1, 0, 0, 0),
    ]
    assert one(out, agent_id=1, date=MAY1)["self_order_self_pay_sales"] == Decimal("200.00")
    assert one(out, agent_id=1, date=MAY1)["silent_follow_up_sales"] == Decimal("30.00")
