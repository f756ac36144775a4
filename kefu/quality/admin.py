"""The raw-data view of the quality hits; decisions are made on the queue page (audited)."""

from __future__ import annotations

from django.contrib import admin

from kefu.quality.models import QualityHit


@admin.register(QualityHit)
class QualityHitAdmin(admin.ModelAdmin):
    list_display = ["message", "agent", "rule", "phrase", "severity", "status", "shop"]
    list_filter = ["shop", "status", "rule", "severity"]
    readonly_fields = ["message", "conversation", "fact", "decided_by", "decided_at"]
