"""The documented generic formats (docs/chat-import.md): CSV with a header row, or JSON Lines,
one message each with shop, buyer, sender, direction, time, text, kind (and transfer_to); and
the Qianniu web-history JSON (`{user, exportTime, count, chats: [{date, time, sender, text,
imgUrl}]}`, FORMATS.md 1c path 2). Rows of one buyer must come in time order."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from kefu.conversations.importers.lines import SNIFF_BYTES, detect_encoding, read_lines
from kefu.conversations.importers.qianniu_text import TRANSFER_LINE, parse_time
from kefu.conversations.importers.rows import (
    AGENT,
    AUTO_REPLY,
    BUYER,
    HUMAN,
    KINDS,
    TRANSFER,
    ChatRow,
    ParseError,
    assign_holders,
    assign_seq,
    auto_reply_text,
)

COLUMNS = ("shop", "buyer", "sender", "direction", "time", "text", "kind", "transfer_to")
REQUIRED = ("buyer", "sender", "direction", "time")
DIRECTIONS = {"buyer": BUYER, "买家": BUYER, "agent": AGENT, "客服": AGENT, "seller": AGENT}
MAX_JSON_BYTES = 64 << 20  # one web-history file is one buyer; bigger is not that format


def _time(name: str, line: int, value: str, tz: ZoneInfo) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return parse_time(name, line, value, tz)
    return parsed.replace(tzinfo=tz) if parsed.tzinfo is None else parsed


def row_from_mapping(
    name: str, line: int, record: Mapping[str, Any], *, tz: ZoneInfo, shop_keys: set[str]
) -> ChatRow:
    """One generic record as a row; ParseError names the field that is wrong."""
    values = {key: str(record.get(key) or "").strip() for key in COLUMNS}
    if "text" in record and record["text"] is not None:
        values["text"] = str(record["text"])
    for key in REQUIRED:
        if not values[key]:
            raise ParseError(name, line, f"field {key!r} is empty")
    if values["shop"] and shop_keys and values["shop"] not in shop_keys:
        raise ParseError(name, line, f"shop {values['shop']!r} is not the shop importing")
    direction = DIRECTIONS.get(values["direction"].lower())
    if direction is None:
        raise ParseError(name, line, f"direction {values['direction']!r}: use buyer or agent")
    kind = values["kind"] or HUMAN
    if kind not in KINDS:
        raise ParseError(name, line, f"kind {kind!r}: use one of {', '.join(KINDS)}")
    if direction == BUYER and kind not in (HUMAN, "recall"):
        raise ParseError(name, line, f"a buyer message cannot be of kind {kind!r}")
    at = _time(name, line, values["time"], tz)
    return ChatRow(
        line,
        values["buyer"],
        values["sender"],
        direction,
        kind,
        at,
        values["text"],
        values["transfer_to"],
    )


def parse_csv(
    name: str, stream: BinaryIO, *, tz: ZoneInfo, shop_keys: Iterable[str] = ()
) -> Iterator[ChatRow]:
    keys = set(shop_keys)

    def records() -> Iterator[ChatRow]:
        lines = read_lines(name, stream)
        reader = csv.DictReader(line + "\n" for _, line in lines)
        header = [h.strip().lower() for h in reader.fieldnames or []]
        missing = [column for column in REQUIRED if column not in header]
        if missing:
            raise ParseError(name, 1, f"missing column(s): {', '.join(missing)}")
        reader.fieldnames = header
        for record in reader:
            yield row_from_mapping(name, reader.line_num, record, tz=tz, shop_keys=keys)

    return assign_seq(assign_holders(records(), tz))


def parse_jsonl(
    name: str, stream: BinaryIO, *, tz: ZoneInfo, shop_keys: Iterable[str] = ()
) -> Iterator[ChatRow]:
    keys = set(shop_keys)

    def records() -> Iterator[ChatRow]:
        for number, line in read_lines(name, stream):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ParseError(name, number, f"not JSON: {exc.msg}") from None
            if not isinstance(record, dict):
                raise ParseError(name, number, "each line must be a JSON object")
            yield row_from_mapping(name, number, record, tz=tz, shop_keys=keys)

    return assign_seq(assign_holders(records(), tz))


def parse_qianniu_json(name: str, stream: BinaryIO, *, tz: ZoneInfo) -> Iterator[ChatRow]:
    """The userscript's per-buyer JSON; `line` is the chat's 1-based position in `chats`."""
    raw = stream.read(MAX_JSON_BYTES + 1)
    if len(raw) > MAX_JSON_BYTES:
        raise ParseError(name, 0, "a Qianniu history JSON over 64 MB; export per buyer")
    if not raw.strip():
        raise ParseError(name, 0, "the file is empty")
    try:
        document = json.loads(raw.decode(detect_encoding(name, raw[:SNIFF_BYTES])))
    except UnicodeDecodeError:
        raise ParseError(name, 0, "not UTF-8 or GBK JSON") from None
    except json.JSONDecodeError as exc:
        raise ParseError(name, exc.lineno, f"not JSON: {exc.msg}") from None
    if not isinstance(document, dict) or not isinstance(document.get("chats"), list):
        raise ParseError(name, 0, "expected {user, exportTime, count, chats: [...]}")
    buyer = str(document.get("user") or "").strip()
    if not buyer:
        raise ParseError(name, 0, "field 'user' (the buyer) is empty")

    def records() -> Iterator[ChatRow]:
        for index, chat in enumerate(document["chats"], start=1):
            if not isinstance(chat, dict):
                raise ParseError(name, index, "chat entry is not an object")
            sender = str(chat.get("sender") or "").strip()
            stamp = f"{chat.get('date') or ''} {chat.get('time') or ''}".strip()
            at = parse_time(name, index, stamp, tz)
            text = str(chat.get("text") or "")
            if not text and chat.get("imgUrl"):
                text = f"[图片] {chat['imgUrl']}"
            if sender == buyer:
                yield ChatRow(index, buyer, sender, BUYER, HUMAN, at, text)
                continue
            if match := TRANSFER_LINE.match(text.strip()):
                target = match.group("b").strip()
                yield ChatRow(index, buyer, sender, AGENT, TRANSFER, at, text, target)
                continue
            stripped = auto_reply_text(text)
            kind = HUMAN if stripped is None else AUTO_REPLY
            yield ChatRow(
                index, buyer, sender, AGENT, kind, at, text if stripped is None else stripped
            )

    return assign_seq(assign_holders(records(), tz))
