from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kefu.aftersales.models import Case, Payment, Photo


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["id", "shop", "type", "status", "buyer_nick", "party_at_fault", "opened_at"]
    list_filter = ["type", "status"]
    search_fields = ["order_no", "buyer_nick"]
    raw_id_fields = ["order", "buyer", "agent", "created_by"]


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["id", "shop", "case", "original_name", "content_type", "size"]
    raw_id_fields = ["case", "uploaded_by"]


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Read-only: the ledger is append-only even here (corrections are reversing entries)."""

    list_display = ["id", "shop", "paid_on", "direction", "amount", "note", "signed_at"]
    list_filter = ["direction"]
    search_fields = ["note", "order_no", "buyer_nick"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
