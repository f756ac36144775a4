"""Parse an order, item, refund or compensation export into plain records.

Returns dataclasses and a list of warnings; raises ImportFileError (file, line, column) on the
first cell that cannot be read, so a bad file yields nothing to store.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from kefu.orders.importers.formats import (
    AFTER_SALE,
    SPECS,
    Spec,
    detect,
    flag_of,
    normalise,
    status_of,
)
from kefu.orders.importers.reading import (
    ImportFileError,
    Table,
    clean,
    is_null,
    iter_records,
    parse_int,
    parse_local_datetime,
    parse_money,
    read_table,
)

T = TypeVar("T")
_DATE_PREFIX = re.compile(r"^(\d{6})-\d+$")  # Pinduoduo: 260517-607198974342268
_SPLIT = re.compile(r"订单拆分为\s*([\d\s,，]+)")  # JD: "订单拆分为 11729439936 11749907506"


@dataclass
class LineRecord:
    line_no: str
    title: str
    sku: str
    quantity: int
    price: Decimal | None
    raw: dict[str, str]


@dataclass
class OrderRecord:
    order_no: str
    line: int  # the file line of its first row, for messages
    status_text: str
    status: str  # normalised; "other" when the text is unknown
    buyer_nick: str = ""
    created_at: dt.datetime | None = None  # naive, the shop's local time
    paid_at: dt.datetime | None = None
    total_amount: Decimal | None = None
    paid_amount: Decimal | None = None
    refund_amount: Decimal | None = None
    seller_note: str = ""
    buyer_message: str = ""
    flag: str | None = None
    split_into: list[str] = field(default_factory=list)
    lines: list[LineRecord] = field(default_factory=list)
    raw: dict[str, str] = field(default_factory=dict)


@dataclass
class AfterSaleRecord:
    ref_no: str
    order_no: str
    kind: str  # refund | compensation
    status: str
    applied_at: dt.datetime | None
    amount: Decimal | None
    reason: str
    applicant: str
    raw: dict[str, str]


@dataclass
class ParsedFile:
    filename: str
    spec: Spec
    rows: int
    header: list[str] = field(default_factory=list)  # names stripped, as the raw records have
    orders: list[OrderRecord] = field(default_factory=list)
    after_sales: list[AfterSaleRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse_file(data: bytes, filename: str) -> ParsedFile:
    table = read_table(data, filename)
    spec = detect(table.header)
    if spec is None:
        known = "、".join(s.label for s in SPECS)
        raise ImportFileError(filename, f"无法识别的导出格式（表头不符合：{known}）", line=1)
    columns = _locate(table, spec)
    parsed = ParsedFile(filename=filename, spec=spec, rows=len(table.rows), header=table.header)
    if spec.record == AFTER_SALE:
        _after_sales(table, spec, columns, parsed)
    else:
        _orders(table, spec, columns, parsed)
    return parsed


def _locate(table: Table, spec: Spec) -> dict[str, str]:
    """field → the header it is read from; a missing required field is the file's error."""
    by_norm: dict[str, str] = {}
    for name in table.header:
        by_norm.setdefault(normalise(name), name)
    columns: dict[str, str] = {}
    for name, aliases in spec.fields.items():
        for alias in aliases:
            if normalise(alias) in by_norm:
                columns[name] = by_norm[normalise(alias)]
                break
    for name in spec.required:
        if name not in columns:
            wanted = "或".join(f"「{a}」" for a in spec.fields[name])
            raise ImportFileError(table.filename, f"{spec.label}缺少必需的列{wanted}", line=1)
    return columns


class _Row:
    """One record with typed access that names the line and column of a bad cell."""

    def __init__(self, filename: str, line: int, cells: dict[str, str], columns: dict[str, str]):
        self.filename, self.line, self.cells, self.columns = filename, line, cells, columns

    def text(self, name: str) -> str:
        column = self.columns.get(name)
        value = clean(self.cells.get(column, "")) if column else ""
        return "" if is_null(value) else value

    def typed(self, name: str, convert: Callable[[str], T]) -> T:
        try:
            return convert(self.text(name))
        except ValueError as exc:
            raise ImportFileError(
                self.filename, str(exc), line=self.line, column=self.columns[name]
            ) from None

    def required(self, name: str) -> str:
        value = self.text(name)
        if not value:
            raise ImportFileError(
                self.filename, "不能为空", line=self.line, column=self.columns[name]
            )
        return value


