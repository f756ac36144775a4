"""Writers to the platforms' real file formats (see shared FORMATS.md, sections 1a, 1c, 1d).

Each writer takes a `Traffic` and a path and returns the number of rows (messages for the
chat record). Rows are built as whole columns in Polars, so a big shop's month writes in
seconds; the writers draw no random numbers, so the same traffic gives the same bytes.

Headers, encodings and status words live in `formats.py`, with the guesses marked.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from kefu.demo.traffic.formats import (
    AUTO_REPLY_MARK,
    DATETIME,
    PDD_ENCODING,
    PDD_NO_AFTER_SALES,
    PDD_ORDER_HEADER,
    PDD_PHONE,
    PDD_REFUNDED,
    PDD_STATUS,
    QIANNIU_ENCODING,
    QIANNIU_NEWLINE,
    QIANNIU_TIME,
    READ_MARK,
    TAOBAO_CLOSE_REASON,
    TAOBAO_ENCODING,
    TAOBAO_OPEN,
    TAOBAO_ORDER_HEADER,
    TAOBAO_STATUS,
)
from kefu.demo.traffic.model import OrderStatus, Traffic


def _csv(col: pl.Expr) -> pl.Expr:
    """Quote a cell the way Excel's CSV does: only when it holds a comma, quote or newline."""
    text = col.cast(pl.String).fill_null("")
    needs = text.str.contains(r"[,\"\r\n]")
    return (
        pl.when(needs)
        .then('"' + text.str.replace_all('"', '""', literal=True) + '"')
        .otherwise(text)
    )


CHUNK = 200_000  # rows encoded per write: bounds the memory of a big shop's export


def _write_lines(
    path: Path | str, head: str, frame: pl.DataFrame, line: pl.Expr, encoding: str, newline: str
) -> None:
    """Write `head`, then `line` evaluated on `frame`, chunk by chunk so that a big shop's
    month never sits in memory as one string; every line ends in `newline` (BOM, if any, once).
    """
    with Path(path).open("w", encoding=encoding, newline="") as fh:
        if head:
            fh.write(head + newline)
        for offset in range(0, frame.height, CHUNK):
            lines = frame.slice(offset, CHUNK).select(line.alias("line"))["line"]
            fh.write(newline.join(lines.to_list()) + newline)


def _write(
    path: Path | str,
    header: tuple[str, ...],
    frame: pl.DataFrame,
    cells: dict[str, pl.Expr],
    encoding: str,
) -> int:
    """The header, then one row per frame row from `cells` (quoted String expressions by
    column name; a column without one is left empty, as the platforms leave unused ones).
    """
    head = ",".join(f'"{h}"' if any(c in h for c in ',"') else h for h in header)
    line = pl.concat_str([cells.get(h, pl.lit("")) for h in header], separator=",")
    _write_lines(path, head, frame, line, encoding, "\r\n")
    return frame.height


def _money(col: str) -> pl.Expr:
    return pl.col(col).cast(pl.String)


def _time(col: str, fmt: str = DATETIME) -> pl.Expr:
    return pl.col(col).dt.strftime(fmt).fill_null("")


def _order_lines_summary(traffic: Traffic) -> pl.DataFrame:
    return traffic.order_lines.group_by("order_no", maintain_order=True).agg(
        titles=pl.col("title").str.join("，"),
        kinds=pl.len(),
        quantity=pl.col("quantity").sum(),
        goods=(pl.col("price") * pl.col("quantity")).sum(),
    )


