"""Revealing one masked contact field of an order (a POST, audited)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import render

from kefu.core.access import Capability, shop_object_or_404
from kefu.core.errors import InvalidInput
from kefu.orders.contact import order_contact_reveal
from kefu.orders.models import Order
from kefu.web.shop_views import ShopRequest, shop_view


@shop_view(Capability.REVEAL_PERSONAL_DATA)
def contact_reveal(request: ShopRequest, order_id: int) -> HttpResponse:
    order = shop_object_or_404(Order.objects.all(), shop=request.shop, pk=order_id)
    if request.method != "POST":  # after the lookup: another shop's object is 404 first
        return HttpResponseNotAllowed(["POST"])
    field = request.POST.get("field", "")
    user = request.user if isinstance(request.user, User) else None
    try:
        value = order_contact_reveal(shop=request.shop, order=order, field=field, acting_user=user)
    except InvalidInput as exc:
        return HttpResponseBadRequest(exc.message)
    context = {"value": value, "field": field}
    return render(request, "orders/_contact_revealed.html", context)