def _orders(table: Table, spec: Spec, columns: dict[str, str], parsed: ParsedFile) -> None:
    by_no: dict[str, OrderRecord] = {}
    unknown_status: dict[str, int] = {}
    for line, cells in iter_records(table):
        row = _Row(table.filename, line, cells, columns)
        order_no = row.required("order_no")
        order = by_no.get(order_no)
        if order is None:
            order = _order(row, order_no, spec)
            if order.status == "other":
                unknown_status.setdefault(order.status_text, line)
            by_no[order_no] = order
        elif spec.grouped:
            _merge(order, row)
        else:
            raise ImportFileError(
                table.filename,
                f"订单 {order_no} 重复出现（第一次在第 {order.line} 行）",
                line=line,
                column=columns["order_no"],
            )
        if spec.grouped and "title" in columns:
            order.lines.append(_line(row, len(order.lines) + 1))
    parsed.orders = list(by_no.values())
    for text, line in unknown_status.items():
        parsed.warnings.append(f"第 {line} 行：未知订单状态「{text}」，记为“其他”")


def _order(row: _Row, order_no: str, spec: Spec) -> OrderRecord:
    status_text = row.text("status")
    created = row.typed("created_at", parse_local_datetime)
    paid = row.typed("paid_at", parse_local_datetime)
    prefix = _DATE_PREFIX.match(order_no)
    if created is None and prefix:
        # Pinduoduo leaves 订单成交时间 blank on some rows; the number starts with the date.
        day = dt.datetime.strptime(prefix.group(1), "%y%m%d")  # noqa: DTZ007 - local, naive
        created = paid if paid is not None and paid.date() == day.date() else day
    note = row.text("seller_note")
    split = _SPLIT.search(note)
    refund = row.typed("refund_amount", parse_money)
    return OrderRecord(
        order_no=order_no,
        line=row.line,
        status_text=status_text,
        status=status_of(status_text) or "other",
        buyer_nick=row.text("buyer_nick"),
        created_at=created,
        paid_at=paid,
        total_amount=row.typed("total_amount", parse_money),
        paid_amount=row.typed("paid_amount", parse_money),
        refund_amount=refund,
        seller_note=note,
        buyer_message=row.text("buyer_message"),
        flag=flag_of(row.text("flag")),
        split_into=re.findall(r"\d+", split.group(1)) if split else [],
        raw=dict(row.cells),
    )


def _merge(order: OrderRecord, row: _Row) -> None:
    """A further goods line of the same order: sum the amounts (Pinduoduo puts order-level
    money on the first line and zero on the others; Douyin gives each sub-order its share)."""
    for name in ("total_amount", "paid_amount", "refund_amount"):
        extra = row.typed(name, parse_money)
        if extra is not None:
            current = getattr(order, name)
            setattr(order, name, extra if current is None else current + extra)
    for name in ("seller_note", "buyer_message"):
        if not getattr(order, name):
            setattr(order, name, row.text(name))
    if order.flag is None:
        order.flag = flag_of(row.text("flag"))


def _line(row: _Row, number: int) -> LineRecord:
    return LineRecord(
        line_no=row.text("line_no") or str(number),
        title=row.text("title"),
        sku=row.text("sku"),
        quantity=row.typed("quantity", parse_int) or 0,
        price=row.typed("price", parse_money),
        raw=dict(row.cells),
    )


def _after_sales(table: Table, spec: Spec, columns: dict[str, str], parsed: ParsedFile) -> None:
    seen: dict[str, int] = {}
    for line, cells in iter_records(table):
        row = _Row(table.filename, line, cells, columns)
        order_no = row.required("order_no")
        applied = row.typed("applied_at", parse_local_datetime)
        ref_no = row.text("ref_no") if "ref_no" in columns else ""
        if not ref_no:
            # PDD's compensation export has no number of its own (see formats.py).
            ref_no = f"{order_no}@{applied:%Y%m%d%H%M%S}" if applied else order_no
        if ref_no in seen:
            raise ImportFileError(
                table.filename, f"单号 {ref_no} 重复出现（第一次在第 {seen[ref_no]} 行）", line=line
            )
        seen[ref_no] = line
        parsed.after_sales.append(
            AfterSaleRecord(
                ref_no=ref_no,
                order_no=order_no,
                kind=spec.after_sale_kind,
                status=row.text("status"),
                applied_at=applied,
                amount=row.typed("amount", parse_money),
                reason=row.text("reason"),
                applicant=row.text("applicant"),
                raw=dict(row.cells),
            )
        )
