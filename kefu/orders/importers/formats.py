"""Which export a file is and where each field lives in it (shared FORMATS.md 1a, 1b, 1d, 1e).

Columns are found by name, never by position: every header generation and any later one with
extra columns reads without code changes. Each field lists the names seen for it across
generations; a name is compared after `normalise` (spaces dropped, full-width brackets and the
`_` some tools write for `/` unified), so `订单付款时间 ` and `手工退款_系统退款` match.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

_SPACES = re.compile(r"\s+")
_TRANSLATE = str.maketrans({"（": "(", "）": ")", "_": "/", "：": ":"})


def normalise(name: str) -> str:
    return _SPACES.sub("", name).translate(_TRANSLATE)


@dataclass(frozen=True)
class Spec:
    kind: str
    platform: str  # kefu.core.choices.Platform values; kept as text so this stays Django-free
    label: str
    detect: tuple[str, ...]  # all of these headers present → this format
    fields: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    record: str = "order"  # "order" (orders and their lines) or "after_sale"
    after_sale_kind: str = ""
    grouped: bool = False  # one row per goods line: rows of an order are merged
    exclude: tuple[str, ...] = field(default=())  # headers that rule this format out


ORDER = "order"
AFTER_SALE = "after_sale"

SPECS: tuple[Spec, ...] = (
    Spec(
        kind="taobao_orders",
        platform="taobao",
        label="淘宝/天猫 订单报表",
        detect=("订单编号", "买家会员名"),
        fields={
            "order_no": ("订单编号",),
            "buyer_nick": ("买家会员名",),
            "status": ("订单状态",),
            "created_at": ("订单创建时间",),
            "paid_at": ("订单付款时间",),
            "total_amount": ("总金额", "买家应付货款"),
            "paid_amount": ("买家实际支付金额",),
            "refund_amount": ("退款金额",),
            "seller_note": ("订单备注", "卖家备注", "商家备注"),
            "buyer_message": ("买家留言",),
            # Not in generations A and B; the TOP API's seller_flag under the names a later
            # export or a re-export through an ERP would use (guess).
            "flag": ("旗帜颜色", "卖家旗帜", "插旗颜色", "旗帜", "seller_flag"),
            "title": ("宝贝标题",),
            "quantity": ("宝贝总数量",),
        },
        required=("order_no", "status"),
    ),
    Spec(
        kind="taobao_items",
        platform="taobao",
        label="淘宝/天猫 宝贝报表",
        detect=("标题", "价格", "购买数量"),
        fields={
            "order_no": ("主订单编号", "订单编号"),
            "line_no": ("子订单编号",),
            "status": ("订单状态",),
            "title": ("标题",),
            "price": ("价格",),
            "quantity": ("购买数量",),
            "sku": ("商家编码", "外部系统编号"),
            "total_amount": ("买家应付货款",),
            "paid_amount": ("买家实际支付金额",),
            "refund_amount": ("退款金额",),
            "created_at": ("订单创建时间",),
            "paid_at": ("订单付款时间",),
        },
        required=("order_no", "title", "quantity"),
        grouped=True,
    ),
    Spec(
        kind="pdd_orders",
        platform="pdd",
        label="拼多多 订单导出",
        detect=("订单号", "商品数量(件)"),
        fields={
            "order_no": ("订单号",),
            "status": ("订单状态",),
            "created_at": ("订单成交时间",),
            "paid_at": ("支付时间",),
            "total_amount": ("商品总价(元)",),
            "paid_amount": ("用户实付金额(元)", "商家实收金额(元)"),
            "seller_note": ("商家备注",),
            "buyer_message": ("买家留言",),
            "after_sale": ("售后状态",),
            "title": ("商品",),
            "quantity": ("商品数量(件)",),
            "sku": ("商家编码-规格维度", "商家编码-商品维度"),
        },
        required=("order_no", "status"),
        grouped=True,
    ),
    Spec(
        kind="jd_orders",
        platform="jd",
        label="京东 订单导出",
        detect=("订单号", "下单时间"),
        fields={
            "order_no": ("订单号",),
            "buyer_nick": ("下单帐号", "下单账号"),
            "status": ("订单状态",),
            "created_at": ("下单时间",),
            "paid_at": ("付款确认时间",),
            "total_amount": ("订单金额",),
            "paid_amount": ("应付金额",),
            "seller_note": ("商家备注",),
            "flag": ("商家备注等级(等级1-5为由高到低)", "商家备注等级"),
            "buyer_message": ("订单备注",),
            "title": ("商品名称",),
            "quantity": ("订购数量",),
            "price": ("京东价",),
            "sku": ("商家SKUID", "货号"),
        },
        required=("order_no", "status"),
        grouped=True,
    ),
    Spec(
        kind="douyin_orders",
        platform="douyin",
        label="抖店 订单导出",
        detect=("主订单编号", "子订单编号", "选购商品"),
        fields={
            "order_no": ("主订单编号",),
            "line_no": ("子订单编号",),
            "status": ("订单状态",),
            "created_at": ("订单提交时间",),
            "paid_at": ("支付完成时间",),
            "total_amount": ("订单应付金额",),
            "seller_note": ("商家备注",),
            "flag": ("旗帜颜色",),
            "buyer_message": ("买家留言",),
            "after_sale": ("售后状态",),
            "title": ("选购商品",),
            "quantity": ("商品数量",),
            "price": ("商品单价",),
            "sku": ("商家编码",),
        },
        required=("order_no", "status"),
        grouped=True,
    ),
    Spec(
        kind="taobao_refunds",
        platform="taobao",
        label="淘宝/天猫 退款管理",
        detect=("退款编号", "订单编号"),
        fields={
            "ref_no": ("退款编号",),
            "order_no": ("订单编号",),
            "status": ("退款状态",),
            "applied_at": ("退款的申请时间",),
            "amount": ("买家退款金额",),
            "reason": ("买家退款原因",),
            "phase": ("售中或售后",),
        },
        required=("ref_no", "order_no", "status"),
        record=AFTER_SALE,
        after_sale_kind="refund",
    ),
    Spec(
        kind="douyin_after_sales",
        platform="douyin",
        label="抖店 售后表",
        detect=("售后单号", "订单号"),
        fields={
            "ref_no": ("售后单号",),
            "order_no": ("订单号",),
            "status": ("售后状态",),
            "applied_at": ("售后申请时间",),
            "amount": ("退商品金额(元)",),
            "reason": ("售后类型",),
        },
        required=("ref_no", "order_no", "status"),
        record=AFTER_SALE,
        after_sale_kind="refund",
    ),
    Spec(
        kind="pdd_after_sales",
        platform="pdd",
        label="拼多多 售后",
        detect=("售后编号", "订单编号"),
        fields={
            "ref_no": ("售后编号",),
            "order_no": ("订单编号",),
            "status": ("售后状态",),
            "applied_at": ("申请时间", "售后申请时间"),
            "amount": ("退款金额", "退款金额(元)"),
            "reason": ("售后原因", "售后类型"),
        },
        required=("ref_no", "order_no", "status"),
        record=AFTER_SALE,
        after_sale_kind="refund",
    ),
    Spec(
        kind="jd_compensation",
        platform="jd",
        label="京东 赔付",
        detect=("赔付单号", "关联订单号"),
        fields={
            "ref_no": ("赔付单号",),
            "order_no": ("关联订单号",),
            "status": ("赔付状态",),
            "applied_at": ("申请时间",),
            "amount": ("赔付金额",),
            "reason": ("赔付原因",),
            "applicant": ("申请人",),
        },
        required=("ref_no", "order_no", "amount"),
        record=AFTER_SALE,
        after_sale_kind="compensation",
    ),
    Spec(
        kind="douyin_compensation",
        platform="douyin",
        label="抖店 打款",
        detect=("支付流水号", "订单编号", "打款金额"),
        fields={
            "ref_no": ("支付流水号",),
            "order_no": ("订单编号",),
            "status": ("打款状态",),
            "applied_at": ("打款申请时间",),
            "amount": ("打款金额",),
            "reason": ("打款类型",),
            "applicant": ("打款申请人",),
        },
        required=("ref_no", "order_no", "amount"),
        record=AFTER_SALE,
        after_sale_kind="compensation",
    ),
    Spec(
        kind="pdd_compensation",
        platform="pdd",
        label="拼多多 打款",
        detect=("订单号", "扣款原因", "申请扣款金额"),
        fields={
            # No reference number in this export: the order and the application time are the key.
            "order_no": ("订单号",),
            "status": ("打款状态",),
            "applied_at": ("申请时间",),
            "amount": ("申请扣款金额",),
            "reason": ("扣款原因",),
            "applicant": ("申请人",),
        },
        required=("order_no", "amount", "applied_at"),
        record=AFTER_SALE,
        after_sale_kind="compensation",
    ),
)

SPEC_BY_KIND = {spec.kind: spec for spec in SPECS}


def detect(header: list[str]) -> Spec | None:
    """The first spec whose telltale headers are all present (order of SPECS matters:
    the Douyin after-sales file also has 订单号, so it is tried before the order exports)."""
    names = {normalise(h) for h in header}
    after_sales = [s for s in SPECS if s.record == AFTER_SALE]
    orders = [s for s in SPECS if s.record == ORDER]
    for spec in (*after_sales, *orders):
        if all(normalise(h) in names for h in spec.detect):
            return spec
    return None


# Order states across platforms, in the words the exports use (FORMATS.md 1a, 1d; TOP API).
STATUS_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("wait_pay", ("等待买家付款", "待支付", "待付款", "未付款", "WAIT_BUYER_PAY")),
    ("shipped", ("卖家已发货", "已发货", "待收货", "等待确认收货", "WAIT_BUYER_CONFIRM_GOODS")),
    ("paid", ("买家已付款", "待发货", "等待出库", "已付款", "备货中", "WAIT_SELLER_SEND_GOODS")),
    ("finished", ("交易成功", "已收货", "已完成", "完成", "已签收", "TRADE_FINISHED")),
    ("closed", ("交易关闭", "已取消", "已关闭", "取消", "TRADE_CLOSED")),
)


@functools.cache
def status_of(text: str) -> str | None:
    """The normalised state of a platform's status text, None if unknown. JD prefixes deleted
    orders with "(删除)"; the state after it still holds. Cached: a file has a few distinct
    texts and a million rows."""
    for status, words in STATUS_WORDS:
        if any(word in text for word in words):
            return status
    return None


FLAG_COLOURS = ("red", "yellow", "green", "blue", "purple")
_FLAG_WORDS = {"红": "red", "黄": "yellow", "绿": "green", "蓝": "blue", "紫": "purple"}
_FLAG_WORDS["粉"] = "purple"  # one TOP SDK text calls flag 5 pink


def flag_of(text: str) -> str | None:
    """Seller flag colour: Taobao codes 1-5 (0 = none), JD 商家备注等级 1-5 (assumed to follow
    the same colours, guess), Douyin's words (红旗, 蓝色…), or English names."""
    text = text.strip()
    if not text or text in {"0", "灰", "灰色", "无", "null"}:
        return None
    if text.isdigit():
        number = int(text)
        return FLAG_COLOURS[number - 1] if 1 <= number <= 5 else None
    lowered = text.lower()
    if lowered in FLAG_COLOURS:
        return lowered
    for word, colour in _FLAG_WORDS.items():
        if word in text:
            return colour
    return None
