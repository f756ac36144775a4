"""Thin views: the order list, an import page, an import batch and one order."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render

from kefu.core.access import Capability, can, shop_object_or_404
from kefu.core.errors import InvalidInput
from kefu.orders import selectors
from kefu.orders.choices import OrderStatus
from kefu.orders.contact import contact_rows, order_contact_masked
from kefu.orders.forms import ImportForm
from kefu.orders.models import ImportBatch, Order
from kefu.orders.services import orders_import
from kefu.web.shop_views import ShopRequest, shop_view

PAGE = 50


@shop_view(Capability.VIEW_TEAM)
def order_list(request: ShopRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in OrderStatus.values:
        status = ""
    orders = selectors.orders_of_shop(shop=request.shop, status=status)
    page = Paginator(orders, PAGE).get_page(request.GET.get("page"))
    context = {
        "shop": request.shop,
        "page": page,
        "status": status,
        "statuses": OrderStatus.choices,
        "batches": selectors.batches_of_shop(shop=request.shop)[:5],
    }
    return render(request, "orders/order_list.html", context)


@shop_view(Capability.MANAGE_TEAM)
def order_import(request: ShopRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        user = request.user if isinstance(request.user, User) else None
        try:
            result = orders_import(
                shop=request.shop, data=upload.read(), filename=upload.name, acting_user=user
            )
        except InvalidInput as exc:
            error = exc.message
        else:
            return redirect("orders:batch", shop_id=request.shop.pk, batch_id=result.batch.pk)
    context = {"shop": request.shop, "form": form, "error": error}
    return render(request, "orders/order_import.html", context, status=400 if error else 200)


@shop_view(Capability.VIEW_TEAM)
def batch_detail(request: ShopRequest, batch_id: int) -> HttpResponse:
    batch = shop_object_or_404(ImportBatch.objects.all(), shop=request.shop, pk=batch_id)
    return render(request, "orders/batch_detail.html", {"shop": request.shop, "batch": batch})


@shop_view(Capability.VIEW_TEAM)
def order_detail(request: ShopRequest, order_id: int) -> HttpResponse:
    order = shop_object_or_404(Order.objects.all(), shop=request.shop, pk=order_id)
    masked = order_contact_masked(order=order)
    context = {
        "shop": request.shop,
        "order": order,
        "lines": order.lines.all(),
        "history": selectors.order_history(shop=request.shop, order=order),
        # Personal data masked for everyone; roles that may reveal get a logged POST per field.
        "contact": masked,
        "contact_rows": contact_rows(masked),
        "can_reveal": can(role=request.role, capability=Capability.REVEAL_PERSONAL_DATA),
    }
    return render(request, "orders/order_detail.html", context)
