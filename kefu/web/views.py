"""The web shell's pages. Thin: each view asks one selector and renders one template."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kefu.core import clock
from kefu.core.access import Capability, can, shops_for
from kefu.web import selectors
from kefu.web.shop_views import ShopRequest, shop_view
from kefu.web.team_today import shop_has_business_data, team_today


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
    can_view_team = can(role=request.role, capability=Capability.VIEW_TEAM)
    board = selectors.dashboard_get(
        shop=request.shop,
        user=request.user,  # type: ignore[arg-type]
        with_levels=can_view_team,
    )
    return render(
        request,
        "web/dashboard.html",
        {
            "board": board,
            "can_view_team": can_view_team,
            "can_change_policy": can(role=request.role, capability=Capability.CHANGE_POLICY),
            "team": team_today(shop=request.shop, now=clock.now()) if can_view_team else None,
            "has_business_data": shop_has_business_data(shop=request.shop),
        },
    )


@shop_view(Capability.VIEW_TEAM)
def agent_list(request: ShopRequest) -> HttpResponse:
    return render(request, "web/agent_list.html", {"team": selectors.team_page(shop=request.shop)})


@shop_view(Capability.VIEW_TEAM)
def agent_detail(request: ShopRequest, agent_id: int) -> HttpResponse:
    page = selectors.agent_page(shop=request.shop, agent_id=agent_id)
    return render(request, "web/agent_detail.html", {"page": page})