def write_taobao_orders(traffic: Traffic, path: Path | str) -> int:
    """Taobao/Tmall 订单报表, generation B, GB18030, with the real exports' quirks.

    `订单编号` is written raw as `="…"` (Excel formula text, so Excel keeps all 19 digits);
    `联系手机` starts with `'`; six headers keep their trailing space; `买家服务费` and
    `打款商家金额` carry `元` and no other amount does; name, phone and address are masked as the
    platform shows them to sub-accounts (张**, 138****1234, street replaced by ****).
    """
    p = traffic.profile
    o = traffic.orders.join(
        _order_lines_summary(traffic), on="order_no", how="left", maintain_order="left"
    )
    status = pl.col("status")
    paid = pl.col("paid").is_not_null()
    zero = pl.lit("0.00")
    released = pl.when(status == OrderStatus.TRADE_FINISHED.value).then(
        (pl.col("amount") - pl.col("refund")).cast(pl.String)
    )
    cells: dict[str, pl.Expr] = {
        "订单编号": '="' + pl.col("order_no") + '"',
        "买家会员名": _csv(pl.col("buyer")),
        "买家支付宝账号": pl.col("phone"),
        "买家应付货款": _money("amount"),
        "买家应付邮费": zero,
        "买家支付积分": pl.lit("0"),
        "总金额": _money("amount"),
        "返点积分": pl.lit("0"),
        "买家实际支付金额": pl.when(paid).then(_money("amount")).otherwise(zero),
        "买家实际支付积分": pl.lit("0"),
        "订单状态": status.replace_strict({k.value: v for k, v in TAOBAO_STATUS.items()}),
        "买家留言": _csv(pl.col("buyer_message")),
        "收货人姓名": pl.col("receiver"),
        "收货地址 ": pl.concat_str("province", "city", "district", pl.lit("****"), separator=" "),
        "运送方式": pl.lit("快递"),
        "联系电话 ": pl.lit(""),
        "联系手机": "'" + pl.col("phone"),
        "订单创建时间": _time("created"),
        "订单付款时间 ": _time("paid"),
        "宝贝标题 ": _csv(pl.col("titles")),
        "宝贝种类 ": pl.col("kinds").cast(pl.String),
        "物流单号 ": pl.col("tracking_no").fill_null(""),
        "物流公司": pl.col("courier").fill_null(""),
        "订单备注": _csv(pl.col("note")),
        "宝贝总数量": pl.col("quantity").cast(pl.String),
        "店铺Id": pl.lit(str(p.shop_id)),
        "店铺名称": _csv(pl.lit(p.shop_name)),
        "订单关闭原因": status.replace_strict(
            {k.value: v for k, v in TAOBAO_CLOSE_REASON.items()}, default=TAOBAO_OPEN
        ),
        "卖家服务费": pl.lit("0"),
        "买家服务费": pl.lit("0元"),
        # Most buyers order in the app; the last digit decides, so no randomness is needed.
        "是否手机订单": pl.when(pl.col("order_no").str.slice(-1).cast(pl.Int32) < 8)
        .then(pl.lit("手机订单"))
        .otherwise(pl.lit("")),
        "是否上传合同照片": pl.lit("否"),
        "是否上传小票": pl.lit("否"),
        "是否代付": pl.lit("否"),
        "退款金额": _money("refund"),
        "确认收货时间": _time("confirmed"),
        "打款商家金额": released.otherwise(zero) + "元",
    }
    return _write(path, TAOBAO_ORDER_HEADER, o, cells, TAOBAO_ENCODING)


