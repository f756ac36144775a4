"""Reads of the worklog: unread handover entries, who must read an entry, the supervisor's
reading list of summaries, and a daily record prefilled from the KPIs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Sum

from kefu.attendance import roster
from kefu.attendance.engine import Shift
from kefu.conversations.choices import Direction
from kefu.conversations.models import AgentDayKpi, Message
from kefu.core.models import Shop
from kefu.orders.models import Order
from kefu.policy.schema.attendance import Due
from kefu.staff.models import Agent, Assignment, SubAccount
from kefu.worklog.engine import due_in_week, summary_chars
from kefu.worklog.models import DailyRecord, HandoverAck, HandoverEntry, WeeklySummary

UNREAD_DAYS = 2
"""How far back the home page looks for entries an agent has not acknowledged."""

NEXT_SHIFT_WITHIN = dt.timedelta(hours=24)
"""An entry with nobody on duty is for the next shift that starts within this time."""


def entries(*, shop: Shop) -> QuerySet[HandoverEntry]:
    return (
        HandoverEntry.objects.filter(shop=shop)
        .select_related("author")
        .prefetch_related(
            "orders",
            Prefetch("acks", queryset=HandoverAck.objects.select_related("agent")),
        )
    )


def handover_log(*, shop: Shop, start: dt.date, end: dt.date) -> QuerySet[HandoverEntry]:
    """Entries of shift dates start..end, newest first."""
    return entries(shop=shop).filter(shift_date__gte=start, shift_date__lte=end)


def handover_unread(
    *, shop: Shop, agent: Agent, as_of: dt.datetime, days: int = UNREAD_DAYS
) -> list[HandoverEntry]:
    """Entries by others of the last `days` days this agent has not acknowledged, oldest first
    (read in the order they were written)."""
    read = HandoverAck.objects.filter(entry=OuterRef("pk"), agent=agent)
    rows = (
        entries(shop=shop)
        .filter(written_at__gte=as_of - dt.timedelta(days=days), written_at__lte=as_of)
        .exclude(author=agent)
        .exclude(Exists(read))
        .order_by("written_at", "id")
    )
    return list(rows)


@dataclass(frozen=True)
class Recipient:
    agent_id: int
    shift: Shift
    """The recipient's shift: the entry must be acknowledged before it ends."""


def recipients(*, shop: Shop, entry: HandoverEntry) -> list[Recipient]:
    """Who must read an entry: the other agents on duty when it was written whose shift ends
    after the author's; when there is none, the agents of the next shift to start (within
    NEXT_SHIFT_WITHIN)."""
    at = entry.written_at
    local = at.astimezone(shop.tzinfo).date()
    shifts = roster.shifts_for(
        shop=shop, start=local - dt.timedelta(days=1), end=local + dt.timedelta(days=1)
    )
    own = [s for s in shifts if s.agent_id == str(entry.author_id)]
    own_end = max((s.ends_at for s in own if s.local_date == entry.shift_date), default=at)
    others = [s for s in shifts if s.agent_id != str(entry.author_id)]
    on_duty = [s for s in others if s.starts_at <= at < s.ends_at and s.ends_at > own_end]
    if on_duty:
        chosen = on_duty
    else:
        later = [s for s in others if at < s.starts_at <= at + NEXT_SHIFT_WITHIN]
        first = min((s.starts_at for s in later), default=None)
        chosen = [s for s in later if s.starts_at == first]
    by_agent: dict[int, Shift] = {}
    for shift in sorted(chosen, key=lambda s: s.starts_at):
        by_agent.setdefault(int(shift.agent_id), shift)
    return [Recipient(agent_id, shift) for agent_id, shift in sorted(by_agent.items())]


# --- weekly summaries ------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryRow:
    agent: Agent
    summary: WeeklySummary | None
    chars: int
    short: bool
    late: bool

    @property
    def submitted(self) -> bool:
        return self.summary is not None and self.summary.submitted_at is not None


