"""`GET /api/shops/{shop_id}/points?month=2026-10`: the month's scores, points, fines and
awards from the ledgers (the same data as `kefu points show --format json`); an agent reads
only their own. `GET /api/shops/{shop_id}/facts/voided?month=2026-10[&agent=ID]`: the month's
withdrawn facts with the reason and who withdrew them, for team viewers (an agent: 403).
Mounted with `api.add_router("/shops", points_router)` in kefu/api/api.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from kefu.api.access import api_shop
from kefu.core.access import Capability, can
from kefu.core.models import Shop
from kefu.performance.engine import Month
from kefu.performance.month_run import parse_month
from kefu.performance.reports import month_report
from kefu.performance.selectors import VoidedFact, facts_voided_list, latest_close
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


class VoidedFactOut(Schema):
    id: int
    agent_id: int
    agent: str
    key: str
    label: str
    local_date: dt.date
    occurred_at: dt.datetime
    quantity: int
    minutes: int | None
    source: str
    source_ref: str
    evidence: str  # the shift and the clause, as the month page shows them
    note: str
    reason: str
    voided_at: dt.datetime
    voided_by: str | None  # the user's login; null when a capability's re-judging withdrew it
    by_system: bool


class VoidedFactsOut(Schema):
    shop: int
    month: str
    count: int
    facts: list[VoidedFactOut]


def _voided_out(row: VoidedFact) -> VoidedFactOut:
    return VoidedFactOut(
        id=row.id,
        agent_id=row.agent.pk,
        agent=row.agent.name,
        key=row.key,
        label=row.label,
        local_date=row.local_date,
        occurred_at=row.occurred_at,
        quantity=row.quantity,
        minutes=row.minutes,
        source=row.source,
        source_ref=row.source_ref,
        evidence=row.evidence,
        note=row.note,
        reason=row.reason,
        voided_at=row.voided_at,
        voided_by=row.voided_by.username if row.voided_by is not None else None,
        by_system=row.by_system,
    )


@router.get("/{shop_id}/facts/voided", response={200: VoidedFactsOut})
def facts_voided(
    request: HttpRequest, shop_id: int, month: str = "", agent: int | None = None
) -> VoidedFactsOut:
    """The month's withdrawn (voided) facts (default: last month), newest withdrawal first;
    `agent` keeps one agent of the shop's (another shop's agent: 404). For team viewers."""
    shop, _role = api_shop(request, shop_id, Capability.VIEW_TEAM)
    wanted = month_or_last(shop, month)
    who = None
    if agent is not None:
        who = Agent.objects.filter(pk=agent, assignments__shop=shop).distinct().first()
        if who is None:
            raise Http404("No such agent")
    rows = facts_voided_list(shop=shop, month=wanted, agent=who)
    return VoidedFactsOut(
        shop=shop.pk, month=str(wanted), count=len(rows), facts=[_voided_out(r) for r in rows]
    )
