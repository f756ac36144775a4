"""Fields that keep bulk inserts on PostgreSQL on the plain VALUES path.

Django 5.2 bulk-inserts on PostgreSQL through UNNEST(arrays). With psycopg's client-side binding
every array element is then quoted by a Python regex, and the JSON of a raw export row (Chinese
text escaped as \\uXXXX) needs one replacement per backslash: 20k orders spent 20 s there
(bench/README.md, Order import). Django skips UNNEST for a model with a field that has
`get_placeholder`, so one such field per bulk-inserted model restores VALUES, where libpq
quotes each value in C.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from kefu.core.fields import TextJSONField


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
