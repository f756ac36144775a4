"""The raw-data view of payroll runs and the fines fund, read-only: a locked run changes only
through a correction run, and the fund is an append-only ledger."""

from __future__ import annotations

from django.contrib import admin

from kefu.payroll.models import FundEntry, PayrollRun, Payslip, PayslipLine
from kefu.performance.admin import ReadOnlyAdmin


@admin.register(PayrollRun)
class PayrollRunAdmin(ReadOnlyAdmin):
    list_display = ["month", "status", "shop", "policy_version", "corrects", "created_at"]
    list_filter = ["shop", "status"]


@admin.register(Payslip)
class PayslipAdmin(ReadOnlyAdmin):
    list_display = ["run", "agent", "level", "total", "shop"]
    list_filter = ["shop"]


@admin.register(PayslipLine)
class PayslipLineAdmin(ReadOnlyAdmin):
    list_display = ["payslip", "position", "label", "amount", "clause"]


@admin.register(FundEntry)
class FundEntryAdmin(ReadOnlyAdmin):
    list_display = ["on", "direction", "amount", "purpose", "shop"]
    list_filter = ["shop", "direction"]
