"""The compensation ledger's pages: the list with its totals, finance's signature, reversal and
the xlsx export for finance."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kefu.aftersales import ledger, selectors
from kefu.aftersales.models import Payment
from kefu.aftersales.reconcile import NOT_APPLICABLE, ledger_reconcile
from kefu.core.access import Capability, can, shop_object_or_404
from kefu.core.clock import shop_today
from kefu.core.errors import InvalidInput
from kefu.web.shop_views import ShopRequest, shop_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user(request: ShopRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _period(request: ShopRequest) -> tuple[dt.date, dt.date]:
    """?start=&end= (ISO dates); default: this month so far."""
    today = shop_today(tz=request.shop.timezone)
    try:
        start = dt.date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = today.replace(day=1)
    try:
        end = dt.date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = today
    return start, max(start, end)


@shop_view(Capability.VIEW_PAY)
def ledger_list(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    start, end = _period(request)
    reconciled = ledger_reconcile(shop=shop, start=start, end=end)
    rows = [
        (p, reconciled.state.get(p.pk, NOT_APPLICABLE), reconciled.matched.get(p.pk))
        for p in selectors.payments(shop=shop, start=start, end=end)
    ]
    context = {
        "shop": shop,
        "start": start,
        "end": end,
        "rows": rows,
        "reconciled": reconciled,
        "totals": selectors.ledger_totals(shop=shop, start=start, end=end),
        "can_sign": can(role=request.role, capability=Capability.SIGN_PAYMENTS),
    }
    return render(request, "aftersales/ledger.html", context)


@shop_view(Capability.VIEW_PAY)
def ledger_export(request: ShopRequest) -> HttpResponse:
    start, end = _period(request)
    data = ledger.ledger_xlsx(shop=request.shop, start=start, end=end)
    response = HttpResponse(data, content_type=XLSX)
    name = f"payments-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@shop_view(Capability.SIGN_PAYMENTS)
def payment_sign(request: ShopRequest, payment_id: int) -> HttpResponse:
    payment = shop_object_or_404(Payment.objects.all(), shop=request.shop, pk=payment_id)
    if request.method != "POST":  # after the lookup: another shop's object is 404 first
        return HttpResponseNotAllowed(["POST"])
    try:
        ledger.payment_sign(shop=request.shop, payment=payment, acting_user=_user(request))
    except InvalidInput as exc:
        messages.error(request, exc.message)
    return redirect("aftersales:ledger", shop_id=request.shop.pk)


@shop_view(Capability.VIEW_PAY)
def payment_reverse(request: ShopRequest, payment_id: int) -> HttpResponse:
    payment = shop_object_or_404(
        Payment.objects.select_related("agent"), shop=request.shop, pk=payment_id
    )
    if request.method != "POST":  # after the lookup: another shop's object is 404 first
        return HttpResponseNotAllowed(["POST"])
    try:
        ledger.payment_reverse(
            shop=request.shop,
            payment=payment,
            reason=request.POST.get("reason", ""),
            acting_user=_user(request),
        )
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已登记冲销"))
    return redirect("aftersales:ledger", shop_id=request.shop.pk)
