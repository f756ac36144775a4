"""`{% reminder_card %}`: this month's unpaid-order reminder conversion on the dashboard (the
whole team for those who see it, otherwise the signed-in agent's own)."""

from __future__ import annotations

from typing import Any

from django import template

from kefu.core.access import Capability, can
from kefu.core.clock import shop_today
from kefu.orders.reminder_selectors import reminder_conversion
from kefu.staff.models import Agent

register = template.Library()


@register.inclusion_tag("orders/_reminder_card.html", takes_context=True)
def reminder_card(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    shop = context.get("current_shop")
    user = getattr(request, "user", None)
    if shop is None or user is None or not user.is_authenticated:
        return {"show": False}
    today = shop_today(tz=shop.timezone)
    agent = None
    if not can(role=getattr(request, "role", None), capability=Capability.VIEW_TEAM):
        agent = Agent.objects.filter(user_id=user.pk, assignments__shop=shop).first()
        if agent is None:
            return {"show": False}
    conversion = reminder_conversion(shop=shop, start=today.replace(day=1), end=today, agent=agent)
    return {"show": True, "shop": shop, "conversion": conversion, "own": agent is not None}
