"""Storing a columnar parse (importers/columnar.py) a slice at a time, in a few statements.

The stored ids, digests and states of the file's orders are fetched once (PostgreSQL: the
numbers go in by COPY, the answer comes back by COPY); Polars then splits each slice into
new, changed and unchanged orders. New orders get their ids first (PostgreSQL: from the
table's sequence; SQLite: columnar_sqlite) and go straight into the table, their history rows
beside them; changed ones are updated by id; unchanged ones cost nothing more. Python touches
only the rows with a seller note (the flag reader depends on the policy of the order's date).
Same outcome as storing.orders_store, which stays the path for xlsx, grouped and irregular
files; kefu/orders/tests/test_columnar.py holds the two parses to the same values and
test_services.py the two stores to the same rows.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import polars as pl
from django.db import connection

from kefu.core.models import Shop
from kefu.orders.columnar_sqlite import SqliteWriter
from kefu.orders.flag_service import FlagReaders
from kefu.orders.importers import columnar
from kefu.orders.importers.columnar import ColumnarFile
from kefu.orders.models import ImportBatch

# ORDER_KEY + ORDER_FIELDS of storing, as columns of orders_order.
ORDER_COLUMNS = (
    "shop_id", "order_no", "platform", "buyer_nick", "status", "status_text", "created_at",
    "paid_at", "total_amount", "paid_amount", "refund_amount", "flag", "seller_note",
    "buyer_message", "flag_kind", "flag_agent_id", "flag_agent_name", "flag_content",
    "split_into", "raw", "row_hash", "batch_id", "updated_at",
)  # fmt: skip
_UPDATED = ORDER_COLUMNS[2:]  # everything but the key


def available() -> bool:
    return connection.vendor in ("postgresql", "sqlite")


def orders_store_columnar(
    *, shop: Shop, batch: ImportBatch, read: ColumnarFile, warnings: list[str]
) -> tuple[int, int, int]:
    """(created, updated, unchanged). Runs inside the caller's transaction; raises
    RowPathNeeded (the caller rolls back and parses row by row) at the first slice of the
    file that is not the regular case. A thread parses the next slice while this one is
    stored: Polars and the database work at the same time, on the two cores of the benchmark."""
    now = dt.datetime.now(dt.UTC)
    readers = FlagReaders(shop)
    unknown_agents: dict[str, str] = {}
    counts = [0, 0, 0]
    slices = columnar.orders_slices(read, zone=str(shop.tzinfo), size=columnar.SLICE)
    with connection.cursor() as cursor, ThreadPoolExecutor(1, "orders-parse") as pool:
        zone = str(shop.tzinfo)
        pending = pool.submit(_next, slices, zone)  # the first slice parses during the lookup
        if connection.vendor == "sqlite":
            writer: Writer = SqliteWriter(cursor)
        else:
            writer = PostgresWriter(cursor.cursor)  # psycopg's own cursor, for COPY
        try:
            stored = writer.stored_states(shop, read.order_nos)
            while (parsed := pending.result()) is not None:
                pending = pool.submit(_next, slices, zone)
                frame = _with_flags(readers, *parsed, unknown_agents)
                frame = _as_stored(shop, batch, frame, now)
                done = _store_slice(writer, shop, batch, frame, stored, now)
                counts = [a + b for a, b in zip(counts, done, strict=True)]
        finally:
            writer.close()
    warnings.extend(read.warnings)
    for name, order_no in unknown_agents.items():
        warnings.append(f"备注中的客服「{name}」不是本店的客服或子账号（如订单 {order_no}）")
    return counts[0], counts[1], counts[2]


class PostgresWriter:
    """Writes by COPY (see the module docstring)."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.reserved = pl.Series("id", [], dtype=pl.Int64)

    def stored_states(self, shop: Shop, order_nos: pl.Series) -> pl.DataFrame:
        raw = self.raw
        raw.execute("SET LOCAL enable_seqscan = off")
        # The stored states of the file's orders, in one query for the whole file: by slice,
        # the planner read the whole table for every slice (its figures for orders_order
        # date from before this transaction filled it) or probed the index a million times;
        # either was 35 s at a million orders. A shop's first import has nothing to look up.
        raw.execute(f"SELECT EXISTS (SELECT FROM orders_order WHERE shop_id = {int(shop.pk)})")
        if not raw.fetchone()[0]:
            # Every order is new: all their ids in one query, while the first slice parses.
            self.reserved = _ids(raw, "orders_order", len(order_nos))
            return pl.DataFrame(schema=_STATES)
        return _stored_states(raw, shop, order_nos)

    def ids(self, count: int) -> pl.Series:
        if self.reserved.len() >= count:
            taken, self.reserved = self.reserved.head(count), self.reserved.slice(count)
            return taken
        return _ids(self.raw, "orders_order", count)

    def insert(self, table: str, frame: pl.DataFrame) -> None:
        _copy(self.raw, table, frame)

    def update(self, changed: pl.DataFrame) -> None:
        _update(self.raw, changed)

    def close(self) -> None:
        pass


