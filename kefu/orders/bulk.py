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
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection, models

Row = Sequence[Any]
Convert = Callable[[Any], Any]


class JsonText(str):
    """JSON already encoded (a raw export row is encoded once, for its digest and for the
    database): written as it is, never encoded a second time."""


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _json(value: Any) -> Any:
    if value is None or isinstance(value, JsonText):
        return value
    return json.dumps(value, ensure_ascii=False)


def _sqlite_datetime(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    return value


def _sqlite_decimal(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _converters(model: type[models.Model], names: Sequence[str]) -> list[Convert | None]:
    """Per column, how a Python value becomes what the database takes, or None when the driver
    takes it as it is. Decided once per statement from the field types, not per cell: at a
    million rows a type test on every cell was seconds (bench/README.md, Order import)."""
    postgres = _is_postgres()
    converters: list[Convert | None] = []
    for name in names:
        field = model._meta.get_field(name)
        if isinstance(field, models.JSONField):
            converters.append(_json)
        elif postgres:
            converters.append(None)
        elif isinstance(field, models.DateTimeField):
            converters.append(_sqlite_datetime)
        elif isinstance(field, models.DecimalField):
            converters.append(_sqlite_decimal)
        else:
            converters.append(None)
    return converters


def _prepared(
    model: type[models.Model], names: Sequence[str], rows: Sequence[Row]
) -> Iterator[list[Any]]:
    steps = [(i, c) for i, c in enumerate(_converters(model, names)) if c is not None]
    for row in rows:
        values = list(row)
        for index, convert in steps:
            values[index] = convert(values[index])
        yield values


def _columns(model: type[models.Model], names: Sequence[str]) -> list[str]:
    """Column names of fields given by name or attname (`shop_id`)."""
    columns = []
    for name in names:
        field = model._meta.get_field(name)
        assert isinstance(field, models.Field) and field.column, name
        columns.append(field.column)
    return columns


def insert(model: type[models.Model], names: Sequence[str], rows: Sequence[Row]) -> None:
    """Append rows: COPY on PostgreSQL, executemany on SQLite. A row whose key is already
    stored fails the statement (IntegrityError), and with it the caller's transaction."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = _columns(model, names)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if _is_postgres():
            raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
            with raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for values in _prepared(model, names, rows):
                    copy.write_row(values)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({quoted}) VALUES ({marks})",
                list(_prepared(model, names, rows)),
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
                for values in _prepared(model, names, rows):
                    copy.write_row(values)
            raw.execute(
                f"INSERT INTO {table} ({quoted}) SELECT {quoted} FROM {stage} "
                f"ON CONFLICT ({key}) DO UPDATE SET {sets}"
            )
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({quoted}) VALUES ({marks}) "
                f"ON CONFLICT ({key}) DO UPDATE SET {sets}",
                list(_prepared(model, names, rows)),
            )
