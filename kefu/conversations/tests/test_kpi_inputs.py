"""Settings from policy presets, input validation and the input helpers."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from kefu.conversations.kpi import (
    KpiInputError,
    encode_buyers,
    flag_agent_from_note,
    kpi_settings,
    validate_orders,
)
from kefu.conversations.tests.kpi_rows import orders
from kefu.policy.documents import load_preset


def test_settings_from_the_s1_preset() -> None:
    settings = kpi_settings(load_preset("taobao-s1"))
    assert settings.timezone == "Asia/Shanghai"
    assert settings.auto_reply_counts is False
    assert settings.slow_round_seconds == 120
    assert settings.unanswered_minutes == (30, 120)
    assert settings.long_conversation_minutes == 30
    assert settings.attribution_mode == "order"
    assert settings.flag_owner_wins is True
    assert settings.chase_after_unpaid_hours == 24
    assert settings.deductions == {
        "return_buyer_whim",
        "return_poor_service",
        "bad_review_by_agent",
    }
    assert (settings.inquiry_window_days, settings.payment_buffer_days) == (2, 7)
    assert settings.after_sales_window_days == 15
    assert settings.night_first_response_seconds is None
    (score,) = settings.scores
    assert (score.kind, score.window, score.target) == ("taobao_3min", (480, 1380), Decimal("0.90"))
    assert (score.min_rounds, score.days, score.limit_seconds) == (100, 30, 180)


def test_night_windows_come_from_the_night_shift() -> None:
    settings = kpi_settings(load_preset("dongyao-s4"))
    assert settings.night_first_response_seconds == 60
    assert settings.night_windows == ((600, 840), (1050, 1380))
    pdd = kpi_settings(load_preset("pdd-s3"))
    assert (pdd.attribution_mode, pdd.inquiry_window_days) == ("order_first", 3)
    assert [s.kind for s in pdd.scores] == ["pdd_valid_reply"]


def test_orders_missing_a_column_or_with_an_unknown_flag() -> None:
    frame = orders({"buyer": 1, "created": "05-01 10:00:00", "paid": None, "amount": "1.00"})
    with pytest.raises(KpiInputError, match="orders: missing column 'amount'"):
        validate_orders(frame.drop("amount"))
    with pytest.raises(KpiInputError, match=r"unknown colours \['pink'\]"):
        validate_orders(frame.with_columns(pl.lit("pink").alias("flag")))
    with pytest.raises(KpiInputError, match="encode_buyers"):
        validate_orders(frame.drop("buyer_id").with_columns(pl.lit("tb123").alias("buyer")))
    optional = frame.drop("refund_amount", "refund_items", "refund_reason", "bad_review_by_agent")
    filled = validate_orders(optional)
    assert filled.row(0, named=True)["refund_amount"] == Decimal("0.00")
    assert filled.row(0, named=True)["bad_review_by_agent"] is False


def test_encode_buyers_shares_ids_between_messages_and_orders() -> None:
    messages = pl.DataFrame(
        {"shop_id": [1, 1, 2], "buyer": ["甜甜", "tb1", "甜甜"], "x": [1, 2, 3]}
    )
    ords = pl.DataFrame({"shop_id": [1, 1], "buyer": ["tb9", "甜甜"]})
    m, o, buyers = encode_buyers(messages, ords)
    assert m.get_column("buyer_id").to_list() == [0, 1, 2]  # a nickname is per shop
    assert o.get_column("buyer_id").to_list() == [3, 0]
    assert buyers.row(3) == (1, "tb9", 3)
    assert m.columns == ["shop_id", "x", "buyer_id"]


def test_flag_agent_from_note() -> None:
    notes = pl.DataFrame({"note": ["发邮政快递_慧兰", "慧兰", "南京仓", "", None, " 小美 "]})
    agents = {"慧兰": 2, "小美": 1}
    out = notes.select(flag_agent_from_note(pl.col("note"), agents)).to_series().to_list()
    assert out == [2, 2, None, None, None, 1]
