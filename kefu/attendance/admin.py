"""Django admin for punches (the raw-data exception to tenancy, as elsewhere)."""

from __future__ import annotations

from django.contrib import admin

from kefu.attendance.models import Punch, PunchImport


@admin.register(Punch)
class PunchAdmin(admin.ModelAdmin):
    list_display = ("shop", "agent", "at", "source", "direction", "device")
    list_filter = ("shop", "source")
    date_hierarchy = "at"


@admin.register(PunchImport)
class PunchImportAdmin(admin.ModelAdmin):
    list_display = ("shop", "file_name", "rows", "added", "created_at")
