"""The payroll run as an xlsx for finance: one row per agent, one column per kind of line,
amounts as numbers (not text) in a CNY format so the sheet sums and sorts."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from kefu.payroll.models import PayrollRun, PayslipLine

CNY_FORMAT = '"¥"#,##0.00'


def payroll_xlsx(*, run: PayrollRun) -> bytes:
    lines = list(
        PayslipLine.objects.filter(payslip__run=run).order_by("payslip__agent__name", "position")
    )
    columns: dict[str, str] = {}
    for line in lines:
        columns.setdefault(line.code, line.label)
    sums: dict[int, dict[str, Decimal]] = {}
    for line in lines:
        row = sums.setdefault(line.payslip_id, {})
        row[line.code] = row.get(line.code, Decimal(0)) + line.amount
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = f"工资 {run.month}"
    sheet.append(["客服", "级别", *columns.values(), "实发合计"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for slip in run.payslips.select_related("agent").order_by("agent__name", "id"):
        amounts = sums.get(slip.pk, {})
        # openpyxl writes Decimal as a number; an absent line stays an empty cell.
        sheet.append([slip.agent.name, slip.level, *(amounts.get(c) for c in columns), slip.total])
        for cell in sheet[sheet.max_row][2:]:
            cell.number_format = CNY_FORMAT
    sheet.freeze_panes = "C2"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
