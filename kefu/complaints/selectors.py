"""Reads of the complaint register, always scoped by shop."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, Q, QuerySet

from kefu.complaints.models import Complaint
from kefu.core.models import Shop
from kefu.staff.models import Agent


def complaints_for(
    *, shop: Shop, state: str = "", agent: Agent | None = None, only_agent: bool = False
) -> QuerySet[Complaint]:
    """Open ones first, newest first. `only_agent`: an agent sees the complaints about them."""
    queryset = Complaint.objects.filter(shop=shop).select_related("agent")
    if state == "open":
        queryset = queryset.filter(closed_at__isnull=True)
    elif state == "closed":
        queryset = queryset.filter(closed_at__isnull=False)
    if only_agent:
        queryset = queryset.filter(agent=agent) if agent is not None else queryset.none()
    return queryset.order_by("closed_at", "-received_at", "-id")


def month_bounds(*, shop: Shop, month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    first = month.replace(day=1)
    after = (first + dt.timedelta(days=32)).replace(day=1)
    return (
        dt.datetime.combine(first, dt.time(), tzinfo=shop.tzinfo),
        dt.datetime.combine(after, dt.time(), tzinfo=shop.tzinfo),
    )


@dataclass(frozen=True)
class AgentMonth:
    agent_id: int
    agent_name: str
    complaints: int
    valid_at_fault: int


def valid_by_agent(*, shop: Shop, month: dt.date) -> list[AgentMonth]:
    """Complaints per agent received in the natural month of `month`, with the valid ones the
    agent was at fault for (what the fines and points count)."""
    start, end = month_bounds(shop=shop, month=month)
    rows = (
        Complaint.objects.filter(
            shop=shop, agent__isnull=False, received_at__gte=start, received_at__lt=end
        )
        .values("agent_id", "agent__name")
        .annotate(total=Count("id"), valid=Count("id", filter=Q(valid=True, agent_at_fault=True)))
        .order_by("-valid", "agent__name")
    )
    return [AgentMonth(r["agent_id"], r["agent__name"], r["total"], r["valid"]) for r in rows]


def complaints_in_period(
    *, shop: Shop, start: dt.datetime, end: dt.datetime
) -> QuerySet[Complaint]:
    """Complaints received, confirmed or visited in [start, end)."""
    return (
        Complaint.objects.filter(shop=shop)
        .filter(
            Q(received_at__gte=start, received_at__lt=end)
            | Q(confirmed_at__gte=start, confirmed_at__lt=end)
            | Q(visited_at__gte=start, visited_at__lt=end)
        )
        .select_related("agent")
        .order_by("received_at", "id")
    )


def satisfaction_average(*, shop: Shop, start: dt.datetime, end: dt.datetime) -> float | None:
    value = Complaint.objects.filter(
        shop=shop, visited_at__gte=start, visited_at__lt=end, satisfaction__isnull=False
    ).aggregate(avg=Avg("satisfaction"))["avg"]
    return None if value is None else round(float(value), 2)
