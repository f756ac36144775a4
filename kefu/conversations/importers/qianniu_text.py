"""Qianniu (千牛) chat text as copied out of the chat window (FORMATS.md 1c, path 1).

A message is a header line `昵称 YYYY-M-D H:MM:SS` (no space needed; an older layout puts the time
alone on the next line) and its text on the following lines. Also: transfer lines
`A --> B time`, recalls `XXX 撤回了一条消息`, status lines (已读/未读/发送中, skipped), URL lines
(kept as text), and system lines (当前用户来自…, 商品详情页, 由 服务助手 转交给…, 原因：…) stored as
`system` rows at the time of the next message. The buyer of a message is the nick that is not
the shop's: sub-accounts are `店名:子名`, so a first pass collects every `店名` used as a prefix;
the caller adds names it knows (the shop's, its sub-accounts' prefixes). One buyer per file or
many: after a blank line, shop messages wait for the next buyer header.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO
from zoneinfo import ZoneInfo

from kefu.conversations.importers.lines import read_lines
from kefu.conversations.importers.rows import (
    AGENT,
    BUYER,
    HUMAN,
    RECALL,
    SYSTEM,
    TRANSFER,
    ChatRow,
    ParseError,
    assign_holders,
    assign_seq,
    auto_reply_text,
)

# Loose on purpose (minutes without seconds, `/`): a header whose time is wrong is an error with
# its line, not silently a line of text.
_TIME = r"\d{4}[-/]\d{1,2}[-/]\d{1,2}\s+\d{1,2}:\d{1,2}(?::\d{1,2})?"
HEADER = re.compile(rf"^(?P<nick>.*?\S)\s*(?P<time>{_TIME})$")
BARE_TIME = re.compile(rf"^\s*(?P<time>{_TIME})\s*$")
TRANSFER_LINE = re.compile(rf"^(?P<a>.+?)\s*-->\s*(?P<b>.+?)(?:\s*(?P<time>{_TIME}))?$")
RECALL_LINE = re.compile(r"^(?P<nick>.*?)\s*撤回了一条消息$")
STATUS_LINES = frozenset({"已读", "未读", "发送中", "[已读]", "[未读]"})
SYSTEM_PREFIXES = ("当前用户来自", "商品详情页", "由 服务助手 转交给", "由服务助手转交给", "原因：")
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")


def parse_time(name: str, line: int, text: str, tz: ZoneInfo) -> dt.datetime:
    cleaned = " ".join(text.replace("/", "-").split())
    for fmt in TIME_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, fmt).replace(tzinfo=tz)
        except ValueError:
            continue
    raise ParseError(name, line, f"time {text!r} does not parse (expected YYYY-M-D H:MM:SS)")


@dataclass
class _Open:
    line: int
    nick: str
    at: dt.datetime
    body: list[str]


class _Reader:
    def __init__(self, name: str, tz: ZoneInfo, shop_names: set[str]) -> None:
        self.name, self.tz, self.shop_names = name, tz, shop_names
        self.buyer = ""
        self.last_buyer = ""
        self.last_at: dt.datetime | None = None
        self.last_shop_sender = ""
        self.open: _Open | None = None
        self.waiting: list[ChatRow] = []  # shop rows before this block's buyer is known
        self.systems: list[tuple[int, str]] = []  # system lines, timed by the next message
        self.blank = False
        self.loose: tuple[int, str] | None = None

    def is_shop(self, nick: str) -> bool:
        return ":" in nick or nick in self.shop_names

    def is_transfer(self, match: re.Match[str]) -> bool:
        """A timed `A --> B` line, or one between two shop accounts; an arrow in a buyer's
        text ("原价 --> 现价") stays text."""
        a, b = match.group("a").strip(), match.group("b").strip()
        return bool(match.group("time")) or (self.is_shop(a) and self.is_shop(b))

    def rows(self, lines: Iterable[tuple[int, str]]) -> Iterator[ChatRow]:
        for number, raw in lines:
            yield from self.feed(number, raw.strip())
        if self.loose is not None:
            raise ParseError(self.name, self.loose[0], "text outside any message")
        yield from self.close()
        yield from self.flush_systems(self.last_at)
        if self.waiting:
            if not self.last_buyer:
                raise ParseError(self.name, self.waiting[0].line, "no buyer in this chat record")
            for row in self.waiting:
                row.buyer = self.last_buyer
            yield from self.waiting

    def feed(self, number: int, line: str) -> Iterator[ChatRow]:
        if not line:
            self.blank = self.open is not None or self.last_at is not None
            return
        if line in STATUS_LINES:
            return
        if line.startswith(SYSTEM_PREFIXES):
            yield from self.close()
            self.systems.append((number, line))
            return
        if (match := TRANSFER_LINE.match(line)) and self.is_transfer(match):
            yield from self.close()
            at = self.time_of(number, match.group("time"))
            yield from self.start_block()
            a, b = match.group("a").strip(), match.group("b").strip()
            yield from self.emit(ChatRow(number, "", a, AGENT, TRANSFER, at, f"{a} --> {b}", b))
            return
        if match := RECALL_LINE.match(line):
            yield from self.close()
            nick = match.group("nick").strip()
            nick = self.last_shop_sender if nick in ("", "你", "您") else nick
            at = self.time_of(number, None)
            side = AGENT if self.is_shop(nick) else BUYER
            buyer = nick if side == BUYER else ""
            yield from self.emit(ChatRow(number, buyer, nick, side, RECALL, at, line))
            return
        if match := BARE_TIME.match(line):
            # The older layout: the nick was the previous line, taken as text so far.
            if self.loose is not None:
                nick, self.loose = self.loose[1], None
            elif self.open is not None and self.open.body:
                nick = self.open.body.pop()
                if self.open.body and not self.open.body[-1]:
                    self.open.body.pop()
                    self.blank = True
            else:
                raise ParseError(self.name, number, "a time line without a nickname before it")
            blank, self.blank = self.blank, False
            yield from self.close()
            self.blank = blank
            yield from self.start(number - 1, nick, match.group("time"))
            return
        if self.loose is not None:
            raise ParseError(self.name, self.loose[0], "text outside any message")
        if match := HEADER.match(line):
            yield from self.close()
            yield from self.start(number, match.group("nick"), match.group("time"))
            return
        if self.open is None:
            if self.last_at is None:
                raise ParseError(self.name, number, "text before the first 昵称 + time header line")
            self.loose = (number, line)  # a nick whose time follows on the next line, or junk
            return
        if self.blank and self.open.body:
            self.open.body.append("")
        self.blank = False
        self.open.body.append(line)

    def time_of(self, number: int, text: str | None) -> dt.datetime:
        if text:
            return parse_time(self.name, number, text, self.tz)
        if self.last_at is None:
            raise ParseError(self.name, number, "a line without a time before any message")
        return self.last_at

    def start(self, number: int, nick: str, time: str) -> Iterator[ChatRow]:
        at = parse_time(self.name, number, time, self.tz)
        yield from self.start_block()
        self.open = _Open(number, nick.strip(), at, [])

    def start_block(self) -> Iterator[ChatRow]:
        if self.blank:  # a blank line then a header: maybe another buyer's window
            self.blank = False
            self.last_buyer = self.buyer or self.last_buyer
            self.buyer = ""
        return iter(())

    def close(self) -> Iterator[ChatRow]:
        opened, self.open = self.open, None
        if opened is None:
            return
        text = "\n".join(opened.body)
        if self.is_shop(opened.nick):
            stripped = auto_reply_text(text)
            kind = HUMAN if stripped is None else "auto_reply"
            row = ChatRow(opened.line, "", opened.nick, AGENT, kind, opened.at, stripped or text)
            self.last_shop_sender = opened.nick
        else:
            row = ChatRow(opened.line, opened.nick, opened.nick, BUYER, HUMAN, opened.at, text)
        yield from self.emit(row)

    def flush_systems(self, at: dt.datetime | None) -> Iterator[ChatRow]:
        systems, self.systems = self.systems, []
        for number, line in systems:
            when = self.time_of(number, None) if at is None else at
            yield from self.emit(ChatRow(number, "", "", AGENT, SYSTEM, when, line), timed=True)

    def emit(self, row: ChatRow, timed: bool = False) -> Iterator[ChatRow]:
        if not timed:
            yield from self.flush_systems(row.at)
        self.last_at = row.at
        if row.direction == BUYER:
            self.buyer = row.buyer
            for waiting in self.waiting:
                waiting.buyer = row.buyer
            yield from self.waiting
            self.waiting.clear()
        elif self.buyer:
            row.buyer = self.buyer
        else:
            self.waiting.append(row)
            return
        yield row


def shop_prefixes(lines: Iterable[tuple[int, str]]) -> set[str]:
    """Every `店名` used before a `:` in a header or transfer nick (the first pass)."""
    names: set[str] = set()
    for _, line in lines:
        match = TRANSFER_LINE.match(line.strip()) or HEADER.match(line.strip())
        if match is None:
            continue
        for nick in match.groups()[:2]:
            if nick and ":" in nick:
                names.add(nick.split(":", 1)[0].strip())
    return names


def parse_qianniu_text(
    name: str, stream: BinaryIO, *, tz: ZoneInfo, shop_names: Iterable[str] = ()
) -> Iterator[ChatRow]:
    """Rows in file order per buyer, with holders and sequence numbers. `stream` must seek."""
    names = set(shop_names) | shop_prefixes(read_lines(name, stream))
    stream.seek(0)
    reader = _Reader(name, tz, names)
    return assign_seq(assign_holders(reader.rows(read_lines(name, stream)), tz))
