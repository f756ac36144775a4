"""The pure parsers against every header generation and quirk of shared FORMATS.md."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kefu.demo.traffic import Platform, generate_month
from kefu.demo.traffic.exports import write_pdd_orders, write_taobao_orders
from kefu.demo.traffic.profiles import demo_profile
from kefu.orders.importers import ImportFileError, parse_file
from kefu.orders.tests import samples as s


def test_taobao_generation_a_tab_separated_gbk():
    parsed = parse_file(s.taobao_a([s.TAOBAO_A_ROW]), "ExportOrderList201605.csv")
    assert parsed.spec.kind == "taobao_orders"
    [order] = parsed.orders
    assert order.order_no == "1930679858170647"
    assert order.buyer_nick == "幸福蔓岩1627"
    assert order.status == "paid"
    assert order.created_at == dt.datetime(2016, 5, 23, 22, 2)
    assert order.total_amount == Decimal("598")
    assert order.raw["联系手机"] == "'18618486065"  # the raw record keeps the cell as written
    assert order.raw["买家服务费"] == "0元"
    assert parsed.warnings == []


def test_taobao_generation_b_trailing_spaces_formula_numbers_and_later_columns():
    header = [*s.TAOBAO_B_HEADER, "新增的列"]
    row = s.taobao_b_row("4012345678901234567", 新增的列="新值")
    parsed = parse_file(s.csv_bytes(header, [row]), "ExportOrderList2026.csv")
    [order] = parsed.orders
    assert order.order_no == "4012345678901234567"
    assert order.paid_at == dt.datetime(2026, 5, 3, 10, 1, 30)
    assert order.paid_amount == Decimal("129.00")
    # Trailing spaces are stripped from names; unknown columns are kept in the raw record.
    assert order.raw["订单付款时间"] == "2026-05-03 10:01:30"
    assert order.raw["新增的列"] == "新值"
    assert order.raw["打款商家金额"] == "129.00元"


def test_encodings_utf8_bom_gb18030_and_gb2312():
    row = s.taobao_b_row("1")
    for encoding in ("utf-8-sig", "utf-8", "gb18030", "gb2312"):
        parsed = parse_file(s.csv_bytes(s.TAOBAO_B_HEADER, [row], encoding), "a.csv")
        assert parsed.orders[0].status_text == "买家已付款，等待卖家发货", encoding


def test_unknown_status_is_a_warning_and_other():
    row = s.taobao_b_row("1", status="部分发货")
    parsed = parse_file(s.csv_bytes(s.TAOBAO_B_HEADER, [row]), "a.csv")
    assert parsed.orders[0].status == "other"
    assert parsed.warnings == ["第 2 行：未知订单状态「部分发货」，记为“其他”"]


def test_missing_required_column_names_file_and_column():
    header = [h for h in s.TAOBAO_B_HEADER if h != "订单状态"]
    with pytest.raises(ImportFileError) as err:
        parse_file(s.csv_bytes(header, [s.taobao_b_row("1")]), "ExportOrderList.csv")
    assert (
        str(err.value) == "ExportOrderList.csv 第 1 行：淘宝/天猫 订单报表缺少必需的列「订单状态」"
    )
    refund = s.csv_bytes(["退款编号", "订单编号", "买家退款金额"], [])
    with pytest.raises(ImportFileError) as err:
        parse_file(refund, "refunds.csv")
    assert str(err.value) == "refunds.csv 第 1 行：淘宝/天猫 退款管理缺少必需的列「退款状态」"


def test_unrecognised_file_and_empty_order_number():
    with pytest.raises(ImportFileError) as err:
        parse_file("姓名,电话\n张三,1\n".encode(), "people.csv")
    assert str(err.value).startswith(
        "people.csv 第 1 行：无法识别的导出格式（表头不符合：淘宝/天猫 订单报表、"
    )
    header = ["订单号", "订单状态", "商品数量(件)"]
    with pytest.raises(ImportFileError) as err:
        parse_file(s.csv_bytes(header, [{"订单状态": "待发货", "订单号": ""}]), "pdd.csv")
    assert str(err.value) == "pdd.csv 第 2 行「订单号」列：不能为空"


def test_bad_cell_names_file_line_and_column():
    rows = [s.taobao_b_row("1"), s.taobao_b_row("2", 总金额="12x.00")]
    with pytest.raises(ImportFileError) as err:
        parse_file(s.csv_bytes(s.TAOBAO_B_HEADER, rows), "ExportOrderList.csv")
    assert str(err.value) == "ExportOrderList.csv 第 3 行「总金额」列：不是金额：'12x.00'"
    assert (err.value.line, err.value.column) == (3, "总金额")


def test_bad_date_names_the_column_with_its_trailing_space_trimmed():
    rows = [s.taobao_b_row("1", **{"订单付款时间 ": "昨天"})]
    with pytest.raises(ImportFileError) as err:
        parse_file(s.csv_bytes(s.TAOBAO_B_HEADER, rows), "b.csv")
    assert str(err.value) == "b.csv 第 2 行「订单付款时间」列：不是日期时间：'昨天'"


def test_xlsx_reads_like_csv():
    row = {**s.taobao_b_row("88"), "订单编号": "88", "总金额": 129.5}
    row["订单创建时间"] = dt.datetime(2026, 5, 3, 10, 0)
    parsed = parse_file(s.xlsx_bytes(s.TAOBAO_B_HEADER, [row]), "orders.xlsx")
    [order] = parsed.orders
    assert (order.order_no, order.total_amount) == ("88", Decimal("129.5"))
    assert order.created_at == dt.datetime(2026, 5, 3, 10, 0)


def test_item_report_old_and_new():
    old = s.csv_bytes(
        [
            "订单编号",
            "标题",
            "价格",
            "购买数量",
            "外部系统编号",
            "商品属性",
            "套餐信息",
            "备注",
            "订单状态",
            "商家编码",
        ],
        [
            {
                "订单编号": '="1"',
                "标题": "杯",
                "价格": "10.00",
                "购买数量": "2",
                "订单状态": "交易成功",
                "商家编码": "null",
            },
            {
                "订单编号": '="1"',
                "标题": "盖",
                "价格": "1.00",
                "购买数量": "1",
                "订单状态": "交易成功",
            },
        ],
    )
    parsed = parse_file(old, "ExportOrderDetailList.csv")
    assert parsed.spec.kind == "taobao_items"
    [order] = parsed.orders
    assert [(li.line_no, li.title, li.sku, li.quantity) for li in order.lines] == [
        ("1", "杯", "", 2),
        ("2", "盖", "", 1),
    ]
    new_header = [
        "子订单编号",
        "主订单编号",
        "标题",
        "价格",
        "购买数量",
        "订单状态",
        "买家应付货款",
    ]
    new = s.csv_bytes(
        new_header,
        [
            {
                "子订单编号": '="11"',
                "主订单编号": '="1"',
                "标题": "杯",
                "价格": "10",
                "购买数量": "1",
                "订单状态": "交易成功",
                "买家应付货款": "10",
            }
        ],
    )
    [order] = parse_file(new, "d.csv").orders
    assert (order.order_no, order.lines[0].line_no) == ("1", "11")


def test_pdd_date_prefix_blank_deal_time_masked_province_and_leading_space(tmp_path):
    traffic = generate_month(demo_profile(scale=0.05, seed=3, platform=Platform.PDD))
    path = tmp_path / "pdd.csv"
    write_pdd_orders(traffic, path)
    parsed = parse_file(path.read_bytes(), "pdd.csv")
    assert parsed.spec.kind == "pdd_orders"
    assert len(parsed.orders) == traffic.orders.height
    blank = [o for o in parsed.orders if "订单成交时间" not in o.raw]  # empty cells are left out
    assert blank, "the generator leaves some deal times blank"
    for order in blank:
        prefix = dt.datetime.strptime(order.order_no[:6], "%y%m%d").date()
        assert order.created_at is not None and order.created_at.date() == prefix
    assert blank[0].raw["用户购买手机号"] != ""  # the leading space of the name is trimmed
    assert any(o.raw["省"] == "****" for o in parsed.orders)
    by_no = {row["order_no"]: row for row in traffic.orders.iter_rows(named=True)}
    for order in parsed.orders:
        expected = by_no[order.order_no]["amount"] if by_no[order.order_no]["paid"] else 0
        assert order.paid_amount == Decimal(str(expected))


def test_taobao_demo_export_round_trip(tmp_path):
    traffic = generate_month(demo_profile(scale=0.05, seed=4))
    path = tmp_path / "ExportOrderList.csv"
    write_taobao_orders(traffic, path)
    parsed = parse_file(path.read_bytes(), path.name)
    assert [o.order_no for o in parsed.orders] == traffic.orders["order_no"].to_list()
    assert [o.seller_note for o in parsed.orders] == traffic.orders["note"].to_list()
    assert parsed.warnings == []


def test_jd_gb2312_split_note_and_flag_level():
    row = {
        "订单号": "11729439935",
        "商品名称": "杯",
        "订购数量": "2",
        "下单时间": "2017-03-01 09:00:00",
        "京东价": "50.00",
        "订单金额": "100.00",
        "应付金额": "100.00",
        "订单状态": "(删除)等待出库",
        "下单帐号": "jd_buyer",
        "商家备注": "订单拆分为 11729439936 11749907506",
        "商家备注等级（等级1-5为由高到低）": "4",
    }
    parsed = parse_file(s.csv_bytes(s.JD_HEADER, [row], "gb2312"), "jd.csv")
    [order] = parsed.orders
    assert parsed.spec.kind == "jd_orders"
    assert (order.status, order.flag) == ("paid", "blue")
    assert order.split_into == ["11729439936", "11749907506"]
    assert order.lines[0].price == Decimal("50.00")


def test_douyin_thousands_separators_flag_text_and_sub_orders():
    rows = [
        {
            "主订单编号": "4900",
            "子订单编号": "4901",
            "选购商品": "沙发",
            "商品数量": "1",
            "订单应付金额": "1,299.00",
            "订单提交时间": "2026-05-01 12:00:00",
            "旗帜颜色": "红旗",
            "商家备注": "送赠品_小美",
            "订单状态": "已完成",
        },
        {
            "主订单编号": "4900",
            "子订单编号": "4902",
            "选购商品": "靠垫",
            "商品数量": "2",
            "订单应付金额": "1,000.50",
            "订单提交时间": "2026-05-01 12:00:00",
            "订单状态": "已完成",
        },
    ]
    [order] = parse_file(s.csv_bytes(s.DOUYIN_HEADER, rows, "utf-8"), "dy.csv").orders
    assert order.total_amount == Decimal("2299.50")
    assert (order.flag, order.status, order.seller_note) == ("red", "finished", "送赠品_小美")
    assert [li.line_no for li in order.lines] == ["4901", "4902"]


def test_refund_and_compensation_exports():
    refund = s.csv_bytes(
        ["退款编号", "订单编号", "退款状态", "退款的申请时间", "买家退款金额", "手工退款_系统退款"],
        [
            {
                "退款编号": "R1",
                "订单编号": '="1"',
                "退款状态": "退款成功",
                "退款的申请时间": "2026-05-04 08:00:00",
                "买家退款金额": "20.00元",
                "手工退款_系统退款": "系统退款",
            }
        ],
    )
    parsed = parse_file(refund, "refunds.csv")
    [rec] = parsed.after_sales
    assert (parsed.spec.kind, rec.ref_no, rec.order_no, rec.amount) == (
        "taobao_refunds",
        "R1",
        "1",
        Decimal("20.00"),
    )
    assert "手工退款_系统退款" in rec.raw
    pdd = s.csv_bytes(
        [
            "订单号",
            "商品ID",
            "商品名称",
            "扣款原因",
            "申请人",
            "申请时间",
            "申请扣款金额",
            "打款状态",
        ],
        [
            {
                "订单号": "260501-1",
                "扣款原因": "小额打款",
                "申请时间": "2026-05-02 10:00:00",
                "申请扣款金额": "5",
                "打款状态": "已打款",
            }
        ],
    )
    [rec] = parse_file(pdd, "pdd_pay.csv").after_sales
    assert (rec.kind, rec.ref_no, rec.amount) == ("compensation", "260501-1@20260502100000", 5)
    jd = s.csv_bytes(
        ["店铺名称", "申请时间", "赔付单号", "关联订单号", "关联服务单号", "赔付金额", "赔付原因"],
        [{"赔付单号": "P9", "关联订单号": "11729439935", "赔付金额": "null"}],
    )
    [rec] = parse_file(jd, "jd_pay.csv").after_sales
    assert (rec.ref_no, rec.amount) == ("P9", None)


def test_duplicate_order_in_order_report_is_an_error():
    rows = [s.taobao_b_row("1"), s.taobao_b_row("1")]
    with pytest.raises(ImportFileError) as err:
        parse_file(s.csv_bytes(s.TAOBAO_B_HEADER, rows), "dup.csv")
    assert str(err.value) == "dup.csv 第 3 行「订单编号」列：订单 1 重复出现（第一次在第 2 行）"


def test_not_decodable_and_empty_files():
    with pytest.raises(ImportFileError) as err:
        parse_file(b"", "empty.csv")
    assert str(err.value) == "empty.csv：文件是空的，没有表头"
    with pytest.raises(ImportFileError) as err:
        parse_file(b"\x81\x30\xff\xff\n", "junk.csv")
    assert str(err.value).startswith("junk.csv 第 1 行：无法识别文件编码")
