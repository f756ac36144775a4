"""`GET /api/shops/{shop_id}/points?month=2026-10`: the month's scores, points, fines and
awards from the ledgers (the same data as `kefu points show --format json`). Mounted with
`api.add_router("/shops", points_router)` in kefu/api/api.py. An agent reads only their own."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from kefu.api.access import api_shop
from kefu.core.access import Capability, can
from kefu.core.models import Shop
from kefu.performance.engine import Month
from kefu.performance.month_run import parse_month
from kefu.performance.reports import month_report
from kefu.performance.selectors import latest_close
from kefu.staff.models import Agent

router = Router(tags=["points"])


def month_or_last(shop: Shop, month: str) -> Month:
    """The month asked for, or the last full month in the shop's time zone."""
    if month:
        return parse_month(month)
    return Month.of(timezone.localdate(timezone=shop.tzinfo)).previous()


def own_agent_id(request: HttpRequest, shop: Shop) -> int:
    """The agent behind the user (0: none, which matches nobody)."""
    agent = Agent.objects.filter(user_id=request.user.pk or 0, assignments__shop=shop).first()
    return agent.pk if agent is not None else 0


@router.get("/{shop_id}/points", response={200: dict[str, Any]})
def points_month(request: HttpRequest, shop_id: int, month: str = "") -> dict[str, Any]:
    """The latest close of the month (default: last month) with every ledger entry, reversals
    included. Not closed yet: `closed` is false and there are no agents."""
    shop, role = api_shop(request, shop_id, Capability.VIEW_DASHBOARD)
    wanted = month_or_last(shop, month)
    if latest_close(shop=shop, month=wanted) is None:
        return {"shop": shop.pk, "month": str(wanted), "closed": False, "agents": []}
    own = None if can(role=role, capability=Capability.VIEW_TEAM) else own_agent_id(request, shop)
    return {"closed": True, **month_report(shop, wanted, agent_id=own)}
