"""The columnar parse (the fast path of big imports) reads every file exactly as the row parse
does, and hands any irregular file back to the row parse, which names the problem."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from decimal import Decimal

import pytest

from kefu.core.choices import Platform
from kefu.demo.traffic import generate_month
from kefu.demo.traffic.exports import write_pdd_orders, write_taobao_orders
from kefu.demo.traffic.profiles import demo_profile
from kefu.orders.importers import columnar, parse_file, rawcells
from kefu.orders.importers.columnar import RowPathNeeded, parse_orders
from kefu.orders.storing import _encoded_with_digest
from kefu.orders.tests import samples as s

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _same_as_row_parse(data: bytes, filename: str, *, size: int = columnar.SLICE) -> int:
    """Asserts the two parses agree field by field; returns the number of orders. `size`:
    orders per slice of the columnar parse."""
    rows = parse_file(data, filename)
    fast = parse_orders(data, filename, zone="Asia/Shanghai", size=size)
    assert fast.spec == rows.spec
    assert fast.rows == rows.rows
    assert fast.warnings == rows.warnings
    assert fast.header == rows.header
    assert fast.key == rawcells.header_key(rows.header)
    got = fast.frame.to_dicts()
    assert len(got) == len(rows.orders)
    for order, row in zip(rows.orders, got, strict=True):
        raw_json, digest = _encoded_with_digest(fast.key, rows.header, order.raw, [])
        # The stored cells give back the row parser's record.
        assert rawcells.as_dict(rows.header, json.loads(row["raw"])[1:]) == order.raw
        aware = {
            name: None if value is None else value.replace(tzinfo=SHANGHAI).astimezone(dt.UTC)
            for name, value in (("created_at", order.created_at), ("paid_at", order.paid_at))
        }
        expected = {
            "line": order.line,
            "order_no": order.order_no,
            "buyer_nick": order.buyer_nick,
            "status": order.status,
            "status_text": order.status_text,
            **aware,
            "total_amount": order.total_amount,
            "paid_amount": order.paid_amount,
            "refund_amount": order.refund_amount,
            "flag": order.flag,
            "seller_note": order.seller_note,
            "buyer_message": order.buyer_message,
            "split_into": order.split_into,
            "raw": raw_json,
            "row_hash": digest,
        }
        actual = {
            **row,
            **{
                name: None if row[name] is None else Decimal(row[name])
                for name in ("total_amount", "paid_amount", "refund_amount")
            },
            "split_into": json.loads(row["split_into"]),
        }
        assert actual == expected
    return len(got)


def test_taobao_generation_b_with_every_quirk():
    rows = [
        s.taobao_b_row("1930679858170647"),
        s.taobao_b_row(
            "1930679858170648",
            status="交易关闭",
            **{"订单备注": '发邮政快递_慧兰, "加急"\n第二行', "退款金额": "1,299.00元"},
        ),
        s.taobao_b_row("1930679858170649", status="新状态", **{"订单付款时间 ": "null"}),
        s.taobao_b_row("1930679858170650", **{"买家会员名": "'小王\\备用", "总金额": " 12.5 "}),
    ]
    data = s.csv_bytes(s.TAOBAO_B_HEADER, rows)
    assert _same_as_row_parse(data, "ExportOrderList.csv") == 4
    # Parsed a slice at a time (the import stores them so), the file reads the same.
    assert _same_as_row_parse(data, "ExportOrderList.csv", size=1) == 4
    assert _same_as_row_parse(data, "ExportOrderList.csv", size=3) == 4


def test_taobao_generation_a_tab_separated_gbk():
    data = s.taobao_a([s.TAOBAO_A_ROW, {**s.TAOBAO_A_ROW, "订单编号": "1930679858170648"}])
    assert _same_as_row_parse(data, "a.csv") == 2


def test_the_demo_exports(tmp_path):
    traffic = generate_month(demo_profile(scale=0.05, seed=4))
    taobao = tmp_path / "ExportOrderList.csv"
    write_taobao_orders(traffic, taobao)
    assert _same_as_row_parse(taobao.read_bytes(), taobao.name) == traffic.orders.height
    assert _same_as_row_parse(taobao.read_bytes(), taobao.name, size=97) == traffic.orders.height
    # Pinduoduo writes a row per goods line: grouped rows are the row parse's job.
    pdd_traffic = generate_month(demo_profile(scale=0.05, seed=5, platform=Platform.PDD))
    pdd = tmp_path / "pdd.csv"
    write_pdd_orders(pdd_traffic, pdd)
    with pytest.raises(RowPathNeeded, match="one-row-per-order"):
        parse_orders(pdd.read_bytes(), "pdd.csv", zone="Asia/Shanghai")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"总金额": "12元5角"}, "money"),
        ({"订单创建时间": "昨天"}, "times"),
        ({"订单编号": ""}, "missing"),
    ],
)
def test_an_irregular_row_goes_back_to_the_row_parse(change, reason):
    rows = [s.taobao_b_row("1"), {**s.taobao_b_row("2"), **change}]
    with pytest.raises(RowPathNeeded, match=reason):
        parse_orders(s.csv_bytes(s.TAOBAO_B_HEADER, rows), "x.csv", zone="Asia/Shanghai")


def test_a_repeated_order_and_xlsx_and_item_reports_are_left_to_the_row_parse():
    twice = s.csv_bytes(s.TAOBAO_B_HEADER, [s.taobao_b_row("1"), s.taobao_b_row("1")])
    with pytest.raises(RowPathNeeded, match="repeated"):
        parse_orders(twice, "x.csv", zone="Asia/Shanghai")
    items = s.csv_bytes(["订单编号", "标题", "价格", "购买数量"], [{"订单编号": "1"}])
    with pytest.raises(RowPathNeeded):
        parse_orders(items, "items.csv", zone="Asia/Shanghai")
