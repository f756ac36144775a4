"""Small export files in each header generation of shared FORMATS.md, built in code so each
quirk is visible where it is tested."""

from __future__ import annotations

import io

# 1a generation A: 42 columns, tab-separated, GBK, dates through Excel, ' before the phone.
TAOBAO_A_HEADER = [
    "订单编号",
    "买家会员名",
    "买家支付宝账号",
    "买家应付货款",
    "买家应付邮费",
    "买家支付积分",
    "总金额",
    "返点积分",
    "买家实际支付金额",
    "买家实际支付积分",
    "订单状态",
    "买家留言",
    "收货人姓名",
    "收货地址",
    "运送方式",
    "联系电话",
    "联系手机",
    "订单创建时间",
    "订单付款时间",
    "宝贝标题",
    "宝贝种类",
    "物流单号",
    "物流公司",
    "订单备注",
    "宝贝总数量",
    "店铺Id",
    "店铺名称",
    "订单关闭原因",
    "卖家服务费",
    "买家服务费",
    "发票抬头",
    "是否手机订单",
    "分阶段订单信息",
    "特权订金订单id",
    "定金排名",
    "修改后的sku",
    "修改后的收货地址",
    "异常信息",
    "天猫卡券抵扣",
    "集分宝抵扣",
    "是否是O2O交易",
]


def taobao_a(rows: list[dict[str, str]]) -> bytes:
    lines = ["\t".join(TAOBAO_A_HEADER)]
    for row in rows:
        lines.append("\t".join(row.get(h, "") for h in TAOBAO_A_HEADER))
    return ("\r\n".join(lines) + "\r\n").encode("gbk")


TAOBAO_A_ROW = {
    "订单编号": "1930679858170647",
    "买家会员名": "幸福蔓岩1627",
    "买家应付货款": "598",
    "总金额": "598",
    "买家实际支付金额": "598",
    "订单状态": "买家已付款，等待卖家发货",
    "联系手机": "'18618486065",
    "订单创建时间": "2016/5/23 22:02",
    "订单付款时间": "2016/5/23 22:02",
    "宝贝标题": "日本直邮",
    "宝贝总数量": "1",
    "订单关闭原因": "订单未关闭",
    "买家服务费": "0元",
    "是否手机订单": "手机订单",
}

# 1a generation B: 54 columns, comma-separated, six names with a trailing space.
TAOBAO_B_HEADER = [
    "订单编号",
    "买家会员名",
    "买家支付宝账号",
    "买家应付货款",
    "买家应付邮费",
    "买家支付积分",
    "总金额",
    "返点积分",
    "买家实际支付金额",
    "买家实际支付积分",
    "订单状态",
    "买家留言",
    "收货人姓名",
    "收货地址 ",
    "运送方式",
    "联系电话 ",
    "联系手机",
    "订单创建时间",
    "订单付款时间 ",
    "宝贝标题 ",
    "宝贝种类 ",
    "物流单号 ",
    "物流公司",
    "订单备注",
    "宝贝总数量",
    "店铺Id",
    "店铺名称",
    "订单关闭原因",
    "卖家服务费",
    "买家服务费",
    "发票抬头",
    "是否手机订单",
    "分阶段订单信息",
    "特权订金订单id",
    "是否上传合同照片",
    "是否上传小票",
    "是否代付",
    "定金排名",
    "修改后的sku",
    "修改后的收货地址",
    "异常信息",
    "天猫卡券抵扣",
    "集分宝抵扣",
    "是否是O2O交易",
    "新零售交易类型",
    "新零售导购门店名称",
    "新零售导购门店id",
    "新零售发货门店名称",
    "新零售发货门店id",
    "退款金额",
    "预约门店",
    "确认收货时间",
    "打款商家金额",
    "含应开票给个人的个人红包",
]


def csv_bytes(header: list[str], rows: list[dict[str, str]], encoding: str = "gb18030") -> bytes:
    def cell(value: str) -> str:
        return (
            f'"{value.replace(chr(34), chr(34) * 2)}"' if any(c in value for c in ',"') else value
        )

    lines = [",".join(cell(h) for h in header)]
    lines += [",".join(cell(row.get(h, "")) for h in header) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def taobao_b_row(order_no: str, status: str = "买家已付款，等待卖家发货", **extra: str) -> dict:
    row = {
        "订单编号": f'="{order_no}"',
        "买家会员名": "tb_buyer",
        "买家应付货款": "129.00",
        "总金额": "129.00",
        "买家实际支付金额": "129.00",
        "订单状态": status,
        "联系手机": "'13812345678",
        "订单创建时间": "2026-05-03 10:00:00",
        "订单付款时间 ": "2026-05-03 10:01:30",
        "宝贝标题 ": "保温杯",
        "订单备注": "",
        "商家编码": "null",
        "退款金额": "0.00",
        "打款商家金额": "129.00元",
    }
    row.update(extra)
    return row


def xlsx_bytes(header: list[str], rows: list[dict[str, object]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(h) for h in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


JD_HEADER = [
    "订单号",
    "商品ID",
    "商品名称",
    "订购数量",
    "支付方式",
    "下单时间",
    "京东价",
    "订单金额",
    "结算金额",
    "余额支付",
    "应付金额",
    "订单状态",
    "订单类型",
    "下单帐号",
    "客户姓名",
    "客户地址",
    "联系电话",
    "订单备注",
    "发票类型",
    "发票抬头",
    "发票内容",
    "商家备注",
    "商家备注等级（等级1-5为由高到低）",
    "运费金额",
    "付款确认时间",
    "增值税发票",
    "货号",
    "订单完成时间",
    "订单来源",
    "订单渠道",
    "送装服务",
    "服务费",
    "仓库ID",
    "仓库名称",
    "普通发票纳税编号",
    "商家SKUID",
]

DOUYIN_HEADER = [
    "主订单编号",
    "子订单编号",
    "选购商品",
    "商品规格",
    "商品数量",
    "商品ID",
    "商家编码",
    "商品单价",
    "订单应付金额",
    "运费",
    "优惠总金额",
    "平台优惠",
    "商家优惠",
    "达人优惠",
    "商家改价",
    "支付优惠",
    "红包抵扣",
    "支付方式",
    "手续费",
    "收件人",
    "收件人手机号",
    "省",
    "市",
    "区",
    "街道",
    "详细地址",
    "是否修改过地址",
    "买家留言",
    "订单提交时间",
    "旗帜颜色",
    "商家备注",
    "订单完成时间",
    "支付完成时间",
    "APP渠道",
    "流量来源",
    "订单状态",
    "承诺发货时间",
    "订单类型",
]
