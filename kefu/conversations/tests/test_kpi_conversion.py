"""Conversion 询单转化 with figures pending until final (inquiry window 2 days, buffer 7)."""

from __future__ import annotations

import polars as pl

from kefu.conversations.tests.kpi_rows import day, kpis, messages, one, orders, rows

MAY10 = day("05-10")


def _chat() -> pl.DataFrame:
    log = []
    for buyer in range(1, 7):
        log += [(buyer, 1, "b", "h", "05-10 10:00:00"), (buyer, 1, "a", "h", "05-10 10:00:20")]
    # buyer 6 also talks to agent 2, after the order
    log += [(6, 2, "b", "h", "05-10 14:00:00"), (6, 2, "a", "h", "05-10 14:00:20")]
    return messages(*log)


ORDERS = orders(
    {"buyer": 1, "created": "05-10 12:00:00", "paid": "05-10 12:01:00", "amount": "10.00"},
    {"buyer": 2, "created": "05-11 09:00:00", "paid": "05-13 09:00:00", "amount": "10.00"},
    {"buyer": 3, "created": "05-10 09:00:00", "paid": "05-10 09:01:00", "amount": "10.00"},
    {"buyer": 4, "created": "05-12 09:00:00", "paid": "05-12 09:01:00", "amount": "10.00"},
    {"buyer": 5, "created": "05-10 15:00:00", "paid": None, "amount": "10.00"},
    {"buyer": 5, "created": "05-10 15:10:00", "paid": "05-10 15:11:00", "amount": "10.00"},
    {"buyer": 6, "created": "05-10 13:00:00", "paid": "05-10 13:01:00", "amount": "10.00"},
)
FIGURES = ("ordered_same_day", "ordered_final", "paid_next_day", "paid_final")


def test_final_figures_after_the_buffer() -> None:
    out = kpis(_chat(), ORDERS, as_of="05-19 00:00:00")
    agent_one = one(out.conversion, agent_id=1, date=MAY10)
    assert agent_one["inquiries"] == 6
    assert [agent_one[f] for f in FIGURES] == [3, 4, 3, 4]
    assert [agent_one[f"{f}_status"] for f in FIGURES] == ["final"] * 4
    assert agent_one["ordered_final_rate"] == 4 / 6
    # buyer 6 wrote to agent 2 after ordering: an inquiry that did not convert
    agent_two = one(out.conversion, agent_id=2, date=MAY10)
    assert [agent_two["inquiries"], *(agent_two[f] for f in FIGURES)] == [1, 0, 0, 0, 0]
    shop = one(out.shop_conversion, date=MAY10)
    assert [shop["inquiries"], *(shop[f] for f in FIGURES)] == [6, 3, 4, 3, 4]


def test_figures_are_pending_until_their_last_day_is_over() -> None:
    out = kpis(_chat(), ORDERS, as_of="05-18 23:59:59")
    assert rows(out.shop_conversion, *FIGURES) == [(3, 4, 3, None)]
    assert rows(out.shop_conversion, "paid_final_rate", "paid_final_status") == [(None, "pending")]
    early = kpis(_chat(), ORDERS, as_of="05-11 12:00:00")
    assert rows(early.shop_conversion, *FIGURES) == [(3, None, None, None)]
    assert rows(early.shop_conversion, *(f"{f}_status" for f in FIGURES)) == [
        ("final", "pending", "pending", "pending")
    ]
