"""Show a buyer's notes beside them on other pages with two tags:
`{% buyer_notes_map shop rows "buyer_nick" as notes %}` once per page (one selector call), then
`{% buyer_badge shop notes nickname %}` per row; or `{% buyer_badge_for shop nickname %}` on a
page with one buyer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from kefu.buyers.selectors import BuyerBadge, buyer_notes_for
from kefu.core.models import Shop

register = template.Library()


@register.simple_tag
def buyer_notes_map(
    shop: Shop, rows: Iterable[Any], attr: str = "buyer_nick"
) -> dict[str, BuyerBadge]:
    """`attr` may be dotted: "conversation.buyer.nickname"."""
    names = set()
    for row in rows:
        value: Any = row
        for part in attr.split("."):
            value = getattr(value, part, None)
        names.add(str(value or ""))
    return buyer_notes_for(shop=shop, nicknames=names)


@register.inclusion_tag("buyers/_buyer_notes_badge.html")
def buyer_badge(shop: Shop, notes: dict[str, BuyerBadge], nickname: str) -> dict[str, Any]:
    return {"shop": shop, "badge": notes.get(nickname), "show_latest": False}


@register.inclusion_tag("buyers/_buyer_notes_badge.html")
def buyer_badge_for(shop: Shop, nickname: str) -> dict[str, Any]:
    badge = buyer_notes_for(shop=shop, nicknames=[nickname]).get(nickname) if nickname else None
    return {"shop": shop, "badge": badge, "show_latest": True}
