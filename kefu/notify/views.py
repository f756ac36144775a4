"""The notification list of the signed-in user in the current shop, and marking notices read."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kefu.core.access import Capability
from kefu.notify import selectors, services
from kefu.web.shop_views import ShopRequest, shop_view

PAGE_SIZE = 30


def _me(request: ShopRequest) -> AbstractBaseUser:
    """The signed-in user. shop_view admits members only; this narrows the type for mypy."""
    if isinstance(request.user, AnonymousUser):
        raise PermissionDenied
    return request.user


def _list_context(request: ShopRequest) -> dict[str, object]:
    notices = selectors.notices_for(shop=request.shop, user=request.user)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "shop": request.shop,
        "page": page,
        "unread": selectors.unread_count(shop=request.shop, user=request.user),
    }


@shop_view(Capability.VIEW_DASHBOARD)
def notice_list(request: ShopRequest) -> HttpResponse:
    return render(request, "notify/list.html", _list_context(request))


@shop_view(Capability.VIEW_DASHBOARD)  # outermost, so another shop's URL is 404 before 405
@require_POST
def notice_read(request: ShopRequest) -> HttpResponse:
    """Mark one notice (`notice` = id) or all (`all` present) read. htmx gets the list partial
    back; a plain form post is redirected to the list (works without JavaScript)."""
    if "all" in request.POST:
        services.notice_mark_all_read(shop=request.shop, user=_me(request))
    else:
        try:
            notice_id = int(request.POST.get("notice", ""))
        except ValueError as exc:
            raise Http404("No such notice") from exc
        # Someone else's notice, or another shop's, is a 404 like everywhere else.
        if (
            not selectors.notices_for(shop=request.shop, user=request.user)
            .filter(pk=notice_id)
            .exists()
        ):
            raise Http404("No such notice")
        services.notice_mark_read(shop=request.shop, user=_me(request), notice_ids=[notice_id])
    if getattr(request, "htmx", False):
        return render(request, "notify/list.html#notices", _list_context(request))
    url = reverse("notify:list", kwargs={"shop_id": request.shop.pk})
    page = request.GET.get("page", "")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)