def team_agents(*, shop: Shop) -> list[Agent]:
    ids = Assignment.objects.filter(shop=shop, active=True).values("agent_id")
    return list(Agent.objects.filter(pk__in=ids).order_by("name", "id"))


def summaries_reading_list(
    *, shop: Shop, week_start: dt.date, due: Due | None, min_chars: int
) -> list[SummaryRow]:
    """Every active agent's summary of the week (or its absence), for the supervisor."""
    found = {
        s.agent_id: s
        for s in WeeklySummary.objects.filter(shop=shop, week_start=week_start).select_related(
            "agent", "read_by"
        )
    }
    due_at = due_in_week(week_start, due, shop.tzinfo) if due is not None else None
    rows = []
    for agent in team_agents(shop=shop):
        summary = found.get(agent.pk)
        chars = summary_chars(summary.text) if summary else 0
        submitted = summary is not None and summary.submitted_at is not None
        rows.append(
            SummaryRow(
                agent=agent,
                summary=summary,
                chars=chars,
                short=submitted and chars < min_chars,
                late=bool(
                    submitted
                    and due_at is not None
                    and summary is not None
                    and summary.submitted_at is not None
                    and summary.submitted_at > due_at
                ),
            )
        )
    return rows


def summary_of(*, shop: Shop, agent: Agent, week_start: dt.date) -> WeeklySummary | None:
    return WeeklySummary.objects.filter(shop=shop, agent=agent, week_start=week_start).first()


def summaries_of_agent(*, shop: Shop, agent: Agent) -> QuerySet[WeeklySummary]:
    return WeeklySummary.objects.filter(shop=shop, agent=agent).order_by("-week_start")[:12]


# --- daily records ---------------------------------------------------------------------------


def daily_record_of(*, shop: Shop, agent: Agent, day: dt.date) -> DailyRecord | None:
    return DailyRecord.objects.filter(shop=shop, agent=agent, local_date=day).first()


def daily_records(*, shop: Shop, start: dt.date, end: dt.date) -> QuerySet[DailyRecord]:
    return (
        DailyRecord.objects.filter(shop=shop, local_date__gte=start, local_date__lte=end)
        .select_related("agent")
        .order_by("-local_date", "agent__name")
    )


def daily_record_prefill(*, shop: Shop, agent: Agent, day: dt.date) -> dict[str, Any]:
    """Figures for the record of a day: from the KPI snapshot (AgentDayKpi: 接待人数, 最终付款
    人数, 销售额) where it exists, else counted from the imported chats and orders (buyers the
    agent's sub-accounts wrote to, and their orders paid that day). Buyer IDs are the chat
    nicknames. `source` says which."""
    tz = shop.tzinfo
    start = dt.datetime.combine(day, dt.time(), tzinfo=tz)
    end = start + dt.timedelta(days=1)
    nicks = list(
        SubAccount.objects.filter(shop=shop, agent=agent).values_list("nickname", flat=True)
    )
    buyers = list(
        Message.objects.filter(
            shop=shop,
            at__gte=start,
            at__lt=end,
            direction=Direction.AGENT,
            holder__nickname__in=nicks,
        )
        .values_list("buyer__nickname", flat=True)
        .distinct()
        .order_by("buyer__nickname")
    )
    kpi = AgentDayKpi.objects.filter(shop=shop, agent=agent, local_date=day).first()
    if kpi is not None:
        return {
            "source": "kpi",
            "buyers_received": kpi.served,
            "buyer_ids": "\n".join(buyers),
            "buyers_converted": kpi.paid_final,
            "converted_amount": kpi.sales,
        }
    paid = Order.objects.filter(
        shop=shop, buyer_nick__in=buyers, paid_at__gte=start, paid_at__lt=end
    ).aggregate(n=Count("buyer_nick", distinct=True), amount=Sum("paid_amount"))
    return {
        "source": "chats",
        "buyers_received": len(buyers),
        "buyer_ids": "\n".join(buyers),
        "buyers_converted": paid["n"] or 0,
        "converted_amount": paid["amount"] or Decimal("0"),
    }
