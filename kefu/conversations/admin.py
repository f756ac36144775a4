from django.contrib import admin

from kefu.conversations.models import (
    ChatAccount,
    Conversation,
    DirtyDay,
    ImportBatch,
    Message,
    PlatformStat,
)


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["name", "shop", "format", "rows", "added", "created_at"]
    list_filter = ["shop", "format"]


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["buyer", "shop", "day", "message_count"]
    list_filter = ["shop"]
    raw_id_fields = ["buyer"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["at", "shop", "sender", "direction", "kind"]
    list_filter = ["shop", "direction", "kind"]
    raw_id_fields = ["conversation", "buyer", "holder", "transfer_to", "batch"]


@admin.register(ChatAccount)
class ChatAccountAdmin(admin.ModelAdmin):
    list_display = ["nickname", "shop", "is_main", "first_seen_at"]
    list_filter = ["shop"]


@admin.register(DirtyDay)
class DirtyDayAdmin(admin.ModelAdmin):
    list_display = ["day", "shop", "reason"]


@admin.register(PlatformStat)
class PlatformStatAdmin(admin.ModelAdmin):
    list_display = ["nickname", "metric", "value", "pending", "date_from", "shop"]
    list_filter = ["shop", "pending"]
