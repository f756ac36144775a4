"""Set-based writes for imports of a million rows: one statement per chunk, no model instances.

bulk_create was the first version; on the benchmark (bench/README.md, Order import) Django
spent most of the time building model instances and compiling VALUES lists, and psycopg's
client-side binding re-parsed 100,000-placeholder statements in Python (20k orders: 24 s on
PostgreSQL). Here rows are plain tuples: PostgreSQL gets them through COPY into a temporary
table, then one INSERT … SELECT … ON CONFLICT DO UPDATE; SQLite (>= 3.24) gets one
executemany of INSERT … ON CONFLICT DO UPDATE, which it runs in C. Values are converted here
the way Django stores them: datetimes as UTC, JSON as text, Decimal as text on SQLite.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import connection, models

Row = Sequence[Any]


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _pg_value(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _columns(model: type[models.Model], names: Sequence[str]) -> list[str]:
    """Column names of fields given by name or attname (`shop_id`)."""
    columns = []
    for name in names:
        field = model._meta.get_field(name)
        assert isinstance(field, models.Field) and field.column, name
        columns.append(field.column)
    return columns


def insert(model: type[models.Model], names: Sequence[str], rows: Sequence[Row]) -> None:
    """Append rows (no conflicts expected): COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = _columns(model, names)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if _is_postgres():
            raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
            with raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([_pg_value(v) for v in row])
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({quoted}) VALUES ({marks})",
                [[_sqlite_value(v) for v in row] for row in rows],
            )


def upsert(
    model: type[models.Model],
    names: Sequence[str],
    rows: Sequence[Row],
    *,
    conflict: Sequence[str],
    update: Sequence[str],
) -> None:
    """Insert rows, or update `update` columns where the `conflict` key exists."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = _columns(model, names)
    q = connection.ops.quote_name
    quoted = ", ".join(q(c) for c in columns)
    key = ", ".join(q(c) for c in _columns(model, conflict))
    sets = ", ".join(f"{q(c)} = EXCLUDED.{q(c)}" for c in _columns(model, update))
    with connection.cursor() as cursor:
        if _is_postgres():
            raw = cursor.cursor
            stage = q(f"stage_{model._meta.db_table}")
            # Column types only, no constraints: the id is not in the copied columns.
            raw.execute(f"DROP TABLE IF EXISTS {stage}")
            raw.execute(
                f"CREATE TEMP TABLE {stage} ON COMMIT DROP AS "
                f"SELECT {quoted} FROM {table} WITH NO DATA"
            )
            with raw.copy(f"COPY {stage} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([_pg_value(v) for v in row])
            raw.execute(
                f"INSERT INTO {table} ({quoted}) SELECT {quoted} FROM {stage} "
                f"ON CONFLICT ({key}) DO UPDATE SET {sets}"
            )
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({quoted}) VALUES ({marks}) "
                f"ON CONFLICT ({key}) DO UPDATE SET {sets}",
                [[_sqlite_value(v) for v in row] for row in rows],
            )
