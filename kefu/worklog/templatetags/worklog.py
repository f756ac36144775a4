"""`{% worklog_home %}`: the agent's first jobs on the dashboard, unread handover entries
first (S4.3 §3.3: reading the handover is the first thing after logging in), then the clock."""

from __future__ import annotations

from typing import Any

from django import template

from kefu.attendance.selectors import agent_of_user, last_punch
from kefu.core.clock import now
from kefu.worklog.selectors import handover_unread

register = template.Library()
HOME_ENTRIES = 5
"""Unread entries shown on the home page, oldest first; the rest are a link to the handover log."""


@register.inclusion_tag("worklog/_home.html", takes_context=True)
def worklog_home(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    shop = context.get("current_shop")
    if request is None or shop is None:
        return {"me": None}
    me = agent_of_user(shop=shop, user=request.user)
    if me is None:
        return {"me": None}
    unread = handover_unread(shop=shop, agent=me, as_of=now())
    return {
        "request": request,
        "shop": shop,
        "me": me,
        "unread": unread[:HOME_ENTRIES],
        "unread_count": len(unread),
        "unread_more": max(len(unread) - HOME_ENTRIES, 0),
        "last_punch": last_punch(shop=shop, agent=me),
        "csrf_token": context.get("csrf_token"),
    }
