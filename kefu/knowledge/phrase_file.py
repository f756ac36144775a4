"""Quick-phrase files in the shape Qianniu's 快捷短语 import takes: a spreadsheet (.xlsx) or a
CSV with a group column 分组, a phrase column 短语 and optionally a shortcut column 快捷编码.
Columns are found by name (other columns are ignored), so the order does not matter.
No Django here: the service checks the rows against the shop's rules and stores them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import openpyxl
from openpyxl.utils import get_column_letter

# Header names accepted per column, as the platforms' exports and templates spell them.
GROUP_HEADERS = ("分组", "分组名称", "短语分组", "group")
TEXT_HEADERS = ("短语", "内容", "短语内容", "快捷短语", "回复内容", "text")
SHORTCUT_HEADERS = ("快捷编码", "编码", "快捷键", "shortcut")
EXPORT_HEADERS = ("分组", "快捷编码", "短语")


@dataclass(frozen=True)
class PhraseRow:
    line: int
    group: str
    shortcut: str
    text: str
    text_column: str
    """The column letter of the phrase (A, B ...), for error messages about the text."""


class PhraseFileError(Exception):
    """The file cannot be read; `problems` are lines like `phrases.csv 第3行 C列：短语为空`."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _clean(value: object) -> str:
    text = "" if value is None else str(value)
    text = text.strip()
    # Spreadsheet quirks: ="..." keeps digits as text; a leading ' does the same in Excel.
    if text.startswith('="') and text.endswith('"'):
        text = text[2:-1]
    return text.removeprefix("'").strip()


def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PhraseFileError([f"{name}：无法识别文件编码（支持 UTF-8 和 GBK/GB18030）"])


def _csv_rows(data: bytes, name: str) -> list[list[object]]:
    return [list(row) for row in csv.reader(io.StringIO(_decode(data, name)))]


def _xlsx_rows(data: bytes, name: str) -> list[list[object]]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or non-xlsx file
        raise PhraseFileError(
            [f"{name}：不是有效的 xlsx 文件（{exc.__class__.__name__}）"]
        ) from None
    sheet = book.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def find_column(headers: list[str], names: Sequence[str]) -> int | None:
    wanted = {n.lower() for n in names}
    return next((i for i, header in enumerate(headers) if header.lower() in wanted), None)


def cell(values: list[str], at: int | None) -> str:
    return values[at] if at is not None and at < len(values) else ""


def read_table(data: bytes, name: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank rows (with their line numbers) of an xlsx or CSV file,
    cells cleaned of spreadsheet quirks. Raises PhraseFileError for an unreadable file."""
    if name.lower().endswith(".xlsx"):
        raw: list[list[object]] = _xlsx_rows(data, name)
    elif name.lower().endswith((".csv", ".txt")):
        raw = _csv_rows(data, name)
    else:
        raise PhraseFileError([f"{name}：只支持 .xlsx 和 .csv 文件"])
    if not raw:
        raise PhraseFileError([f"{name}：文件是空的"])
    rows = []
    for line, cells in enumerate(raw[1:], start=2):
        values = [_clean(value) for value in cells]
        if any(values):  # blank lines between groups are skipped
            rows.append((line, values))
    return [_clean(value) for value in raw[0]], rows


def read_phrase_file(data: bytes, name: str) -> list[PhraseRow]:
    """The phrase rows of a file, or PhraseFileError naming every bad line and column."""
    headers, table = read_table(data, name)
    group_at, text_at = find_column(headers, GROUP_HEADERS), find_column(headers, TEXT_HEADERS)
    shortcut_at = find_column(headers, SHORTCUT_HEADERS)
    missing = [
        f"“{names[0]}”"
        for names, at in ((GROUP_HEADERS, group_at), (TEXT_HEADERS, text_at))
        if at is None
    ]
    if missing or group_at is None or text_at is None:
        raise PhraseFileError(
            [f"{name} 第1行：缺少列 {'、'.join(missing)}（表头为：{'、'.join(headers)}）"]
        )
    rows: list[PhraseRow] = []
    problems: list[str] = []
    for line, values in table:
        group, text = cell(values, group_at), cell(values, text_at)
        shortcut = cell(values, shortcut_at)
        if not group:
            problems.append(f"{name} 第{line}行 {get_column_letter(group_at + 1)}列：分组为空")
        if not text:
            problems.append(f"{name} 第{line}行 {get_column_letter(text_at + 1)}列：短语为空")
        rows.append(PhraseRow(line, group, shortcut, text, get_column_letter(text_at + 1)))
    if problems:
        raise PhraseFileError(problems)
    if not rows:
        raise PhraseFileError([f"{name}：没有短语（第2行起每行一条）"])
    return rows


def write_csv(rows: Iterable[tuple[str, str, str]]) -> bytes:
    """CSV with a BOM, so Excel and Qianniu read the Chinese correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def write_xlsx(rows: Iterable[tuple[str, str, str]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = "快捷短语"
    sheet.append(list(EXPORT_HEADERS))
    for row in rows:
        sheet.append(list(row))
        for entry in sheet[sheet.max_row]:
            # openpyxl stores text starting with "=" as a formula; a phrase is always text.
            entry.data_type = "s"
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 80
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
