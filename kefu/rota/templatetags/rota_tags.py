"""`{% my_next_shifts %}`: the signed-in agent's next published shifts, for their home page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from kefu.core.clock import shop_today
from kefu.rota.selectors import shifts_scheduled
from kefu.staff.models import Agent

register = template.Library()
HOME_DAYS = 7


@register.inclusion_tag("rota/_my_next_shifts_home.html", takes_context=True)
def my_next_shifts(context: template.Context) -> dict[str, Any]:
    """Nothing for a user who is not an agent of the shop."""
    request = context.get("request")
    shop = context.get("current_shop") or context.get("shop")
    user = getattr(request, "user", None)
    if shop is None or user is None or not user.is_authenticated:
        return {"show": False}
    agent = Agent.objects.filter(user_id=user.pk, assignments__shop=shop).first()
    if agent is None:
        return {"show": False}
    today = shop_today(tz=shop.timezone)
    shifts = shifts_scheduled(
        shop=shop, start=today, end=today + dt.timedelta(days=HOME_DAYS - 1), agent_id=agent.pk
    )
    return {"show": True, "shifts": shifts, "shop": shop}
