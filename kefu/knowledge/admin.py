"""Django admin for the knowledge tables (the raw-data exception to tenancy, as elsewhere).
Exam facts and phrase versions are read-only: they are records, changed only by services."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from kefu.knowledge.models import (
    Attempt,
    Exam,
    ExamFact,
    Product,
    ProductFaq,
    QuickPhrase,
    QuickPhraseVersion,
)


@admin.register(QuickPhrase)
class QuickPhraseAdmin(admin.ModelAdmin):
    list_display = ["shop", "group", "shortcut", "text", "version", "use_count", "active"]
    list_filter = ["shop", "group", "active"]
    search_fields = ["text", "shortcut"]


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(QuickPhraseVersion)
class QuickPhraseVersionAdmin(ReadOnly):
    list_display = ["shop", "phrase", "number", "text", "created_by", "created_at"]


class FaqInline(admin.TabularInline):
    model = ProductFaq
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["shop", "name", "item_id", "launch_date"]
    list_filter = ["shop"]
    search_fields = ["name", "item_id"]
    inlines = [FaqInline]


@admin.register(Exam)
class ExamAdmin(admin.ModelAdmin):
    list_display = ["shop", "title", "status", "created_at"]
    list_filter = ["shop", "status"]


@admin.register(Attempt)
class AttemptAdmin(ReadOnly):
    list_display = ["shop", "exam", "agent", "status", "score", "submitted_at"]


@admin.register(ExamFact)
class ExamFactAdmin(ReadOnly):
    list_display = ["shop", "on", "agent", "exam", "fact", "score", "clause"]
    list_filter = ["shop", "fact"]
