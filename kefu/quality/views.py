"""The quality queue 话术质检: hits with their message in context; a supervisor confirms or
dismisses each (htmx swaps the card); an agent sees only their own hits."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from kefu.core.access import Capability, can, shop_object_or_404
from kefu.core.errors import KefuError
from kefu.quality import selectors
from kefu.quality.choices import HitStatus
from kefu.quality.models import QualityHit
from kefu.quality.services import quality_hit_decide
from kefu.staff.models import Agent
from kefu.web.shop_views import ShopRequest, shop_view

PAGE_SIZE = 30


def _user(request: ShopRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@shop_view(Capability.VIEW_DASHBOARD)
def queue(request: ShopRequest) -> HttpResponse:
    """Team viewers: every hit, open ones first by default. An agent: their own hits."""
    shop = request.shop
    team = can(role=request.role, capability=Capability.VIEW_TEAM)
    status = request.GET.get("status", HitStatus.OPEN if team else "")
    if status not in HitStatus.values:
        status = ""
    if team:
        hits = selectors.quality_hits(shop=shop, status=status)
    else:
        own = Agent.objects.filter(user_id=request.user.pk or 0).first()
        hits = selectors.quality_hits(shop=shop, status=status, agent_id=own.pk if own else 0)
    page = Paginator(hits, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "quality/queue.html",
        {
            "page": page,
            "items": selectors.in_context(list(page.object_list)),
            "status": status,
            "statuses": HitStatus.choices,
            "team": team,
            "can_decide": can(role=request.role, capability=Capability.MANAGE_TEAM),
        },
    )


@shop_view(Capability.MANAGE_TEAM)
def decide(request: ShopRequest, hit_id: int) -> HttpResponse:
    # The hit is looked up before the method is checked: another shop's hit is 404 either way.
    hit = shop_object_or_404(
        QualityHit.objects.select_related("message"), shop=request.shop, pk=hit_id
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    confirm = request.POST.get("decision") == "confirm"
    error = ""
    try:
        hit = quality_hit_decide(
            shop=request.shop,
            hit=hit,
            confirm=confirm,
            note=request.POST.get("note", "").strip(),
            acting_user=_user(request),
        )
    except KefuError as exc:
        error = str(exc)
    if request.headers.get("HX-Request"):
        hit = selectors.quality_hits(shop=request.shop).get(pk=hit.pk)
        item = selectors.in_context([hit])[0]
        return render(
            request, "quality/_hit.html", {"item": item, "can_decide": True, "error": error}
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"已{hit.get_status_display()}")
    return redirect(reverse("quality:queue", kwargs={"shop_id": request.shop.pk}))
