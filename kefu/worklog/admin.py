"""Django admin for the worklog tables (the raw-data exception to tenancy, as elsewhere)."""

from __future__ import annotations

from django.contrib import admin

from kefu.worklog.models import DailyRecord, HandoverAck, HandoverEntry, WeeklySummary


@admin.register(HandoverEntry)
class HandoverEntryAdmin(admin.ModelAdmin):
    list_display = ("shop", "author", "written_at", "shift_date", "shift_key")
    list_filter = ("shop",)


@admin.register(HandoverAck)
class HandoverAckAdmin(admin.ModelAdmin):
    list_display = ("shop", "entry", "agent", "acknowledged_at")


@admin.register(WeeklySummary)
class WeeklySummaryAdmin(admin.ModelAdmin):
    list_display = ("shop", "agent", "week_start", "status", "submitted_at", "read_at")
    list_filter = ("shop", "status")


@admin.register(DailyRecord)
class DailyRecordAdmin(admin.ModelAdmin):
    list_display = ("shop", "agent", "local_date", "submitted_at")
