"""The roster as an xlsx shaped like the printed 白/晚班循环表: a title, agents by days with the
shift's label in its colour, 休 for a rest day and 假 for leave, weekday and holiday marks under
the day numbers, totals per agent, head counts per shift below and the shift times as a key."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from kefu.rota.grid import Grid

REST = "休"
LEAVE = "假"
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
WEEKEND_FILL = PatternFill("solid", fgColor="F1F3F5")
HOLIDAY_FILL = PatternFill("solid", fgColor="FFE3E3")


def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour.lstrip("#").upper())


def roster_xlsx(grid: Grid, *, shop_name: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    year, month = grid.roster.year_month
    sheet.title = f"{year}年{month}月"
    labels = "/".join(label for _, label, _, _ in grid.legend)
    n_days = len(grid.days)
    last_col = n_days + 4
    sheet.cell(row=1, column=1, value=f"{shop_name} {year}年{month}月 {labels}循环表")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    sheet.cell(row=1, column=1).alignment = CENTRE
    headers = ["姓名", *[str(day.date.day) for day in grid.days], "班次", "工时", "休息"]
    marks = [
        "星期",
        *[
            day.weekday
            + ("\n休" if day.kind == "holiday" else "\n班" if day.kind == "adjusted" else "")
            for day in grid.days
        ],
        "",
        "",
        "",
    ]
    for col, (head, mark) in enumerate(zip(headers, marks, strict=True), start=1):
        for row, value in ((2, head), (3, mark)):
            cell = sheet.cell(row=row, column=col, value=value)
            cell.font = Font(bold=True)
            cell.alignment = CENTRE
            cell.border = BOX
            if 2 <= col <= n_days + 1:
                day = grid.days[col - 2]
                if day.kind == "holiday":
                    cell.fill = HOLIDAY_FILL
                elif day.kind == "weekend":
                    cell.fill = WEEKEND_FILL
    row = 4
    for line in grid.rows:
        sheet.cell(row=row, column=1, value=line.agent.name).border = BOX
        for col, item in enumerate(line.cells, start=2):
            value = item.label if item.key else LEAVE if item.leave else REST
            cell = sheet.cell(row=row, column=col, value=value)
            cell.alignment = CENTRE
            cell.border = BOX
            if item.key and item.colour:
                cell.fill = _fill(item.colour)
                cell.font = Font(color=item.text_colour.lstrip("#").upper())
        totals: list[tuple[int, float]] = [
            (n_days + 2, line.shifts),
            (n_days + 3, line.hours),
            (n_days + 4, line.rest_days),
        ]
        for col, total in totals:
            sheet.cell(row=row, column=col, value=total).border = BOX
        row += 1
    row += 1
    for cover in grid.shift_cover:
        sheet.cell(row=row, column=1, value=f"{cover.label}人数").font = Font(bold=True)
        for col, (have, need) in enumerate(cover.values, start=2):
            cell = sheet.cell(row=row, column=col, value=have)
            cell.alignment = CENTRE
            if have < need:
                cell.fill = HOLIDAY_FILL
        row += 1
    row += 1
    for _, label, colour, times in grid.legend:
        key_cell = sheet.cell(row=row, column=1, value=label)
        key_cell.fill = _fill(colour)
        sheet.cell(row=row, column=2, value=times)
        row += 1
    sheet.column_dimensions["A"].width = 10
    for col in range(2, n_days + 2):
        sheet.column_dimensions[get_column_letter(col)].width = 4.5
    sheet.row_dimensions[3].height = 30
    sheet.freeze_panes = "B4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
