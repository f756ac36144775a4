"""Model fields shared by the apps."""

from __future__ import annotations

import json
from typing import Any

from django.db import models


class TextJSONField(models.JSONField):
    """JSON kept as written: a text column on PostgreSQL, where JSONField would be jsonb.

    jsonb reorders an object's keys (shorter keys first), and parsing into it costs. For a
    document that is read whole and never queried inside (a shop's policy, whose shifts and
    lists are in the order the supervisor wrote them; an export's raw row), text keeps the
    order and writes faster. SQLite stores JSON as text already. Lookups inside the JSON
    (`field__key`) are not available on such a field."""

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "postgresql":
            return "text"
        return super().db_type(connection)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if connection.vendor != "postgresql":
            return super().get_db_prep_value(value, connection, prepared)
        if value is None:
            return None
        return json.dumps(value, cls=self.encoder, ensure_ascii=False)
