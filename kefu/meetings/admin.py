"""Django admin for the meetings tables (the raw-data exception to tenancy, as elsewhere).
Attendance and duty findings are read-only: they back facts in the points ledger."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from kefu.meetings.models import (
    ActionItem,
    DutyAssignment,
    DutyFinding,
    Incident,
    Meeting,
    MeetingAttendance,
)


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "shop", "starts_at", "status")
    list_filter = ("status", "shop")


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ("text", "shop", "agent", "due_date", "status")
    list_filter = ("status", "shop")


@admin.register(DutyAssignment)
class DutyAssignmentAdmin(admin.ModelAdmin):
    list_display = ("local_date", "shop", "task_label", "agent", "status")
    list_filter = ("status", "shop")


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "shop", "place", "status")
    list_filter = ("status", "shop")


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(MeetingAttendance)
class MeetingAttendanceAdmin(ReadOnly):
    list_display = ("meeting", "agent", "status", "note")


@admin.register(DutyFinding)
class DutyFindingAdmin(ReadOnly):
    list_display = ("duty", "kind", "note", "recorded_at")
