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
import io
import json
from dataclasses import dataclass, field

import polars as pl

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
    decode,
)

# Cells that pass as money here: digits with an optional sign and fraction, after the same
# junk is removed as in reading.parse_money. Anything else goes to the row path.
_MONEY = r"^[+-]?(\d+(\.\d*)?|\.\d+)$"
_MONEY_JUNK = r"[元¥￥,，\s]"
_FORMULA = r'(?s)^="(.*)"$'


class RowPathNeeded(Exception):
    """The file is not the regular case this module handles; parse it row by row."""


@dataclass
class ColumnarOrders:
    """Orders of one file as columns: `frame` has one row per order with the columns of
    `COLUMNS`; times are in UTC, money is text as PostgreSQL reads numeric."""

    spec: Spec
    rows: int
    frame: pl.DataFrame
    warnings: list[str] = field(default_factory=list)


COLUMNS = (
    "line", "order_no", "buyer_nick", "status", "status_text", "created_at", "paid_at",
    "total_amount", "paid_amount", "refund_amount", "flag", "seller_note", "buyer_message",
    "split_into", "raw", "row_hash",
)  # fmt: skip


def eligible(data: bytes) -> bool:
    """Worth trying: a CSV (xlsx files are small enough for the row path)."""
    return not data.startswith(XLSX_MAGIC)


def parse_orders(data: bytes, filename: str, *, zone: str) -> ColumnarOrders:
    """The file's orders; times are read as local times of `zone` (the shop's) and kept in
    UTC. Raises RowPathNeeded for anything but the regular case."""
    text, _ = decode(data, filename)
    first = text.split("\n", 1)[0]
    if not first.strip():
        raise RowPathNeeded("blank line above the header")
    try:
        frame = pl.read_csv(
            io.BytesIO(text.encode()),
            separator=_sniff_delimiter(first),
            infer_schema=False,
            has_header=True,
        )
    except (pl.exceptions.PolarsError, ValueError) as exc:
        raise RowPathNeeded(f"CSV not read by Polars: {exc}") from None
    header = [name.strip().lstrip("\ufeff") for name in frame.columns]
    if len(set(header)) != len(header):
        raise RowPathNeeded("a header name appears twice")
    frame.columns = header
    spec = detect(header)
    if spec is None or spec.record != ORDER or spec.grouped or spec.kind == "taobao_items":
        raise RowPathNeeded("not a one-row-per-order export")
    columns = _locate(header, spec)
    present = [
        pl.col(name).is_not_null() & (pl.col(name).str.strip_chars() != "") for name in header
    ]
    if frame.select(pl.any_horizontal(present).not_().any()).item():
        raise RowPathNeeded("a blank row")
    # Current exports write one format (yyyy-MM-dd HH:mm:ss); the others are tried only for a
    # file in which that one leaves a time unread.
    orders = frame.select(*_fields(columns, DATETIME_FORMATS[:1]), _raw_json(frame).alias("raw"))
    if orders.select(_unread_times()).item():
        orders = frame.select(*_fields(columns, DATETIME_FORMATS), _raw_json(frame).alias("raw"))
    orders = orders.with_row_index("line", offset=2)
    orders = orders.with_columns(line=pl.col("line").cast(pl.Int64))
    _check(orders)
    orders = _with_dates_from_numbers(orders)
    orders, warnings = _with_states(orders)
    try:
        # The exports are in the shop's local time; fold 0 (the earlier) as in services._aware.
        orders = orders.with_columns(
            pl.col("created_at", "paid_at")
            .dt.replace_time_zone(zone, ambiguous="earliest")
            .dt.convert_time_zone("UTC")
        )
    except pl.exceptions.PolarsError as exc:  # a local time that does not exist in the zone
        raise RowPathNeeded(str(exc)) from None
    digests = [
        hashlib.md5(f"[{raw}, []]".encode(), usedforsecurity=False).hexdigest()
        for raw in orders.get_column("raw")
    ]
    orders = orders.with_columns(row_hash=pl.Series(digests, dtype=pl.String))
    return ColumnarOrders(
        spec=spec, rows=frame.height, frame=orders.select(COLUMNS), warnings=warnings
    )


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
    text = pl.col(column).fill_null("").str.strip_chars()
    # ="…" (Excel-protected numbers) unwrapped; prefix and suffix tests are cheaper than a
    # regex over every cell. "=\"" alone (3 characters or fewer) is not a wrapped value.
    wrapped = text.str.starts_with('="') & text.str.ends_with('"') & (text.str.len_chars() >= 3)
    text = pl.when(wrapped).then(text.str.slice(2, text.str.len_chars() - 3).str.strip_chars())
    text = text.otherwise(pl.col(column).fill_null("").str.strip_chars())
    # Only the first character: a leading "=" that is not ="…" stays as written.
    text = pl.when(text.str.starts_with("'")).then(text.str.slice(1)).otherwise(text)
    return pl.when(text.is_in(list(NULLS))).then(pl.lit("")).otherwise(text)


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
        missing=(pl.col("order_no") == "").any(),
        repeated=pl.col("order_no").is_duplicated().any(),
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


def _with_states(orders: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """Status and flag texts mapped through the row path's own functions, once per distinct
    text (a file has a handful), then applied to the column."""
    texts = orders.get_column("status_text").unique().to_list()
    states = {text: status_of(text) or "other" for text in texts}
    flags = {text: flag_of(text) for text in orders.get_column("flag_text").unique().to_list()}
    unknown = (
        orders.filter(pl.col("status_text").is_in([t for t, s in states.items() if s == "other"]))
        .group_by("status_text", maintain_order=True)
        .agg(pl.col("line").first())
    )
    warnings = [
        f"第 {line} 行：未知订单状态「{text}」，记为“其他”" for text, line in unknown.iter_rows()
    ]
    orders = orders.with_columns(
        status=pl.col("status_text").replace_strict(states, return_dtype=pl.String),
        flag=pl.col("flag_text").replace_strict(flags, return_dtype=pl.String),
    )
    return orders, warnings


def _raw_json(frame: pl.DataFrame) -> pl.Expr:
    """{header: cell as written} without empty cells, as the exact text json.dumps(…,
    ensure_ascii=False) writes for parse's raw dict: the stored digests stay comparable."""
    header = frame.columns
    # A column none of whose cells needs escaping is quoted by concatenation; the others are
    # encoded (one JSON string per cell), which costs more.
    needs = frame.select(pl.col(header).str.contains(r'["\\\x00-\x1f]').any()).row(0)
    parts = []
    for name, escape in zip(header, needs, strict=True):
        cell = pl.col(name)
        if escape:
            value = pl.struct(cell.alias("v")).struct.json_encode().str.slice(5)
            value = value.str.strip_suffix("}")
        else:
            value = pl.lit('"') + cell + pl.lit('"')
        key = json.dumps(name, ensure_ascii=False) + ": "
        parts.append(pl.when(cell.is_not_null() & (cell != "")).then(pl.lit(key) + value))
    return pl.lit("{") + pl.concat_str(parts, separator=", ", ignore_nulls=True) + pl.lit("}")
