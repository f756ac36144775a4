"""An order's raw export row stored as its cells, beside the header it was read under.

The raw row (`Order.raw`) used to be stored as `{header: cell}` JSON: at a million orders the
54 header names of a Taobao 订单报表 were about 60 % of the bytes written, on every row
(bench/README.md, Order import; ADR 0010). Now the header is stored once (`RawHeader`, keyed by
`header_key`) and each order keeps `["<key>","cell","cell",…]`, one cell per header name, empty
cells as "". Reading rebuilds the same dict the row parser gives (`as_dict`: empty cells left
out, a repeated name keeps the last non-empty cell at its first place, as a dict comprehension
over the row does).

Both parsers write this exact text, so an order's digest (`digest`) is the same whichever parser
read its file. Pure: no Django.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence

KEY_LENGTH = 16  # hex digits of the header's MD5: 64 bits, for the handful of headers a shop has
# One encoder for every row: json.dumps with any option makes a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def header_key(names: Sequence[str]) -> str:
    """The key a header is stored under: the same names in the same order, the same key."""
    text = json.dumps(list(names), ensure_ascii=False)
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()[:KEY_LENGTH]


def encoded(key: str, cells: Sequence[str]) -> str:
    """The stored text: the header key, then the cells, as compact JSON."""
    return _ENCODER.encode([key, *cells])


def encoded_record(key: str, header: Sequence[str], record: Mapping[str, str]) -> str:
    """The stored text of a record the row parser read (`{header: cell}`, empty cells left out):
    one cell per header name, "" where the record has none. Rebuilds to the same record."""
    return encoded(key, [record.get(name, "") for name in header])


def as_dict(header: Sequence[str], cells: Sequence[str]) -> dict[str, str]:
    """The record of stored cells, as the row parser makes it from a row (reading.iter_records)."""
    return {name: cell for name, cell in zip(header, cells, strict=False) if cell}


def decoded(value: object) -> tuple[str, list[str]] | None:
    """(key, cells) of a stored text's JSON value, or None when it is a record as a JSON object
    (orders stored before the cells, or written as a dict since)."""
    if isinstance(value, list) and value and isinstance(value[0], str):
        return value[0], [str(cell) for cell in value[1:]]
    return None


def digest(raw_text: str, lines_json: str = "[]") -> str:
    """The row hash of an order: its stored raw text and its goods lines' records as JSON."""
    text = f"[{raw_text}, {lines_json}]"
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()
