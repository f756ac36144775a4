"""Template context shared by every page: the current shop, the user's shops and the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kefu.core.access import shops_for
from kefu.web.navigation import nav_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    shop = getattr(request, "shop", None)
    role = getattr(request, "role", None)
    return {
        "current_shop": shop,
        "current_role": role,
        "user_shops": list(shops_for(user=user)),
        "nav_items": nav_for(shop=shop, role=role, path=request.path) if shop else [],
    }
