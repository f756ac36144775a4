"""`{% my_next_shifts %}`: the signed-in agent's next published shifts, for their home page;
`penalty_label`: the name of a soft rule's penalty (solver/soft.py terms) in words."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from kefu.core.clock import shop_today
from kefu.rota.selectors import shifts_scheduled
from kefu.staff.models import Agent

register = template.Library()
HOME_DAYS = 7

PENALTY_LABELS = {
    "balance_hours": _("月工时均衡"),
    "coverage_over": _("超出需要的人数"),
    "coverage_under": _("低于需要的人数"),
    "fair_weekends": _("周末与节假日分配公平"),
    "rotation_change": _("非轮换节点换班"),
    "rotation_cycle": _("偏离轮换周期"),
    "stability": _("与上月排班不同"),
}


@register.filter
def penalty_label(name: str) -> str:
    """A term the solver does not name here shows as written."""
    return str(PENALTY_LABELS.get(name, name))


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