Writer = PostgresWriter | SqliteWriter


def _store_slice(
    writer: Writer,
    shop: Shop,
    batch: ImportBatch,
    frame: pl.DataFrame,
    stored: pl.DataFrame,
    now: dt.datetime,
) -> tuple[int, int, int]:
    if stored.height:
        plan = frame.join(stored, on="order_no", how="left")
    else:  # a first import: every order is new
        plan = frame.with_columns(
            pl.lit(None, dtype=t).alias(c) for c, t in _STATES.items() if c != "order_no"
        )
    new = plan.filter(pl.col("old_id").is_null())
    changed = plan.filter(
        pl.col("old_id").is_not_null() & (pl.col("old_hash") != pl.col("row_hash"))
    )
    unchanged = plan.height - new.height - changed.height
    # New orders get their ids here, so their history rows need no lookup afterwards.
    new = new.with_columns(id=writer.ids(new.height))
    writer.insert("orders_order", new.select("id", *ORDER_COLUMNS))
    writer.update(changed.select("old_id", *ORDER_COLUMNS))
    history = pl.concat(
        [
            new.select(
                order_id="id", from_status=pl.lit(""), to_status="status",
                from_text=pl.lit(""), to_text="status_text",
            ),
            changed.filter(pl.col("old_text") != pl.col("status_text")).select(
                order_id="old_id", from_status="old_status", to_status="status",
                from_text="old_text", to_text="status_text",
            ),
        ]
    )  # fmt: skip
    history = history.select(
        shop_id=pl.lit(shop.pk, dtype=pl.Int64),
        order_id=pl.col("order_id"),
        from_status=pl.col("from_status"),
        to_status=pl.col("to_status"),
        from_text=pl.col("from_text"),
        to_text=pl.col("to_text"),
        seen_at=pl.lit(now),
        batch_id=pl.lit(batch.pk, dtype=pl.Int64),
    )
    writer.insert("orders_orderstatuschange", history)
    return new.height, changed.height, unchanged


_STATES = {
    "order_no": pl.String, "old_id": pl.Int64, "old_hash": pl.String,
    "old_status": pl.String, "old_text": pl.String,
}  # fmt: skip


def _stored_states(raw: Any, shop: Shop, order_nos: pl.Series) -> pl.DataFrame:
    """id, row hash and state of the stored orders among these numbers: the numbers go in by
    COPY, the answer comes back by COPY, as CSV both ways."""
    raw.execute("DROP TABLE IF EXISTS import_order_nos")
    raw.execute("CREATE TEMP TABLE import_order_nos (order_no text) ON COMMIT DROP")
    _copy(raw, "import_order_nos", order_nos.to_frame("order_no"))
    raw.execute("ANALYZE import_order_nos")
    raw.execute("SET LOCAL enable_seqscan = on")  # a whole-table join: the planner chooses
    out = io.BytesIO()
    query = (
        "SELECT o.order_no, o.id, o.row_hash, o.status, o.status_text FROM import_order_nos k "
        f"JOIN orders_order o ON o.shop_id = {int(shop.pk)} AND o.order_no = k.order_no"
    )
    with raw.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)") as copy:
        for chunk in copy:
            out.write(chunk)
    raw.execute("SET LOCAL enable_seqscan = off")  # the update of changed orders is by id
    if not out.getbuffer().nbytes:
        return pl.DataFrame(schema=_STATES)
    out.seek(0)
    return pl.read_csv(out, has_header=False, new_columns=list(_STATES), schema=_STATES)


def _ids(raw: Any, table: str, count: int) -> pl.Series:
    """`count` ids from the table's own sequence, as the rows would have got them (read back
    by COPY: a million tuples through fetchall took seconds). The sequence is named once:
    pg_get_serial_sequence inside nextval ran for every row, 8 times the cost of nextval."""
    if not count:
        return pl.Series("id", [], dtype=pl.Int64)
    raw.execute(f"SELECT pg_get_serial_sequence('{table}', 'id')")
    sequence = raw.fetchone()[0].replace("'", "''")
    out = io.BytesIO()
    query = f"SELECT nextval('{sequence}'::regclass) FROM generate_series(1, {int(count)})"
    with raw.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)") as copy:
        for chunk in copy:
            out.write(chunk)
    # Read here rather than by Polars, whose thread pool the parse of the next slice is using.
    return pl.Series("id", [int(line) for line in out.getvalue().split()], dtype=pl.Int64)


# COPY's CSV with a quote character and a null marker that exports do not contain in practice
# (and that stay correct if they do: a field holding the quote character is quoted and the
# character doubled, by the CSV rules both sides follow). With the usual double quote, every
# quote inside the raw rows' JSON was doubled: 12 % more bytes and twice the time to write
# (200,000 orders: 311 MB in 3.2 s, against 278 MB in 1.5 s; bench/README.md).
_QUOTE = "\x01"
_NULL = "\x02"


