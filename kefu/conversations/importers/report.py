"""The 赤兔 / 千牛 客服绩效 report (xlsx, FORMATS.md 1i) as the platform's own figures: one
`StatRow` per (agent nickname, column). `汇总` / `均值` pseudo-agent rows are skipped; a cell
reading `延迟统计` is kept as pending (no value). The period comes from a 日期 column or from the
file name (`…_2026-04-20至2026-04-20.xlsx`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

from openpyxl import load_workbook

from kefu.conversations.importers.rows import ParseError

NICK_COLUMNS = ("客服昵称", "账户名", "旺旺", "客服", "子账号")
DATE_COLUMNS = ("日期",)
SKIP_COLUMNS = ("店铺",)
PSEUDO_AGENTS = frozenset({"汇总", "均值", "合计", "平均"})
PENDING = "延迟统计"
PERIOD = re.compile(r"(\d{4}-\d{2}-\d{2})至(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True, slots=True)
class StatRow:
    line: int
    date_from: dt.date
    date_to: dt.date
    nickname: str
    metric: str
    value: Decimal | None
    raw: str
    pending: bool


def _date(name: str, line: int, value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip().replace("/", "-")[:10])
    except ValueError:
        raise ParseError(name, line, f"date {value!r} does not parse") from None


def _number(name: str, line: int, metric: str, value: Any) -> Decimal | None:
    if value is None or value == "" or value == "-":
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = str(value).strip().replace(",", "")
    try:
        return Decimal(text[:-1]) if text.endswith("%") else Decimal(text)
    except InvalidOperation:
        raise ParseError(name, line, f"column {metric}: {value!r} is not a number") from None


def parse_report(name: str, stream: BinaryIO) -> Iterator[StatRow]:
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a file that is not xlsx
        raise ParseError(name, 0, f"not an xlsx workbook ({exc.__class__.__name__})") from None
    sheet = book.worksheets[0]
    period = PERIOD.search(name)
    header: list[str] = []
    nick_at = date_at = -1
    for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = ["" if v is None else v for v in values]
        if not header:
            names = [str(c).strip() for c in cells]
            found = [i for i, n in enumerate(names) if n in NICK_COLUMNS]
            if found:
                header, nick_at = names, found[0]
                date_at = next((i for i, n in enumerate(names) if n in DATE_COLUMNS), -1)
                if date_at < 0 and period is None:
                    raise ParseError(name, line, "no 日期 column and no period in the file name")
            continue
        nick = str(cells[nick_at]).strip() if nick_at < len(cells) else ""
        if not nick or nick in PSEUDO_AGENTS:
            continue
        if date_at >= 0:
            date_from = date_to = _date(name, line, cells[date_at])
        else:
            assert period is not None
            date_from = _date(name, line, period.group(1))
            date_to = _date(name, line, period.group(2))
        for index, metric in enumerate(header):
            if index in (nick_at, date_at) or not metric or metric in SKIP_COLUMNS:
                continue
            value = cells[index] if index < len(cells) else None
            raw = "" if value is None else str(value).strip()
            if raw == PENDING:
                yield StatRow(line, date_from, date_to, nick, metric, None, raw, True)
                continue
            number = _number(name, line, metric, value)
            yield StatRow(line, date_from, date_to, nick, metric, number, raw[:64], False)
    if not header:
        raise ParseError(name, 0, f"no header row with one of {', '.join(NICK_COLUMNS)}")
