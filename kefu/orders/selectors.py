"""Reads of the orders app, always scoped by shop."""

from __future__ import annotations

from django.db.models import QuerySet

from kefu.core.models import Shop
from kefu.orders.models import ImportBatch, Order, OrderStatusChange


def orders_of_shop(*, shop: Shop, status: str = "") -> QuerySet[Order]:
    orders = Order.objects.filter(shop=shop).select_related("flag_agent")
    return orders.filter(status=status) if status else orders


def batches_of_shop(*, shop: Shop) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.filter(shop=shop).select_related("created_by")


def order_history(*, shop: Shop, order: Order) -> QuerySet[OrderStatusChange]:
    return OrderStatusChange.objects.filter(shop=shop, order=order).select_related("batch")
