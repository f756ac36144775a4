"""Storing imports: idempotent upserts, status history, atomic failure, flag attribution."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kefu.core.errors import InvalidInput
from kefu.core.models import AuditEntry
from kefu.core.tests.factories import AssignmentFactory, ShopFactory, SubAccountFactory
from kefu.demo.traffic import generate_month
from kefu.demo.traffic.exports import write_taobao_orders
from kefu.demo.traffic.profiles import demo_profile
from kefu.orders.models import AfterSale, ImportBatch, Order, OrderLine, OrderStatusChange
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
def test_the_single_encoding_gives_the_stored_digest(lines):
    # Stored row hashes were made by _digest; the import now encodes each row once, and a
    # different digest would make every stored order look changed on the next import.
    from kefu.orders.services import _digest, _encoded_with_digest

    raw = {"订单编号": '="1930679858170647"', "买家会员名": "小\\王", "备注": '说"好"'}
    raw_json, digest = _encoded_with_digest(raw, lines)
    assert (
        raw_json
        == '{"订单编号": "=\\"1930679858170647\\"", "买家会员名": "小\\\\王", "备注": "说\\"好\\""}'
    )
    assert digest == _digest(raw, lines)
