from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kefu.core.access import Capability, shops_for
from kefu.staff import selectors as staff_selectors
from kefu.web.shop_views import ShopRequest, shop_view


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send the user to the shop they used last, else their first shop."""
    shops = shops_for(user=request.user)
    last = request.session.get("kefu_shop_id")
    shop = shops.filter(pk=last).first() if last else None
    shop = shop or shops.first()
    if shop is None:
        return render(request, "web/no_shop.html")
    return redirect("web:dashboard", shop_id=shop.pk)


@shop_view(Capability.VIEW_DASHBOARD)
def dashboard(request: ShopRequest) -> HttpResponse:
    return render(request, "web/dashboard.html", {})


@shop_view(Capability.VIEW_TEAM)
def agent_list(request: ShopRequest) -> HttpResponse:
    rows = staff_selectors.agent_rows(shop=request.shop)
    return render(request, "web/agent_list.html", {"rows": rows})


@shop_view(Capability.VIEW_TEAM)
def agent_detail(request: ShopRequest, agent_id: int) -> HttpResponse:
    profile = staff_selectors.agent_profile(shop=request.shop, agent_id=agent_id)
    return render(request, "web/agent_detail.html", {"profile": profile})
