"""The raw-data view of facts, incidents and the month ledgers. The ledgers are append-only,
so the admin shows them read-only: a correction is a correction run, never an edit here."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from kefu.performance.models import (
    AgentWarning,
    AwardEntry,
    Fact,
    FineEntry,
    Incident,
    MonthClose,
    PartScore,
    PointEntry,
    Recommendation,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Fact)
class FactAdmin(admin.ModelAdmin):
    list_display = ["local_date", "agent", "key", "quantity", "minutes", "source", "shop"]
    list_filter = ["shop", "key", "source"]
    search_fields = ["source_ref", "note"]


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["local_date", "agent", "item", "points", "amount", "shop"]
    list_filter = ["shop", "item"]


@admin.register(MonthClose)
class MonthCloseAdmin(ReadOnlyAdmin):
    list_display = ["month", "kind", "shop", "policy_version", "closed_by", "created_at"]
    list_filter = ["shop", "kind"]


@admin.register(PointEntry)
class PointEntryAdmin(ReadOnlyAdmin):
    list_display = ["month", "agent", "points", "clause", "reverses", "shop"]
    list_filter = ["shop", "month"]


@admin.register(FineEntry)
class FineEntryAdmin(ReadOnlyAdmin):
    list_display = ["month", "agent", "amount", "kind", "clause", "reverses", "shop"]
    list_filter = ["shop", "month", "kind"]


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ["month", "agent", "label", "status", "decided_by", "shop"]
    list_filter = ["shop", "status"]


@admin.register(AwardEntry)
class AwardEntryAdmin(ReadOnlyAdmin):
    list_display = ["month", "agent", "amount", "kind", "place", "clause", "reverses", "shop"]
    list_filter = ["shop", "month", "kind"]


@admin.register(PartScore)
class PartScoreAdmin(admin.ModelAdmin):
    list_display = ["month", "agent", "part", "score", "source", "shop"]
    list_filter = ["shop", "month", "part"]


@admin.register(AgentWarning)
class AgentWarningAdmin(admin.ModelAdmin):
    list_display = ["issued_on", "agent", "note", "recommendation", "shop"]
    list_filter = ["shop", "month"]
