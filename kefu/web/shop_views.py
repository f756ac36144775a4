"""The one decorator every shop page uses: it resolves the shop from the URL through the access
helpers (404 for a shop the user is not a member of) and checks the role's capability (403).
While the view runs, the shop's time zone is the current one, so templates show times in it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from kefu.core.access import Capability, can, shop_get
from kefu.core.choices import Role
from kefu.core.models import Shop

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponse)


class ShopRequest(HttpRequest):
    """An HttpRequest after `shop_view`: the shop from the URL and the user's role in it."""

    shop: Shop
    role: Role


def shop_view(
    capability: Capability | None = None,
) -> Callable[
    [Callable[Concatenate[ShopRequest, P], R]], Callable[Concatenate[HttpRequest, int, P], Any]
]:
    def decorate(
        view: Callable[Concatenate[ShopRequest, P], R],
    ) -> Callable[Concatenate[HttpRequest, int, P], Any]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, shop_id: int, *args: P.args, **kwargs: P.kwargs) -> Any:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            shop, role = shop_get(user=request.user, shop_id=shop_id)
            if capability is not None and not can(role=role, capability=capability):
                raise PermissionDenied
            shop_request: ShopRequest = request  # type: ignore[assignment]
            shop_request.shop = shop
            shop_request.role = role
            request.session["kefu_shop_id"] = shop.pk
            with timezone.override(shop.tzinfo):
                return view(shop_request, *args, **kwargs)

        return wrapper

    return decorate
