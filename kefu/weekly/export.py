"""The weekly report as xlsx (one sheet per part) and as PDF (reportlab: its built-in CID font
STSong-Light shows Chinese without shipping a font file)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from reportlab import platypus
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

from kefu.weekly.selectors import Section, WeekReport

SHEET_TITLE_MAX = 31  # Excel's limit


def write_week_xlsx(report: WeekReport) -> bytes:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for section in report.sections:
        sheet = book.create_sheet(section.title[:SHEET_TITLE_MAX])
        sheet.append([report.title])
        sheet["A1"].font = Font(bold=True, size=13)
        if section.missing:
            sheet.append([section.missing])
        for label, value in section.summary:
            sheet.append([label, value])
        sheet.append([])
        sheet.append(list(section.headers))
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in section.rows:
            sheet.append(list(row))
            for entry in sheet[sheet.max_row]:
                entry.data_type = "s"
        for index in range(len(section.headers)):
            sheet.column_dimensions[get_column_letter(index + 1)].width = 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_week_pdf(report: WeekReport) -> bytes:
    """A4 landscape, one table per part."""
    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=8, leading=10, wordWrap="CJK")
    head = ParagraphStyle("head", parent=body, fontSize=12, leading=16, spaceBefore=8)
    title = ParagraphStyle("title", parent=body, fontSize=15, leading=20)

    def para(text: str, style: Any = body) -> Any:
        safe = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return platypus.Paragraph(safe, style)

    out = io.BytesIO()
    page = landscape(A4)
    doc = platypus.SimpleDocTemplate(
        out, pagesize=page, leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm,
        bottomMargin=12 * mm, title=report.title,
    )  # fmt: skip
    story: list[object] = [para(report.title, title)]
    for section in report.sections:
        story.append(para(section.title, head))
        if section.missing:
            story.append(para(section.missing))
        if section.summary:
            story.append(para("；".join(f"{label}：{value}" for label, value in section.summary)))
        story.append(platypus.Spacer(1, 2 * mm))
        story.append(_table(section, para, page[0] - 24 * mm))
    doc.build(story)
    return out.getvalue()


def _table(section: Section, para: Callable[[str], Any], width: float) -> Any:
    data = [[para(h) for h in section.headers]]
    data += [[para(cell) for cell in row] for row in section.rows] or [
        [para("—")] + [para("") for _ in section.headers[1:]]
    ]
    table = platypus.Table(data, colWidths=[width / len(section.headers)] * len(section.headers))
    table.setStyle(
        platypus.TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table
