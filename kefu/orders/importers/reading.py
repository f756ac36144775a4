"""Bytes in, a header and rows of text out: encoding detection, CSV and xlsx, cell clean-up.

Pure Python (no Django): the importers must run in a worker or a benchmark without settings.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

XLSX_MAGIC = b"PK\x03\x04"  # xlsx is a zip file
NULLS = frozenset({"", "null", "NULL", "None", "-", "--"})
# Excel-protected numbers: ="1930679858170647" keeps all digits when the CSV is opened in Excel.
_FORMULA = re.compile(r'^="(.*)"$', re.DOTALL)
_MONEY_JUNK = re.compile(r"[元¥￥,，\s]")
DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M",  # generation A after a trip through Excel: 2016/5/23 22:02
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
    "%Y/%m/%d",
)


class ImportFileError(ValueError):
    """A file that cannot be imported: names the file and, where known, the line and column."""

    def __init__(
        self, filename: str, message: str, *, line: int | None = None, column: str | None = None
    ) -> None:
        where = filename
        if line is not None:
            where += f" 第 {line} 行"
        if column is not None:
            where += f"「{column}」列"
        super().__init__(f"{where}：{message}")
        self.filename = filename
        self.line = line
        self.column = column
        self.message = message


@dataclass(frozen=True)
class Table:
    """A file's header (names stripped of surrounding spaces) and its rows; line numbers are
    those a person sees in a spreadsheet (the header is line 1)."""

    filename: str
    header: list[str]
    rows: list[list[str]]
    encoding: str

    def line_of(self, index: int) -> int:
        return index + 2


def decode(data: bytes, filename: str) -> tuple[str, str]:
    """Text and the encoding used. UTF-8 (with or without BOM) when it decodes strictly, else
    GB18030, which is a superset of GBK and GB2312, so one fallback reads Taobao's and JD's."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            filename, "无法识别文件编码（既不是 UTF-8 也不是 GBK/GB18030）", line=line
        ) from None


def _sniff_delimiter(first_line: str) -> str:
    # Generation A circulated as a tab-separated copy; everything else is comma-separated.
    return "\t" if first_line.count("\t") > first_line.count(",") else ","


def read_table(data: bytes, filename: str) -> Table:
    if data.startswith(XLSX_MAGIC):
        return _read_xlsx(data, filename)
    text, encoding = decode(data, filename)
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise ImportFileError(filename, f"CSV 格式错误：{exc}", line=reader.line_num) from None
    return _table(filename, rows, encoding)


def _read_xlsx(data: bytes, filename: str) -> Table:
    import openpyxl  # imported late: CSV imports (the common case) do not pay for it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken zip or sheet
        raise ImportFileError(filename, f"无法读取 xlsx 文件：{exc}") from None
    try:
        sheet = book.worksheets[0]
        rows = [[_xlsx_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    return _table(filename, rows, "xlsx")


def _xlsx_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(filename: str, rows: list[list[str]], encoding: str) -> Table:
    # Skip blank lines above the header (some exports start with a title line left empty).
    start = 0
    while start < len(rows) and not any(c.strip() for c in rows[start]):
        start += 1
    if start >= len(rows):
        raise ImportFileError(filename, "文件是空的，没有表头")
    header = [h.strip().lstrip("\ufeff") for h in rows[start]]
    body = [r for r in rows[start + 1 :] if any(c.strip() for c in r)]
    return Table(filename=filename, header=header, rows=body, encoding=encoding)


def clean(value: str) -> str:
    """Platform wrapping removed: ="…" (Excel formula text), a leading ' (phone numbers kept
    as text), surrounding spaces."""
    text = value.strip()
    if text[:1] == "=":
        match = _FORMULA.match(text)
        if match:
            text = match.group(1).strip()
    if text[:1] == "'":
        text = text[1:]
    return text


def is_null(text: str) -> bool:
    return text in NULLS


def parse_money(text: str) -> Decimal | None:
    """'1,299.00元' → Decimal('1299.00'); empty or literal null → None; else ValueError."""
    if is_null(text):
        return None
    try:
        value = Decimal(text)  # the common case, tried first: a million rows pass here
    except InvalidOperation:
        cleaned = _MONEY_JUNK.sub("", text)
        if cleaned in NULLS:
            return None
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise ValueError(f"不是金额：{text!r}") from None
    if not value.is_finite():
        raise ValueError(f"不是金额：{text!r}")
    return value


def parse_local_datetime(text: str) -> dt.datetime | None:
    """A naive local time (the shop's zone is attached by the caller); empty → None."""
    if is_null(text):
        return None
    if len(text) == 19 and text[4] == "-":
        # yyyy-MM-dd HH:mm:ss, what current exports write: fromisoformat is C, strptime is not.
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            pass
    for fmt in DATETIME_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt)  # noqa: DTZ007 - zone attached by the caller
        except ValueError:
            continue
    raise ValueError(f"不是日期时间：{text!r}")


def parse_int(text: str) -> int | None:
    if is_null(text):
        return None
    try:
        return int(Decimal(text.replace(",", "")))
    except (InvalidOperation, ValueError):
        raise ValueError(f"不是整数：{text!r}") from None


def iter_records(table: Table) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {header: cell as written}) for every row, empty cells left out. Cells are
    kept as the export wrote them (="…", a leading '): that is the raw record; the fields an
    importer reads are cleaned as they are read."""
    header = table.header
    for index, row in enumerate(table.rows):
        yield index + 2, {h: c for h, c in zip(header, row, strict=False) if c}
