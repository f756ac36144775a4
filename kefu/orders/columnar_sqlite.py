"""Storing a columnar parse on SQLite: the same slices and plan as on PostgreSQL
(columnar_store), written by `executemany` of rows Polars hands over as tuples.

SQLite has one writer at a time and the import's transaction is it, so new orders take ids
counted on from the table's own AUTOINCREMENT counter (no other insert can come between), and
their history rows need no lookup. Values are written as Django writes them on SQLite: times
as naive UTC text (`2026-04-16 00:00:17`, microseconds only when there are some), money as
text (the column's numeric affinity stores it as a number), JSON as text.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from kefu.core.models import Shop

_STATES = {
    "order_no": pl.String, "old_id": pl.Int64, "old_hash": pl.String,
    "old_status": pl.String, "old_text": pl.String,
}  # fmt: skip


def _text_time(name: str) -> pl.Expr:
    """Django's SQLite form of an aware time: str() of the naive UTC value."""
    naive = pl.col(name).dt.convert_time_zone("UTC").dt.replace_time_zone(None)
    whole = naive.dt.strftime("%Y-%m-%d %H:%M:%S")
    fraction = naive.dt.strftime("%Y-%m-%d %H:%M:%S%.6f")
    return pl.when(naive.dt.microsecond() == 0).then(whole).otherwise(fraction).alias(name)


def _as_sqlite(frame: pl.DataFrame) -> pl.DataFrame:
    times = [name for name, dtype in frame.schema.items() if isinstance(dtype, pl.Datetime)]
    return frame.with_columns(_text_time(name) for name in times) if times else frame


# Pages SQLite may keep in memory during an import, in KiB (negative: a size, not a count).
# Its default, 2 MB, is far below the indexes of a million orders: each insert into them went
# to the file system, and they were most of an import's time.
CACHE_KIB = 256 * 1024


class SqliteWriter:
    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor  # Django's cursor: %s placeholders
        self.next_id = 0
        cursor.execute("PRAGMA cache_size")
        self.cache_size = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-CACHE_KIB}")

    def close(self) -> None:
        """The connection's own page cache size again."""
        self.cursor.execute(f"PRAGMA cache_size = {self.cache_size}")

    def stored_states(self, shop: Shop, order_nos: pl.Series) -> pl.DataFrame:
        """Every stored order of the shop (the plan's join keeps the file's)."""
        self.cursor.execute(
            "SELECT order_no, id, row_hash, status, status_text FROM orders_order "
            "WHERE shop_id = %s",
            [shop.pk],
        )
        rows = self.cursor.fetchall()
        return pl.DataFrame(rows, schema=_STATES, orient="row")

    def ids(self, count: int) -> pl.Series:
        if not self.next_id:
            # AUTOINCREMENT never reuses an id: its counter may be above the largest id.
            self.cursor.execute(
                "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence "
                "WHERE name = 'orders_order'), 0), COALESCE((SELECT MAX(id) FROM orders_order), 0))"
            )
            self.next_id = int(self.cursor.fetchone()[0]) + 1
        start, self.next_id = self.next_id, self.next_id + count
        return pl.Series("id", range(start, start + count), dtype=pl.Int64)

    def insert(self, table: str, frame: pl.DataFrame) -> None:
        if not frame.height:
            return
        marks = ", ".join(["%s"] * frame.width)
        self.cursor.executemany(
            f"INSERT INTO {table} ({', '.join(frame.columns)}) VALUES ({marks})",
            _as_sqlite(frame).iter_rows(),
        )

    def update(self, changed: pl.DataFrame) -> None:
        """Changed orders rewritten by id (`old_id`, then the columns to set)."""
        if not changed.height:
            return
        columns = [c for c in changed.columns if c not in ("old_id", "shop_id", "order_no")]
        sets = ", ".join(f"{c} = %s" for c in columns)
        self.cursor.executemany(
            f"UPDATE orders_order SET {sets} WHERE id = %s",
            _as_sqlite(changed.select(*columns, "old_id")).iter_rows(),
        )
