"""Storing imports: idempotent upserts, status history, atomic failure, flag attribution."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection

from kefu.core.errors import InvalidInput
from kefu.core.models import AuditEntry
from kefu.core.tests.factories import AssignmentFactory, ShopFactory, SubAccountFactory
from kefu.demo.traffic import generate_month
from kefu.demo.traffic.exports import write_taobao_orders
from kefu.demo.traffic.profiles import demo_profile
from kefu.orders.importers import parse_file
from kefu.orders.models import (
    AfterSale,
    ImportBatch,
    Order,
    OrderLine,
    OrderStatusChange,
    RawHeader,
)
from kefu.orders.services import orders_import
from kefu.orders.tests import samples as s
from kefu.policy.services import policy_adopt_preset

pytestmark = pytest.mark.django_db

FLAG_HEADER = [*s.TAOBAO_B_HEADER, "旗帜颜色"]  # a later generation with the TOP seller_flag


def _import(shop, data, name="ExportOrderList.csv"):
    return orders_import(shop=shop, data=data, filename=name, acting_user=None).batch


def _counts(batch):
    return (batch.rows, batch.created, batch.updated, batch.unchanged)


def test_demo_export_imports_and_reimport_changes_nothing(tmp_path):
    shop = ShopFactory()
    traffic = generate_month(demo_profile(scale=0.05, seed=5))
    path = tmp_path / "ExportOrderList.csv"
    n = write_taobao_orders(traffic, path)
    first = _import(shop, path.read_bytes())
    assert _counts(first) == (n, n, 0, 0)
    assert Order.objects.filter(shop=shop).count() == n
    assert OrderStatusChange.objects.filter(shop=shop).count() == n
    row = traffic.orders.row(0, named=True)
    order = Order.objects.get(shop=shop, order_no=row["order_no"])
    assert order.created_at == row["created"].replace(microsecond=0)  # Shanghai time, as UTC
    assert order.created_at.utcoffset() == dt.timedelta(0)
    assert order.total_amount == Decimal(str(row["amount"])).quantize(Decimal("0.01"))
    stamp = Order.objects.filter(shop=shop).values_list("updated_at", flat=True).first()

    again = _import(shop, path.read_bytes())
    assert _counts(again) == (n, 0, 0, n)
    assert Order.objects.filter(shop=shop).count() == n
    assert OrderStatusChange.objects.filter(shop=shop).count() == n
    assert Order.objects.filter(shop=shop).values_list("updated_at", flat=True).first() == stamp
    assert AuditEntry.objects.filter(shop=shop, action="orders.import").count() == 2


def test_later_export_with_a_new_status_appends_history():
    shop = ShopFactory()
    before = [s.taobao_b_row("1"), s.taobao_b_row("2")]
    _import(shop, s.csv_bytes(s.TAOBAO_B_HEADER, before))
    after = [s.taobao_b_row("1", status="卖家已发货，等待买家确认"), s.taobao_b_row("2")]
    batch = _import(shop, s.csv_bytes(s.TAOBAO_B_HEADER, after), "later.csv")
    assert _counts(batch) == (2, 0, 1, 1)
    order = Order.objects.get(shop=shop, order_no="1")
    assert (order.status, order.status_text, order.batch_id) == (
        "shipped",
        "卖家已发货，等待买家确认",
        batch.pk,
    )
    history = list(
        order.status_changes.values_list("from_status", "to_status", "to_text", "batch__file_name")
    )
    assert history == [
        ("", "paid", "买家已付款，等待卖家发货", "ExportOrderList.csv"),
        ("paid", "shipped", "卖家已发货，等待买家确认", "later.csv"),
    ]


def test_a_bad_file_imports_nothing():
    shop = ShopFactory()
    rows = [s.taobao_b_row("1"), s.taobao_b_row("2", 买家实际支付金额="abc")]
    with pytest.raises(InvalidInput) as err:
        _import(shop, s.csv_bytes(s.TAOBAO_B_HEADER, rows), "bad.csv")
    assert err.value.message == "bad.csv 第 3 行「买家实际支付金额」列：不是金额：'abc'"
    assert not Order.objects.filter(shop=shop).exists()
    assert not ImportBatch.objects.filter(shop=shop).exists()


def test_a_bad_row_in_a_later_slice_rolls_back_what_earlier_slices_stored(monkeypatch):
    # On PostgreSQL the columnar path stores slice by slice; one order per slice here, so the
    # first two are written before the third turns out irregular. All of it is rolled back and
    # the row parser names the cell; on SQLite the row parser runs from the start.
    from kefu.orders.importers import columnar

    monkeypatch.setattr(columnar, "SLICE", 1)
    shop = ShopFactory()
    _import(shop, s.csv_bytes(s.TAOBAO_B_HEADER, [s.taobao_b_row("0")]), "first.csv")
    rows = [s.taobao_b_row("1"), s.taobao_b_row("2"), s.taobao_b_row("3", 买家实际支付金额="abc")]
    with pytest.raises(InvalidInput) as err:
        _import(shop, s.csv_bytes(s.TAOBAO_B_HEADER, rows), "bad.csv")
    assert err.value.message == "bad.csv 第 4 行「买家实际支付金额」列：不是金额：'abc'"
    assert list(Order.objects.filter(shop=shop).values_list("order_no", flat=True)) == ["0"]
    assert list(ImportBatch.objects.filter(shop=shop).values_list("file_name", flat=True)) == [
        "first.csv"
    ]
    assert OrderStatusChange.objects.filter(shop=shop).count() == 1
    # The same file, corrected, goes in slice by slice.
    rows[2] = s.taobao_b_row("3")
    batch = _import(shop, s.csv_bytes(s.TAOBAO_B_HEADER, rows), "good.csv")
    assert _counts(batch) == (3, 3, 0, 0)
    assert OrderStatusChange.objects.filter(shop=shop).count() == 4
    again = _import(shop, s.csv_bytes(s.TAOBAO_B_HEADER, [s.taobao_b_row("0"), *rows]))
    assert _counts(again) == (4, 0, 0, 4)


def test_the_columnar_path_stores_what_the_row_path_stores(tmp_path, monkeypatch):
    # The same export into two shops, once through each path, a slice of 50 orders at a time:
    # every stored field of every order, and the status history, are the same.
    from kefu.orders import columnar_store
    from kefu.orders.importers import columnar

    traffic = generate_month(demo_profile(scale=0.05, seed=6))
    path = tmp_path / "ExportOrderList.csv"
    n = write_taobao_orders(traffic, path)
    fast_shop, row_shop = ShopFactory(), ShopFactory()
    for shop in (fast_shop, row_shop):
        policy_adopt_preset(
            shop=shop, preset="taobao-s1", effective_from=dt.date(2026, 1, 1), acting_user=None
        )
    monkeypatch.setattr(columnar, "SLICE", 50)
    fast = _import(fast_shop, path.read_bytes())
    monkeypatch.setattr(columnar_store, "available", lambda: False)
    rows = _import(row_shop, path.read_bytes())
    assert _counts(fast) == _counts(rows) == (n, n, 0, 0)
    assert fast.warnings == rows.warnings
    skip = {"id", "shop", "batch", "updated_at"}
    fields = [f.attname for f in Order._meta.concrete_fields if f.name not in skip]

    def stored(shop):
        orders = Order.objects.filter(shop=shop).order_by("order_no")
        return [tuple(getattr(o, name) for name in fields) for o in orders]

    assert stored(fast_shop) == stored(row_shop)
    history = ["order__order_no", "from_status", "to_status", "from_text", "to_text"]
    assert list(
        OrderStatusChange.objects.filter(shop=fast_shop).order_by(*history).values_list(*history)
    ) == list(
        OrderStatusChange.objects.filter(shop=row_shop).order_by(*history).values_list(*history)
    )


def test_another_platforms_file_is_refused():
    shop = ShopFactory(platform="jd")
    with pytest.raises(InvalidInput) as err:
        _import(shop, s.csv_bytes(s.TAOBAO_B_HEADER, [s.taobao_b_row("1")]))
    assert err.value.message == (
        f"ExportOrderList.csv：这是淘宝/天猫 订单报表，而店铺「{shop.name}」是京东店铺"
    )


def _shop_with_agent(preset):
    shop = ShopFactory()
    policy_adopt_preset(
        shop=shop, preset=preset, effective_from=dt.date(2026, 1, 1), acting_user=None
    )
    assignment = AssignmentFactory(shop=shop, agent__name="王慧兰")
    SubAccountFactory(shop=shop, agent=assignment.agent, nickname=f"{shop.name}:慧兰")
    return shop, assignment.agent


def test_commission_flag_credits_the_agent_and_warns_about_unknown_names():
    shop, agent = _shop_with_agent("taobao-s4-standard")  # commission: blue "{agent}"
    rows = [
        s.taobao_b_row("1", 订单备注="慧兰", 旗帜颜色="4"),
        s.taobao_b_row("2", 订单备注="阿强", 旗帜颜色="4"),
        s.taobao_b_row("3", 订单备注="慧兰", 旗帜颜色="3"),
        s.taobao_b_row("4", 订单备注="王慧兰"),  # no flag: the note alone, a known name
    ]
    result = orders_import(
        shop=shop, data=s.csv_bytes(FLAG_HEADER, rows), filename="f.csv", acting_user=None
    )
    got = {
        o.order_no: (o.flag, o.flag_kind, o.flag_agent_id, o.flag_agent_name)
        for o in Order.objects.filter(shop=shop)
    }
    assert got == {
        "1": ("blue", "commission", agent.pk, "慧兰"),
        "2": ("blue", "commission", None, "阿强"),
        "3": ("green", "", None, ""),
        "4": ("", "commission", agent.pk, "王慧兰"),
    }
    assert result.warnings == ["备注中的客服「阿强」不是本店的客服或子账号（如订单 2）"]
    assert result.batch.warnings == result.warnings


def test_special_request_flag():
    shop, agent = _shop_with_agent("taobao-s4-points")  # special request: red "{content}_{agent}"
    rows = [s.taobao_b_row("1", 订单备注="发邮政快递_慧兰", 旗帜颜色="1")]
    _import(shop, s.csv_bytes(FLAG_HEADER, rows))
    order = Order.objects.get(shop=shop)
    assert (order.flag_kind, order.flag_agent_id, order.flag_content) == (
        "special_request",
        agent.pk,
        "发邮政快递",
    )


def test_item_report_before_and_after_order_report():
    shop = ShopFactory()
    items = s.csv_bytes(
        ["子订单编号", "主订单编号", "标题", "价格", "购买数量", "订单状态", "买家应付货款"],
        [
            {
                "子订单编号": "11",
                "主订单编号": '="1"',
                "标题": "杯",
                "价格": "10",
                "购买数量": "2",
                "订单状态": "买家已付款，等待卖家发货",
                "买家应付货款": "20",
            }
        ],
    )
    batch = _import(shop, items, "ExportOrderDetailList.csv")
    assert _counts(batch) == (1, 1, 0, 0)
    assert _counts(_import(shop, items, "ExportOrderDetailList.csv")) == (1, 0, 0, 1)
    orders = s.csv_bytes(s.TAOBAO_B_HEADER, [s.taobao_b_row("1")])
    assert _counts(_import(shop, orders)) == (1, 0, 1, 0)  # the stub becomes a full order
    order = Order.objects.get(shop=shop)
    assert order.buyer_nick == "tb_buyer"
    assert list(OrderLine.objects.filter(order=order).values_list("line_no", "quantity")) == [
        ("11", 2)
    ]


def test_pdd_lines_and_after_sales_are_idempotent():
    shop = ShopFactory(platform="pdd")
    header = [
        "商品",
        "订单号",
        "订单状态",
        "商品数量(件)",
        "支付时间",
        "订单成交时间",
        "用户实付金额(元)",
    ]
    rows = [
        {
            "商品": "杯",
            "订单号": "260517-1",
            "订单状态": "待发货",
            "商品数量(件)": "1",
            "支付时间": "2026-05-17 09:00:00",
            "用户实付金额(元)": "30",
        },
        {
            "商品": "盖",
            "订单号": "260517-1",
            "订单状态": "待发货",
            "商品数量(件)": "2",
            "用户实付金额(元)": "0",
        },
    ]
    data = s.csv_bytes(header, rows, "utf-8-sig")
    assert _counts(_import(shop, data, "pdd.csv")) == (2, 1, 0, 0)
    order = Order.objects.get(shop=shop)
    assert (order.paid_amount, order.lines.count()) == (Decimal("30.00"), 2)
    assert _counts(_import(shop, data, "pdd.csv")) == (2, 0, 0, 1)
    after = s.csv_bytes(
        ["售后编号", "订单编号", "售后状态", "申请时间", "退款金额"],
        [
            {
                "售后编号": "A1",
                "订单编号": "260517-1",
                "售后状态": "退款成功",
                "申请时间": "2026-05-18 10:00",
                "退款金额": "30",
            }
        ],
    )
    assert _counts(_import(shop, after, "售后.csv")) == (1, 1, 0, 0)
    assert _counts(_import(shop, after, "售后.csv")) == (1, 0, 0, 1)
    record = AfterSale.objects.get(shop=shop)
    assert (record.order_id, record.amount, record.kind) == (order.pk, Decimal("30.00"), "refund")


@pytest.mark.parametrize(
    "lines",
    [[], [{"宝贝标题": "保温杯", "数量": "2"}, {"宝贝标题": "杯盖\n加厚", "数量": "1"}]],
)
def test_the_raw_row_is_stored_as_cells_beside_its_header(lines):
    # One cell per header name ("" where the record has none), the header once, by key; the
    # digest covers the stored text and the goods lines.
    import hashlib

    from kefu.orders.importers import rawcells
    from kefu.orders.storing import _encoded_with_digest

    header = ["订单编号", "买家会员名", "备注", "空列"]
    raw = {"订单编号": '="1930679858170647"', "买家会员名": "小\\王", "备注": '说"好"'}
    key = rawcells.header_key(header)
    assert (
        key
        == hashlib.md5(
            '["订单编号", "买家会员名", "备注", "空列"]'.encode(), usedforsecurity=False
        ).hexdigest()[:16]
    )
    raw_text, digest = _encoded_with_digest(key, header, raw, lines)
    assert raw_text == f'["{key}","=\\"1930679858170647\\"","小\\\\王","说\\"好\\"",""]'
    lines_json = json.dumps(lines, ensure_ascii=False)
    assert (
        digest
        == hashlib.md5(f"[{raw_text}, {lines_json}]".encode(), usedforsecurity=False).hexdigest()
    )
    assert rawcells.as_dict(header, json.loads(raw_text)[1:]) == raw


def test_an_order_reads_its_raw_record_back_as_the_dict_the_export_gave():
    shop = ShopFactory()
    data = s.csv_bytes(s.TAOBAO_B_HEADER, [s.taobao_b_row("1930679858170647")])
    _import(shop, data)
    order = Order.objects.get(shop=shop)
    expected = parse_file(data, "ExportOrderList.csv").orders[0].raw
    assert order.raw == expected
    assert Order.objects.filter(pk=order.pk).values_list("raw", flat=True).get() == expected
    key = RawHeader.objects.get().key
    # Stored once: the header's names beside the cells.
    assert RawHeader.objects.get().names == parse_file(data, "x.csv").header
    with connection.cursor() as cursor:
        cursor.execute("SELECT raw FROM orders_order WHERE id = %s", [order.pk])
        assert json.loads(cursor.fetchone()[0])[0] == key
    # A dict written by hand (an erasure, a test) is kept and read as it is.
    Order.objects.filter(pk=order.pk).update(raw={"省": "浙江"})
    assert Order.objects.get(pk=order.pk).raw == {"省": "浙江"}
