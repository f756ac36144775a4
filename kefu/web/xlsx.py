"""One table as an xlsx download: a bold header row, numbers kept as numbers (Decimal money in a
CNY format), dates as dates, the header frozen. Every table on a page can offer it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

CNY_FORMAT = '"¥"#,##0.00'
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_table(*, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = title[:31]
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(value) for value in row])
        for cell, value in zip(sheet[sheet.max_row], row, strict=False):
            if isinstance(value, Decimal):
                cell.number_format = CNY_FORMAT
            elif isinstance(value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones: the caller passes local time
    if value is not None and not isinstance(value, str | int | float | Decimal | dt.date):
        return str(value)
    return value


def xlsx_response(
    *, filename: str, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    response = HttpResponse(xlsx_table(title=title, header=header, rows=rows), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