def _copy(raw: Any, table: str, frame: pl.DataFrame) -> None:
    """The frame's rows appended to the table, columns by name, in one COPY of CSV text."""
    if not frame.height:
        return
    out = io.BytesIO()
    frame.write_csv(
        out,
        include_header=False,
        null_value=_NULL,
        quote_char=_QUOTE,
        quote_style="necessary",
        datetime_format="%Y-%m-%d %H:%M:%S%.f%:z",
    )
    body = out.getbuffer()
    columns = ", ".join(frame.columns)
    options = "FORMAT csv, NULL E'\\x02', QUOTE E'\\x01'"
    with raw.copy(f"COPY {table} ({columns}) FROM STDIN ({options})") as copy:
        for start in range(0, len(body), 1 << 20):
            copy.write(body[start : start + (1 << 20)])
    del body


def _update(raw: Any, changed: pl.DataFrame) -> None:
    """Changed orders rewritten from a staged copy (a re-export with new states)."""
    if not changed.height:
        return
    raw.execute("DROP TABLE IF EXISTS stage_orders")
    raw.execute(
        f"CREATE TEMP TABLE stage_orders ON COMMIT DROP AS SELECT id AS old_id, "
        f"{', '.join(ORDER_COLUMNS)} FROM orders_order WITH NO DATA"
    )
    _copy(raw, "stage_orders", changed)
    sets = ", ".join(f"{c} = s.{c}" for c in _UPDATED)
    raw.execute(f"UPDATE orders_order o SET {sets} FROM stage_orders s WHERE o.id = s.old_id")


Noted = list[tuple[int, str, str, str | None, dt.date]]


def _next(slices: Iterator[pl.DataFrame], zone: str) -> tuple[pl.DataFrame, Noted] | None:
    """The next slice and its rows with a seller note (row, number, note, flag, local day of
    the order), made in the parsing thread: the store's thread only reads the notes."""
    frame = next(slices, None)
    if frame is None:
        return None
    # The reader in force on the order's local date (created_at is stored in UTC).
    local_day = pl.col("created_at").dt.convert_time_zone(zone).dt.date()
    noted = frame.with_row_index().filter(pl.col("seller_note") != "")
    return frame, noted.select("index", "order_no", "seller_note", "flag", local_day).rows()


def _with_flags(
    readers: FlagReaders, frame: pl.DataFrame, noted: Noted, unknown: dict[str, str]
) -> pl.DataFrame:
    """The agent read out of each seller note (storing._order does it row by row); only the
    rows with a note are read, in Python. Agents not of the shop are added to `unknown`."""
    index: list[int] = []
    kinds: list[str] = []
    agent_ids: list[int | None] = []
    names: list[str] = []
    contents: list[str] = []
    for row, order_no, note, flag, day in noted:
        reader = readers.get(day)
        reading = reader.read(note, flag) if reader else None
        if reading is None:
            continue
        index.append(row)
        kinds.append(reading.kind)
        agent_ids.append(reading.agent_id)
        names.append(reading.agent_name[:50])
        contents.append(reading.content[:255])
        if reading.agent_name and reading.agent_id is None:
            unknown.setdefault(reading.agent_name[:50], order_no)
    # Written into full-length columns in place: a join of the slice with its readings made
    # the slice again, in the thread pool the parse of the next slice was using.
    height = frame.height

    def column(name: str, values: list[Any], dtype: Any, empty: Any) -> pl.Series:
        full = pl.Series(name, [empty] * height, dtype=dtype)
        return full.scatter(index, pl.Series(values, dtype=dtype)) if index else full

    return frame.with_columns(
        column("flag_kind", kinds, pl.String, ""),
        column("flag_agent_id", agent_ids, pl.Int64, None),
        column("flag_agent_name", names, pl.String, ""),
        column("flag_content", contents, pl.String, ""),
    )


def _as_stored(
    shop: Shop, batch: ImportBatch, frame: pl.DataFrame, now: dt.datetime
) -> pl.DataFrame:
    """The columns of orders_order in ORDER_COLUMNS order, values as the row path stores them."""
    return frame.select(
        shop_id=pl.lit(shop.pk, dtype=pl.Int64),
        order_no=pl.col("order_no"),
        platform=pl.lit(shop.platform),
        buyer_nick=pl.col("buyer_nick").str.slice(0, 100),
        status=pl.col("status"),
        status_text=pl.col("status_text").str.slice(0, 64),
        created_at=pl.col("created_at"),
        paid_at=pl.col("paid_at"),
        total_amount=pl.col("total_amount"),
        paid_amount=pl.col("paid_amount"),
        refund_amount=pl.col("refund_amount"),
        flag=pl.col("flag").fill_null(""),
        seller_note=pl.col("seller_note"),
        buyer_message=pl.col("buyer_message"),
        flag_kind=pl.col("flag_kind"),
        flag_agent_id=pl.col("flag_agent_id"),
        flag_agent_name=pl.col("flag_agent_name"),
        flag_content=pl.col("flag_content"),
        split_into=pl.col("split_into"),
        raw=pl.col("raw"),
        row_hash=pl.col("row_hash"),
        batch_id=pl.lit(batch.pk, dtype=pl.Int64),
        updated_at=pl.lit(now),
    )
