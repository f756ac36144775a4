"""The fast path for big order exports: the whole file as Polars columns, no Python per row.

`parse.parse_file` reads a row at a time into dataclasses; at a million rows that was most of
an import's time (bench/README.md, Order import). This module parses the same files into the
same values as columns. It handles the regular case only: a CSV whose format has one row per
order. Anything irregular (a cell that does not parse, a duplicate or missing order number, a
blank line, a repeated header) raises `RowPathNeeded`, and the caller parses the file again
with the row parser, which names the exact line and column of the problem. So the two paths
never disagree about what a file means, and a test holds them to the same output
(kefu/orders/tests/test_columnar.py).

Pure (Polars, no Django), like the rest of the importers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import polars as pl

from kefu.orders.importers import rawcells
from kefu.orders.importers.formats import (
    ORDER,
    Spec,
    detect,
    flag_of,
    normalise,
    status_of,
)
from kefu.orders.importers.parse import _DATE_PREFIX, _SPLIT
from kefu.orders.importers.reading import (
    DATETIME_FORMATS,
    NULLS,
    XLSX_MAGIC,
    _sniff_delimiter,
)

# Cells that pass as money here: digits with an optional sign and fraction, after the same
# junk is removed as in reading.parse_money. Anything else goes to the row path.
_MONEY = r"^[+-]?(\d+(\.\d*)?|\.\d+)$"
_MONEY_JUNK = r"[元¥￥,，\s]"
_FORMULA = r'(?s)^="(.*)"$'


class RowPathNeeded(Exception):
    """The file is not the regular case this module handles; parse it row by row."""


SLICE = 100_000  # orders parsed and stored at a time: bounds memory, lets parse and COPY overlap


@dataclass
class ColumnarFile:
    """A CSV export read into columns, checked as a whole, not yet parsed into orders: `frame`
    has the cells as written, one column per header name. `orders_slices` parses it a slice
    at a time; `warnings` fills as slices are parsed."""

    spec: Spec
    header: list[str]
    key: str  # rawcells.header_key(header): the raw rows are stored beside it
    frame: pl.DataFrame
    columns: dict[str, str]
    order_nos: pl.Series  # cleaned, one per row
    warnings: list[str] = field(default_factory=list)
    _states: dict[str, str] = field(default_factory=dict)
    _flags: dict[str, str | None] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return self.frame.height


@dataclass
class ColumnarOrders:
    """Orders of one file as columns: `frame` has one row per order with the columns of
    `COLUMNS`; times are in UTC, money is text as PostgreSQL reads numeric."""

    spec: Spec
    rows: int
    frame: pl.DataFrame
    header: list[str]
    key: str
    warnings: list[str] = field(default_factory=list)


COLUMNS = (
    "line", "order_no", "buyer_nick", "status", "status_text", "created_at", "paid_at",
    "total_amount", "paid_amount", "refund_amount", "flag", "seller_note", "buyer_message",
    "split_into", "raw", "row_hash",
)  # fmt: skip


def eligible(data: bytes) -> bool:
    """Worth trying: a CSV (xlsx files are small enough for the row path)."""
    return not data.startswith(XLSX_MAGIC)


def parse_orders(data: bytes, filename: str, *, zone: str, size: int = SLICE) -> ColumnarOrders:
    """The file's orders at once (the import stores them a slice at a time, orders_slices);
    times are read as local times of `zone` (the shop's) and kept in UTC. Raises
    RowPathNeeded for anything but the regular case."""
    read = read_file(data, filename)
    parts = list(orders_slices(read, zone=zone, size=size))
    frame = pl.concat(parts) if parts else pl.DataFrame()
    return ColumnarOrders(
        spec=read.spec,
        rows=read.rows,
        frame=frame,
        header=read.header,
        key=read.key,
        warnings=read.warnings,
    )


def read_file(data: bytes, filename: str) -> ColumnarFile:
    """The file's cells, with the checks that need the whole file (a blank row, an order
    number missing or repeated); the rest is checked slice by slice (orders_slices)."""
    text = _utf8(data)
    end = text.find(b"\n")
    first = text[: len(text) if end < 0 else end].decode()  # no copy of the rest
    if not first.strip():
        raise RowPathNeeded("blank line above the header")
    try:
        frame = pl.read_csv(
            text, separator=_sniff_delimiter(first), infer_schema=False, has_header=True
        )
    except (pl.exceptions.PolarsError, ValueError) as exc:
        raise RowPathNeeded(f"CSV not read by Polars: {exc}") from None
    del text
    header = [name.strip().lstrip("\ufeff") for name in frame.columns]
    if len(set(header)) != len(header):
        raise RowPathNeeded("a header name appears twice")
    frame.columns = header
    spec = detect(header)
    if spec is None or spec.record != ORDER or spec.grouped or spec.kind == "taobao_items":
        raise RowPathNeeded("not a one-row-per-order export")
    columns = _locate(header, spec)
    numbers = frame.select(_cleaned(columns["order_no"]).alias("order_no")).to_series()
    bad = pl.select(missing=(numbers == "").any(), repeated=numbers.is_duplicated().any())
    problems = [name for name, found in bad.row(0, named=True).items() if found]
    if problems:
        # A blank row (the row path leaves it out) is one without an order number.
        present = [
            pl.col(name).is_not_null() & (pl.col(name).str.strip_chars() != "") for name in header
        ]
        if frame.select(pl.any_horizontal(present).not_().any()).item():
            problems.insert(0, "blank")
        raise RowPathNeeded(", ".join(problems))
    return ColumnarFile(
        spec=spec,
        header=header,
        key=rawcells.header_key(header),
        frame=frame,
        columns=columns,
        order_nos=numbers,
    )


def orders_slices(read: ColumnarFile, *, zone: str, size: int = SLICE) -> Iterator[pl.DataFrame]:
    """The orders of `read`, `size` rows at a time, as frames of `COLUMNS`. Polars releases
    the GIL while it works, so a thread can parse the next slice while the last one is stored
    (columnar_store). Raises RowPathNeeded at the first slice that is not the regular case."""
    for start in range(0, read.rows, size):
        yield _parsed(read, read.frame.slice(start, size), start, zone)


def _parsed(read: ColumnarFile, frame: pl.DataFrame, start: int, zone: str) -> pl.DataFrame:
    columns = read.columns
    # Current exports write one format (yyyy-MM-dd HH:mm:ss); the others are tried only for a
    # slice in which that one leaves a time unread (a time read by the first format is read
    # the same by all of them in turn, so slices may differ in this without a difference).
    raw = _raw_cells(frame, read.key).alias("raw")
    orders = frame.select(*_fields(columns, DATETIME_FORMATS[:1]), raw)
    if orders.select(_unread_times()).item():
        orders = frame.select(*_fields(columns, DATETIME_FORMATS), raw)
    orders = orders.with_row_index("line", offset=start + 2)
    orders = orders.with_columns(line=pl.col("line").cast(pl.Int64))
    _check(orders)
    orders = _with_dates_from_numbers(orders)
    orders = _with_states(read, orders)
    try:
        # The exports are in the shop's local time; fold 0 (the earlier) as in storing._aware.
        orders = orders.with_columns(
            pl.col("created_at", "paid_at")
            .dt.replace_time_zone(zone, ambiguous="earliest")
            .dt.convert_time_zone("UTC")
        )
    except pl.exceptions.PolarsError as exc:  # a local time that does not exist in the zone
        raise RowPathNeeded(str(exc)) from None
    # rawcells.digest, from the bytes Polars already holds (no str made and encoded per row).
    texts = orders.select((pl.lit("[") + pl.col("raw") + pl.lit(", []]")).cast(pl.Binary))
    md5 = hashlib.md5
    digests = [md5(text, usedforsecurity=False).hexdigest() for text in texts.to_series()]
    orders = orders.with_columns(row_hash=pl.Series(digests, dtype=pl.String))
    return orders.select(COLUMNS)


def _utf8(data: bytes) -> bytes:
    """The file as UTF-8 for Polars, decoded as reading.decode does (UTF-8 when the whole file
    is, else GB18030) but a part at a time: the whole text as one Python str was a gigabyte at
    a million rows. Parts end at a newline, which is never inside a character in either."""
    start = 0
    if data.startswith(b"\xef\xbb\xbf"):
        start = 3
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RowPathNeeded("UTF-16")
    try:
        for part in _parts(data, start):
            str(part, "utf-8")
        return data[start:] if start else data
    except UnicodeDecodeError:
        if start:  # a BOM says UTF-8: the row path reports the bad bytes
            raise RowPathNeeded("not UTF-8 after a UTF-8 BOM") from None
    try:
        return b"".join(str(part, "gb18030").encode() for part in _parts(data, start))
    except UnicodeDecodeError:
        raise RowPathNeeded("neither UTF-8 nor GB18030") from None


def _parts(data: bytes, start: int, size: int = 1 << 24) -> Iterator[memoryview]:
    """`data` from `start` in parts of about `size` bytes ending at a newline, not copied."""
    view = memoryview(data)
    while start < len(data):
        end = data.find(b"\n", start + size)
        end = len(data) if end < 0 else end + 1
        yield view[start:end]
        start = end


def _locate(header: list[str], spec: Spec) -> dict[str, str]:
    by_norm: dict[str, str] = {}
    for name in header:
        by_norm.setdefault(normalise(name), name)
    columns: dict[str, str] = {}
    for name, aliases in spec.fields.items():
        for alias in aliases:
            if normalise(alias) in by_norm:
                columns[name] = by_norm[normalise(alias)]
                break
    if any(name not in columns for name in spec.required):
        raise RowPathNeeded("a required column is missing")  # the row path names it
    return columns


def _cleaned(column: str | None) -> pl.Expr:
    """reading.clean then reading.is_null, as an expression: "" where the row path reads ""."""
    if column is None:
        return pl.lit("", dtype=pl.String)
    # Each step reads the last once: an expression naming its input twice (a condition and a
    # branch) doubles at every step, and this one was 20x slower that way.
    text = pl.col(column).fill_null("").str.strip_chars()
    # ="…" (Excel-protected numbers) unwrapped and stripped again (a no-op on the others).
    text = text.str.replace(_FORMULA, "$1").str.strip_chars()
    # Only the first character: a leading "=" that is not ="…" stays as written.
    return text.str.strip_prefix("'").replace(list(NULLS), "")


def _money(column: str | None) -> pl.Expr:
    text = _cleaned(column).str.replace_all(_MONEY_JUNK, "")
    return pl.when(text.is_in(list(NULLS))).then(None).otherwise(text)


def _datetime(column: str | None, formats: tuple[str, ...]) -> pl.Expr:
    if column is None:
        return pl.lit(None, dtype=pl.Datetime("us"))
    text = _cleaned(column)
    parsed = [text.str.strptime(pl.Datetime("us"), fmt, strict=False) for fmt in formats]
    return pl.coalesce(parsed) if len(parsed) > 1 else parsed[0]


def _fields(columns: dict[str, str], formats: tuple[str, ...]) -> list[pl.Expr]:
    get = columns.get
    return [
        _cleaned(get("order_no")).alias("order_no"),
        _cleaned(get("status")).alias("status_text"),
        _cleaned(get("buyer_nick")).alias("buyer_nick"),
        _cleaned(get("created_at")).alias("created_text"),
        _datetime(get("created_at"), formats).alias("created_at"),
        _cleaned(get("paid_at")).alias("paid_text"),
        _datetime(get("paid_at"), formats).alias("paid_at"),
        _money(get("total_amount")).alias("total_amount"),
        _money(get("paid_amount")).alias("paid_amount"),
        _money(get("refund_amount")).alias("refund_amount"),
        _cleaned(get("seller_note")).alias("seller_note"),
        _cleaned(get("buyer_message")).alias("buyer_message"),
        _cleaned(get("flag")).alias("flag_text"),
    ]


def _check(orders: pl.DataFrame) -> None:
    """Every case in which the row path would raise: let it, with its exact message."""
    money = [
        pl.col(name).is_not_null() & ~pl.col(name).str.contains(_MONEY)
        for name in ("total_amount", "paid_amount", "refund_amount")
    ]
    times = _unread_times()
    bad = orders.select(
        money=pl.any_horizontal(money).any(),
        times=times,
    ).row(0, named=True)
    problems = [name for name, found in bad.items() if found]
    if problems:
        raise RowPathNeeded(", ".join(problems))


def _unread_times() -> pl.Expr:
    return pl.any_horizontal(
        (pl.col(f"{name}_text") != "") & pl.col(f"{name}_at").is_null()
        for name in ("created", "paid")
    ).any()


def _with_dates_from_numbers(orders: pl.DataFrame) -> pl.DataFrame:
    """Pinduoduo leaves 订单成交时间 blank on some rows; the number starts with the date
    (parse._order does the same row by row)."""
    prefix = pl.col("order_no").str.extract(_DATE_PREFIX.pattern, 1)
    day = prefix.str.strptime(pl.Datetime("us"), "%y%m%d", strict=False)
    from_number = (
        pl.when(pl.col("paid_at").is_not_null() & (pl.col("paid_at").dt.date() == day.dt.date()))
        .then(pl.col("paid_at"))
        .otherwise(day)
    )
    split = pl.col("seller_note").str.extract(_SPLIT.pattern, 1).str.extract_all(r"\d+")
    return orders.with_columns(
        created_at=pl.when(pl.col("created_at").is_null() & prefix.is_not_null())
        .then(from_number)
        .otherwise(pl.col("created_at")),
        split_into=pl.struct(split.fill_null(pl.lit([], dtype=pl.List(pl.String))).alias("v"))
        .struct.json_encode()
        .str.slice(5)
        .str.strip_suffix("}")
        .str.replace_all(",", ", ", literal=True),
    )


def _with_states(read: ColumnarFile, orders: pl.DataFrame) -> pl.DataFrame:
    """Status and flag texts mapped through the row path's own functions, once per distinct
    text (a file has a handful), then applied to the column. An unknown status is warned
    about at its first line in the file, as the row path does."""
    states, flags = read._states, read._flags
    new = [t for t in orders.get_column("status_text").unique().to_list() if t not in states]
    states.update({text: status_of(text) or "other" for text in new})
    for text in orders.get_column("flag_text").unique().to_list():
        if text not in flags:
            flags[text] = flag_of(text)
    unknown = (
        orders.filter(pl.col("status_text").is_in([t for t in new if states[t] == "other"]))
        .group_by("status_text", maintain_order=True)
        .agg(pl.col("line").first())
    )
    read.warnings.extend(
        f"第 {line} 行：未知订单状态「{text}」，记为“其他”" for text, line in unknown.iter_rows()
    )
    texts = orders.get_column("flag_text").unique().to_list()
    return orders.with_columns(
        status=pl.col("status_text").replace_strict(states, return_dtype=pl.String),
        flag=pl.col("flag_text").replace_strict(
            {t: flags[t] for t in texts}, return_dtype=pl.String
        ),
    )


def _raw_cells(frame: pl.DataFrame, key: str) -> pl.Expr:
    """The raw row as the exact text rawcells.encoded writes for the row parser's record
    (["<key>","cell",…], "" for an empty cell): the stored digests stay comparable."""
    header = frame.columns
    # A column none of whose cells needs escaping is taken as it is; the others are encoded
    # (one JSON string per cell, its quotes taken off again), which costs more. The quotes
    # around every cell are the separator of one concatenation: no column is copied for them.
    needs = frame.select(pl.col(header).str.contains(r'["\\\x00-\x1f]').any()).row(0)
    parts = []
    for name, escape in zip(header, needs, strict=True):
        cell = pl.col(name).fill_null("")
        if escape:
            cell = pl.struct(cell.alias("v")).struct.json_encode().str.slice(6)
            cell = cell.str.strip_suffix('"}')
        parts.append(cell)
    cells = pl.concat_str(parts, separator='","')
    return pl.lit(f'["{key}","') + cells + pl.lit('"]')