def write_pdd_orders(traffic: Traffic, path: Path | str) -> int:
    """Pinduoduo 订单导出: one row per goods line, 82 columns, amounts in yuan without `元`.

    Quirks kept: the header ` 用户购买手机号` has a leading space; order numbers are
    `YYMMDD-…` for Pinduoduo shops; `订单成交时间` is blank on some rows (importers then take the
    date from the order number); `省` is masked as `****` once an order is received (guess:
    FORMATS.md only says it may be masked).
    """
    lines = traffic.order_lines.with_columns(
        item_no=pl.col("sku").rank("dense").cast(pl.Int64) + 754_299_529_400,
        line_total=pl.col("price") * pl.col("quantity"),
    )
    o = lines.join(traffic.orders, on="order_no", how="left", maintain_order="left")
    first = pl.col("line_no") == 1  # order-level money sits on the order's first line
    paid = pl.col("paid").is_not_null()
    status = pl.col("status")
    finished = status == OrderStatus.TRADE_FINISHED.value
    zero = pl.lit("0")
    cells: dict[str, pl.Expr] = {
        "商品": _csv(pl.col("title")),
        "订单号": pl.col("order_no"),
        "订单状态": _csv(status.replace_strict({k.value: v for k, v in PDD_STATUS.items()})),
        "商品数量(件)": pl.col("quantity").cast(pl.String),
        "是否审核中": pl.lit("否"),
        "支付时间": _time("paid"),
        "承诺发货时间": pl.col("paid").dt.offset_by("48h").dt.strftime(DATETIME).fill_null(""),
        "发货时间": _time("consigned"),
        "确认收货时间": _time("confirmed"),
        "商品id": pl.col("item_no").cast(pl.String),
        "商品规格": pl.lit("无规格"),
        "商家编码-规格维度": _csv(pl.col("sku")),
        "商家编码-商品维度": _csv(pl.col("sku")),
        "商家备注": pl.when(first).then(_csv(pl.col("note"))).otherwise(pl.lit("")),
        "买家留言": pl.when(first).then(_csv(pl.col("buyer_message"))).otherwise(pl.lit("")),
        "售后状态": pl.when(pl.col("refund") > 0)
        .then(pl.lit(PDD_REFUNDED))
        .otherwise(pl.lit(PDD_NO_AFTER_SALES)),
        # Blank on a few rows, as in real exports: those whose number ends in 7.
        "订单成交时间": pl.when(pl.col("order_no").str.ends_with("7"))
        .then(pl.lit(""))
        .otherwise(_time("paid")),
        "商品总价(元)": pl.col("line_total").cast(pl.String),
        "邮费(元)": zero,
        "店铺优惠折扣(元)": pl.when(first)
        .then((pl.col("goods_total") - pl.col("amount")).cast(pl.String))
        .otherwise(zero),
        "平台优惠折扣(元)": zero,
        "多多支付立减金额(元)": zero,
        "上门安装费(元)": zero,
        "送货入户费(元)": zero,
        "送货入户并安装费(元)": zero,
        "用户实付金额(元)": pl.when(first & paid).then(_money("amount")).otherwise(zero),
        "商家实收金额(元)": pl.when(first & paid).then(_money("amount")).otherwise(zero),
        "快递单号": pl.col("tracking_no").fill_null(""),
        "快递公司": pl.col("courier").fill_null(""),
        "省": pl.when(finished).then(pl.lit("****")).otherwise(pl.col("province")),
        "市": pl.col("city"),
        "区": pl.col("district"),
        "是否抽奖或0元试用": pl.lit("否"),
        "是否顺丰加价": pl.lit("否"),
        PDD_PHONE: pl.col("phone"),
        "是否门店自提": pl.lit("否"),
        "支付方式": pl.when(~paid)
        .then(pl.lit(""))
        .when(pl.col("order_no").str.slice(-2, 1).cast(pl.Int32) < 6)
        .then(pl.lit("微信"))
        .otherwise(pl.lit("支付宝")),
        "是否直播间成交": pl.lit("否"),
        "是否节能补贴": pl.lit("否"),
        "是否分期": pl.lit("否"),
        "是否无痕发货": pl.lit("否"),
        "是否社区团购": pl.lit("否"),
    }
    goods = lines.group_by("order_no", maintain_order=True).agg(
        goods_total=pl.col("line_total").sum()
    )
    o = o.join(goods, on="order_no", how="left", maintain_order="left")
    return _write(path, PDD_ORDER_HEADER, o, cells, PDD_ENCODING)


def write_qianniu_chat(traffic: Traffic, path: Path | str) -> int:
    """The Qianniu chat record as copied out of the chat window (FORMATS.md 1c, path 1).

    Layout: `昵称 YYYY-M-D H:MM:SS` then the message on the next line; a transfer is one line
    `A --> B YYYY-M-D H:MM:SS`; a system note is a bare line (`原因：【离线留言自动分配】`);
    the shop's messages are followed by the status line `已读`; auto-replies start with
    `[自动回复]` (guess). Lines end in CRLF; UTF-8. One window per buyer, in the order buyers first
    wrote, with a blank line between windows: an importer tells the buyer by the nick that is
    not the shop's (`店名` or `店名:…`), as the public parsers do.
    """
    m = traffic.messages
    main = traffic.profile.main_account
    nl = QIANNIU_NEWLINE
    stamp = pl.col("time").dt.strftime(QIANNIU_TIME)
    sender = (
        pl.when(pl.col("direction") == "buyer")
        .then(pl.col("buyer"))
        .otherwise(pl.col("sub_account").fill_null(main))
    )
    kind = pl.col("kind")
    block = (
        pl.when(kind == "transfer")
        .then(pl.col("text") + " " + stamp)
        .when(kind == "system")
        .then(pl.col("text"))
        .when(kind == "auto_reply")
        .then(sender + " " + stamp + nl + AUTO_REPLY_MARK + pl.col("text") + nl + READ_MARK)
        .when(pl.col("direction") == "agent")
        .then(sender + " " + stamp + nl + pl.col("text") + nl + READ_MARK)
        .otherwise(sender + " " + stamp + nl + pl.col("text"))
    )
    ordered = (
        m.with_columns(first=pl.col("message_id").min().over("buyer"))
        .sort("first", "message_id")
        .with_columns(
            blank=(pl.col("first") != pl.col("first").shift(1)) & (pl.int_range(pl.len()) > 0)
        )
    )
    line = pl.when("blank").then(nl + block).otherwise(block)
    _write_lines(path, "", ordered, line, QIANNIU_ENCODING, nl)
    return m.height
