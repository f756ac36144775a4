"""The API's door to a shop: the same access helpers as the web, so the same 404s."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from kefu.core.access import Capability, can, shop_get
from kefu.core.choices import Role
from kefu.core.models import Shop


def api_shop(request: HttpRequest, shop_id: int, capability: Capability) -> tuple[Shop, Role]:
    shop, role = shop_get(user=request.user, shop_id=shop_id)
    if not can(role=role, capability=capability):
        raise PermissionDenied
    return shop, role
