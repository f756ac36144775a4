from django.contrib import admin

from kefu.core.models import Agency, AuditEntry, Membership, Shop


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ["name", "platform", "agency", "timezone"]
    list_filter = ["platform", "agency"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "shop", "role"]
    list_filter = ["role", "shop"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "shop", "actor", "action", "object_type", "object_id", "path"]
    list_filter = ["shop", "action"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
