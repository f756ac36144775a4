"""The platforms' file formats as the writers produce them (shared FORMATS.md 1a, 1c, 1d).

Headers are written as comma-joined text, exactly as they appear in the files, so a trailing or
leading space inside a name stays visible. Where FORMATS.md is silent a choice is marked
"(guess)".
"""

from __future__ import annotations

from kefu.demo.traffic.model import OrderStatus


def _columns(*parts: str) -> tuple[str, ...]:
    return tuple(",".join(parts).split(","))


# --- 1a. Taobao/Tmall 订单报表 (ExportOrderList*.csv), generation B (about 2019), 54 columns.
# The names and their order are the pandas `names=[...]` list quoted in FORMATS.md 1a; six of
# them end in a space (收货地址 , 联系电话 , 订单付款时间 , 宝贝标题 , 宝贝种类 , 物流单号 ).
TAOBAO_ORDER_HEADER = _columns(
    "订单编号,买家会员名,买家支付宝账号,买家应付货款,买家应付邮费,买家支付积分,总金额",
    "返点积分,买家实际支付金额,买家实际支付积分,订单状态,买家留言,收货人姓名,收货地址 ",
    "运送方式,联系电话 ,联系手机,订单创建时间,订单付款时间 ,宝贝标题 ,宝贝种类 ,物流单号 ",
    "物流公司,订单备注,宝贝总数量,店铺Id,店铺名称,订单关闭原因,卖家服务费,买家服务费",
    "发票抬头,是否手机订单,分阶段订单信息,特权订金订单id,是否上传合同照片,是否上传小票",
    "是否代付,定金排名,修改后的sku,修改后的收货地址,异常信息,天猫卡券抵扣,集分宝抵扣",
    "是否是O2O交易,新零售交易类型,新零售导购门店名称,新零售导购门店id,新零售发货门店名称",
    "新零售发货门店id,退款金额,预约门店,确认收货时间,打款商家金额,含应开票给个人的个人红包",
)
TAOBAO_ENCODING = "gb18030"  # GBK-family, as every public reader of these files assumes
TAOBAO_STATUS = {
    OrderStatus.WAIT_BUYER_PAY: "等待买家付款",
    OrderStatus.WAIT_SELLER_SEND_GOODS: "买家已付款，等待卖家发货",
    OrderStatus.WAIT_BUYER_CONFIRM_GOODS: "卖家已发货，等待买家确认",
    OrderStatus.TRADE_FINISHED: "交易成功",
    OrderStatus.TRADE_CLOSED: "交易关闭",
    OrderStatus.TRADE_CLOSED_BY_TAOBAO: "交易关闭",
}
# 订单关闭原因: "订单未关闭" is in the documented sample row; the two reasons are (guess).
TAOBAO_OPEN = "订单未关闭"
TAOBAO_CLOSE_REASON = {
    OrderStatus.TRADE_CLOSED: "退款",
    OrderStatus.TRADE_CLOSED_BY_TAOBAO: "买家未付款",
}

# --- 1d. Pinduoduo 商家后台 订单导出: the 82 columns listed in the 2023 import model, with the
# "…四级类目" of FORMATS.md spelled out as in the source. The model maps ` 用户购买手机号` with a
# leading space, so the real header has one.
PDD_ORDER_HEADER = _columns(
    "商品,订单号,订单状态,商品数量(件),是否审核中,支付时间,承诺发货时间,承诺送达时间",
    "发货时间,确认收货时间,商品id,商品规格,样式ID",
    "商品一级类目,商品二级类目,商品三级类目,商品四级类目",
    "商家编码-规格维度,商家编码-商品维度,商家备注,买家留言",
    "售后状态,消费者资料,订单成交时间,消费者资料上传时间",
    "赠品名称,赠品id,赠品规格,赠品数量,团ID,团身份",
    "是否已开始配送,配送员是否已送达,配送状态,同城是否普通快递",
    "商品总价(元),邮费(元),店铺优惠折扣(元),平台优惠折扣(元),多多支付立减金额(元)",
    "上门安装费(元),送货入户费(元),送货入户并安装费(元),用户实付金额(元),商家实收金额(元)",
    "快递单号,快递公司,省,市,区,街道/镇,配送员手机号",
    "是否抽奖或0元试用,是否顺丰加价, 用户购买手机号",
    "旅行类信息,充值号码,是否门店自提,门店名称,门店自定义编码",
    "关联货品编码,货品名称,货品类型,子货品,仓库名称,仓库所在地址",
    "海淘清关订单号,支付ID,支付方式,保税仓,是否直播间成交,是否直播间引导成交",
    "预约配送时间,是否节能补贴,是否分期,分期期数,手续费承担方",
    "是否无痕发货,订单来源,是否社区团购,小区送达情况,分期方式",
)
PDD_PHONE = " 用户购买手机号"
# (guess) FORMATS.md does not say; UTF-8 with a BOM is what opens cleanly in Excel.
PDD_ENCODING = "utf-8-sig"
# 已收货 is documented; the other words are (guess).
PDD_STATUS = {
    OrderStatus.WAIT_BUYER_PAY: "待支付",
    OrderStatus.WAIT_SELLER_SEND_GOODS: "待发货",
    OrderStatus.WAIT_BUYER_CONFIRM_GOODS: "已发货，待收货",
    OrderStatus.TRADE_FINISHED: "已收货",
    OrderStatus.TRADE_CLOSED: "已取消",
    OrderStatus.TRADE_CLOSED_BY_TAOBAO: "已取消",
}
PDD_NO_AFTER_SALES = "无售后或售后取消"  # documented
PDD_REFUNDED = "退款成功"  # (guess)

# --- 1c. Qianniu chat record, copied out of the chat window (the layout a public parser reads).
QIANNIU_ENCODING = "utf-8"  # clipboard text saved as a file
QIANNIU_NEWLINE = "\r\n"  # the parser splits on CRLF
QIANNIU_TIME = "%Y-%-m-%-d %-H:%M:%S"  # 2024-1-2 10:00:00: no zero padding
AUTO_REPLY_MARK = "[自动回复]"  # (guess) how the chat window labels an auto-reply
READ_MARK = "已读"  # status line under the shop's messages

DATETIME = "%Y-%m-%d %H:%M:%S"
