from django.contrib import admin

from kefu.orders.models import AfterSale, ImportBatch, Order


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["order_no", "shop", "status", "created_at", "paid_amount", "flag_agent_name"]
    list_filter = ["status", "platform"]
    search_fields = ["order_no", "buyer_nick"]
    raw_id_fields = ["batch", "flag_agent"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["file_name", "shop", "kind", "rows", "created", "updated", "unchanged"]


@admin.register(AfterSale)
class AfterSaleAdmin(admin.ModelAdmin):
    list_display = ["ref_no", "shop", "kind", "order_no", "status", "amount"]
    raw_id_fields = ["batch", "order"]
