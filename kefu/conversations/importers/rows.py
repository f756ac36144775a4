"""The plain row every parser yields, the parse error, and the two stages shared by all formats:
who holds the buyer (`assign_holders`) and the sequence among identical messages in one second
(`assign_seq`), which together make a message's identity stable across re-imports."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

BUYER = "buyer"
AGENT = "agent"
HUMAN, AUTO_REPLY, SYSTEM, TRANSFER, RECALL = "human", "auto_reply", "system", "transfer", "recall"
KINDS = (HUMAN, AUTO_REPLY, SYSTEM, TRANSFER, RECALL)
AUTO_MARKS = ("[自动回复]", "【自动回复】")
# (guess) Qianniu ends a reception after a quiet spell; a buyer writing again after it is routed
# again. Only who holds an unanswered message depends on it, never a KPI threshold.
SESSION_GAP = dt.timedelta(minutes=30)
NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)


class ParseError(ValueError):
    """A file that cannot be imported; `str()` names the file and line."""

    def __init__(self, name: str, line: int, message: str) -> None:
        super().__init__(f"{name}: line {line}: {message}" if line else f"{name}: {message}")
        self.name = name
        self.line = line
        self.reason = message


@dataclass(slots=True)
class ChatRow:
    line: int
    buyer: str
    sender: str
    direction: str
    kind: str
    at: dt.datetime  # aware
    text: str
    transfer_to: str = ""
    holder: str = ""  # shop-side nickname holding the buyer; "" = nobody (left message)
    seq: int = 0

    @property
    def text_hash(self) -> str:
        return text_hash(self.text)


@dataclass
class _Holding:
    day: dt.date
    holder: str = ""
    fallback: str = ""
    last_at: dt.datetime = NEVER
    pending: list[ChatRow] = field(default_factory=list)

    def flush(self) -> list[ChatRow]:
        for row in self.pending:
            row.holder = self.fallback
        pending, self.pending = self.pending, []
        return pending


def text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def assign_holders(rows: Iterable[ChatRow], tz: ZoneInfo) -> Iterator[ChatRow]:
    """Set `holder` on each row. A shop message is held by its sender (a transfer then hands the
    buyer to its target). Within one buyer's shop-local day, a buyer or system row is held by the
    current holder; before anyone on the shop side has written that day it waits for the first
    shop sender (Qianniu routes the buyer to that window: the main account's auto-reply for a
    left message, a sub-account otherwise). Rows of one buyer must come in time order."""
    state: dict[str, _Holding] = {}
    for row in rows:
        day = row.at.astimezone(tz).date()
        holding = state.get(row.buyer)
        if holding is None or holding.day != day:
            if holding is not None:
                yield from holding.flush()
            holding = state[row.buyer] = _Holding(day)
        elif row.direction == BUYER and row.at - holding.last_at > SESSION_GAP:
            # A buyer back after a pause is routed afresh: the next shop sender holds them
            # (the previous holder if nobody answers).
            yield from holding.flush()
            holding.fallback, holding.holder = holding.holder, ""
        holding.last_at = row.at
        if row.direction == AGENT and row.kind != SYSTEM:
            for waiting in holding.pending:
                waiting.holder = row.sender
                yield waiting
            holding.pending.clear()
            row.holder = row.sender
            holding.holder = row.transfer_to or row.sender
            yield row
        elif holding.holder:
            row.holder = holding.holder
            yield row
        else:
            holding.pending.append(row)
    for holding in state.values():
        yield from holding.flush()


def assign_seq(rows: Iterable[ChatRow]) -> Iterator[ChatRow]:
    """Number identical messages (same buyer, sender, second and text) 0, 1, 2… in file order."""
    seen: dict[str, tuple[dt.datetime, dict[tuple[str, str], int]]] = {}
    for row in rows:
        at = row.at.replace(microsecond=0)
        last = seen.get(row.buyer)
        if last is None or last[0] != at:
            last = seen[row.buyer] = (at, {})
        key = (row.sender, row.text)
        row.seq = last[1].get(key, 0)
        last[1][key] = row.seq + 1
        yield row


def auto_reply_text(text: str) -> str | None:
    """The text without its auto-reply mark, or None when it has none."""
    for mark in AUTO_MARKS:
        if text.startswith(mark):
            return text[len(mark) :].lstrip()
    return None
