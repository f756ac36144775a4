"""Fields that keep bulk inserts on PostgreSQL on the plain VALUES path.

Django 5.2 bulk-inserts on PostgreSQL through UNNEST(arrays). With psycopg's client-side binding
every array element is then quoted by a Python regex, and the JSON of a raw export row (Chinese
text escaped as \\uXXXX) needs one replacement per backslash: 20k orders spent 20 s there
(bench/README.md, Order import). Django skips UNNEST for a model with a field that has
`get_placeholder`, so one such field per bulk-inserted model restores VALUES, where libpq
quotes each value in C.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import models

from kefu.core.fields import TextJSONField
from kefu.orders.importers import rawcells


class _ValuesInsert:
    def get_placeholder(self, value: Any, compiler: Any, connection: Any) -> str:
        return "%s"


class RawJSONField(_ValuesInsert, TextJSONField):
    """The export's row as read: bulk-inserted with VALUES (see the module docstring), kept
    as text on PostgreSQL (TextJSONField). A raw row is shown and compared, never queried
    inside, and parsing it into jsonb was half of what PostgreSQL spent writing an imported
    order (bench/README.md, Order import). Migration orders.0003 turned the existing jsonb
    columns into text: the class path did not change, so the autodetector could not see it."""


class ValuesCharField(_ValuesInsert, models.CharField):
    """A CharField whose model is bulk-inserted with VALUES (see the module docstring)."""


# Header key → names, filled from orders_rawheader as keys are first read. A key is the MD5 of
# its names (rawcells.header_key), so an entry can never go stale, even across rolled-back tests.
_HEADERS: dict[str, tuple[str, ...]] = {}


def header_remember(*, key: str, names: Sequence[str]) -> None:
    _HEADERS[key] = tuple(names)


def _header(key: str, connection: Any) -> tuple[str, ...]:
    names = _HEADERS.get(key)
    if names is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT names FROM orders_rawheader WHERE key = %s", [key])
            row = cursor.fetchone()
        if row is None:
            raise ValueError(f"raw row of an unknown header {key!r}")
        loaded = json.loads(row[0]) if isinstance(row[0], str) else row[0]
        names = _HEADERS[key] = tuple(loaded)
    return names


class RawRowField(RawJSONField):
    """An order's raw export row: stored as the header's key and the row's cells
    (importers/rawcells.py, ADR 0010), read back as the `{header: cell}` dict the row parser
    gives, so every reader (order page, contact details, the buyer's data export) sees the same
    record as before. A dict written to it (an order made by hand, a PIPL erasure) is stored as
    a JSON object and read back as it is."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        loaded = super().from_db_value(value, expression, connection)
        cells = rawcells.decoded(loaded)
        if cells is None:
            return loaded
        key, values = cells
        return rawcells.as_dict(_header(key, connection), values)
