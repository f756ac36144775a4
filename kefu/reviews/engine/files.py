"""Review files: the TOP `taobao.traderates.get` answer (JSON) and Kefu's review CSV/xlsx.

TOP `TradeRate` fields (FORMATS.md 1f; TopSDK `Domain/TradeRate.cs`): `tid` (trade), `oid`
(sub-order), `num_iid`, `item_title`, `item_price`, `nick` (who rated), `rated_nick`, `role`
(seller/buyer: who rated), `result` (good/neutral/bad), `content`, `reply` (the seller's
explanation), `created` (yyyy-MM-dd HH:mm:ss, Beijing time), `valid_score`. Only buyers'
ratings of the shop (`role` buyer) are read; the shop's ratings of buyers are counted and skipped.

A review's key is `tid-oid` (a rating is given per sub-order), or `tid` alone when there is no
oid. The CSV may carry its own 评价ID column instead.

Pure: no Django. Errors name the file, the line (CSV) or the record (JSON), and the field."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kefu.orders.importers.reading import (
    ImportFileError,
    Table,
    clean,
    decode,
    is_null,
    parse_local_datetime,
    read_table,
)

RATINGS = {
    "good": "good", "neutral": "neutral", "bad": "bad",
    "好评": "good", "中评": "neutral", "差评": "bad",
    "1": "good", "0": "neutral", "-1": "bad",
}  # fmt: skip

# CSV columns: the first name is the documented one, the others are accepted spellings.
CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "review_id": ("评价ID", "评价编号", "review_id"),
    "order_no": ("订单号", "订单编号", "tid", "order_no"),
    "sub_order_no": ("子订单号", "子订单编号", "oid"),
    "buyer_nick": ("买家", "旺旺ID", "用户昵称", "买家昵称", "会员名", "nick"),
    "item_title": ("商品", "宝贝名称", "商品名称", "购买物品", "item_title"),
    "item_id": ("商品ID", "宝贝ID", "num_iid"),
    "rating": ("评价结果", "评价", "评分", "result"),
    "content": ("评价内容", "评论内容", "content"),
    "created": ("评价时间", "日期", "created"),
    "append_content": ("追加评论", "追评", "追评内容", "append_content"),
    "append_created": ("追评时间", "append_created"),
    "reply": ("商家回复", "回复", "解释", "reply"),
    "phone": ("联系电话", "手机", "phone"),
}
REQUIRED_CSV = ("order_no", "buyer_nick", "rating", "created")


@dataclass(frozen=True)
class ReviewRow:
    review_id: str
    order_no: str
    sub_order_no: str
    buyer_nick: str
    item_title: str
    item_id: str
    rating: str
    content: str
    created: dt.datetime
    """Naive local time (the shop's zone is attached by the service)."""
    append_content: str = ""
    append_created: dt.datetime | None = None
    reply: str = ""
    phone: str = ""
    where: str = ""
    """Where the row came from, for messages: 'file 第 3 行' or 'file 第 2 条'."""
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReviewFile:
    rows: list[ReviewRow]
    skipped_seller_ratings: int = 0


def read_reviews(data: bytes, filename: str) -> ReviewFile:
    """A .json file (or bytes starting with `{`/`[`) is read as TOP JSON, anything else as the
    CSV/xlsx table."""
    head = data.lstrip(b"\xef\xbb\xbf \r\n\t")[:1]
    if filename.lower().endswith(".json") or head in (b"{", b"["):
        return read_top_json(data, filename)
    return read_review_table(data, filename)


# --- TOP JSON ----------------------------------------------------------------------------------


def _records(document: Any, filename: str) -> list[Any]:
    """The list of TradeRate objects in the shapes TOP and its SDKs return:
    {"traderates_get_response": {"trade_rates": {"trade_rate": [...]}}}, {"trade_rates": [...]},
    or a bare list."""
    if isinstance(document, Mapping) and "traderates_get_response" in document:
        document = document["traderates_get_response"]
    if isinstance(document, Mapping) and "error_response" in document:
        raise ImportFileError(filename, f"文件是 TOP 的错误回复：{document['error_response']}")
    if isinstance(document, Mapping) and "trade_rates" in document:
        document = document["trade_rates"]
        if isinstance(document, Mapping):
            document = document.get("trade_rate", [])
    if not isinstance(document, list):
        raise ImportFileError(
            filename, "不是 taobao.traderates.get 的回复（找不到 trade_rates 评价列表）"
        )
    return document


def _text(record: Mapping[str, Any], key: str) -> str:
    value = record.get(key)
    return "" if value is None else str(value).strip()


def read_top_json(data: bytes, filename: str) -> ReviewFile:
    text, _encoding = decode(data, filename)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(filename, f"JSON 格式错误：{exc.msg}", line=exc.lineno) from None
    rows: list[ReviewRow] = []
    skipped = 0
    for number, record in enumerate(_records(document, filename), start=1):
        where = f"{filename} 第 {number} 条评价"
        if not isinstance(record, Mapping):
            raise ImportFileError(filename, f"第 {number} 条评价不是对象")
        role = _text(record, "role")
        if role == "seller":
            skipped += 1
            continue
        tid = _text(record, "tid")
        if not tid:
            raise ImportFileError(filename, f"第 {number} 条评价缺少交易号", column="tid")
        oid = _text(record, "oid")
        result = _text(record, "result")
        if result not in ("good", "neutral", "bad"):
            raise ImportFileError(
                filename,
                f"第 {number} 条评价的评价结果 {result!r} 不是 good/neutral/bad",
                column="result",
            )
        nick = _text(record, "nick")
        if not nick:
            raise ImportFileError(filename, f"第 {number} 条评价缺少评价者昵称", column="nick")
        try:
            created = parse_local_datetime(_text(record, "created"))
        except ValueError as exc:
            raise ImportFileError(
                filename, f"第 {number} 条评价：{exc}", column="created"
            ) from None
        if created is None:
            raise ImportFileError(filename, f"第 {number} 条评价缺少评价时间", column="created")
        rows.append(
            ReviewRow(
                review_id=f"{tid}-{oid}" if oid and oid != tid else tid,
                order_no=tid,
                sub_order_no=oid,
                buyer_nick=nick,
                item_title=_text(record, "item_title"),
                item_id=_text(record, "num_iid"),
                rating=result,
                content=_text(record, "content"),
                created=created,
                reply=_text(record, "reply"),
                where=where,
                raw=dict(record),
            )
        )
    return ReviewFile(rows, skipped)


# --- CSV / xlsx --------------------------------------------------------------------------------


def _columns(table: Table) -> dict[str, int]:
    found: dict[str, int] = {}
    for key, names in CSV_COLUMNS.items():
        for name in names:
            if name in table.header:
                found[key] = table.header.index(name)
                break
    missing = [CSV_COLUMNS[k][0] for k in REQUIRED_CSV if k not in found]
    if missing:
        raise ImportFileError(
            table.filename, f"缺少列：{'、'.join(missing)}（表头第 1 行，按列名识别）", line=1
        )
    return found


def read_review_table(data: bytes, filename: str) -> ReviewFile:
    table = read_table(data, filename)
    columns = _columns(table)
    rows: list[ReviewRow] = []
    for index, cells in enumerate(table.rows):
        line = table.line_of(index)

        def cell(key: str, cells: list[str] = cells) -> str:
            at = columns.get(key)
            if at is None or at >= len(cells):
                return ""
            value = clean(cells[at])
            return "" if is_null(value) else value

        def column(key: str) -> str:
            return table.header[columns[key]]

        order_no = cell("order_no")
        if not order_no:
            raise ImportFileError(filename, "订单号为空", line=line, column=column("order_no"))
        nick = cell("buyer_nick")
        if not nick:
            raise ImportFileError(filename, "买家为空", line=line, column=column("buyer_nick"))
        rating = RATINGS.get(cell("rating"))
        if rating is None:
            raise ImportFileError(
                filename,
                f"评价结果 {cell('rating')!r} 不是 好评/中评/差评",
                line=line,
                column=column("rating"),
            )
        try:
            created = parse_local_datetime(cell("created"))
        except ValueError as exc:
            raise ImportFileError(filename, str(exc), line=line, column=column("created")) from None
        if created is None:
            raise ImportFileError(filename, "评价时间为空", line=line, column=column("created"))
        append_created = None
        if "append_created" in columns:
            try:
                append_created = parse_local_datetime(cell("append_created"))
            except ValueError as exc:
                raise ImportFileError(
                    filename, str(exc), line=line, column=column("append_created")
                ) from None
        sub_order = cell("sub_order_no")
        review_id = cell("review_id") or (
            f"{order_no}-{sub_order}" if sub_order and sub_order != order_no else order_no
        )
        rows.append(
            ReviewRow(
                review_id=review_id,
                order_no=order_no,
                sub_order_no=sub_order,
                buyer_nick=nick,
                item_title=cell("item_title"),
                item_id=cell("item_id"),
                rating=rating,
                content=cell("content"),
                created=created,
                append_content=cell("append_content"),
                append_created=append_created,
                reply=cell("reply"),
                phone=cell("phone"),
                where=f"{filename} 第 {line} 行",
                raw={table.header[i]: v for i, v in enumerate(cells) if i < len(table.header)},
            )
        )
    return ReviewFile(rows)
