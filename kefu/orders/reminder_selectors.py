"""Reads of the unpaid-order reminders 催付 (the writes are in reminders.py): the batches an
agent or the team sees, a batch's rows (an agent's share of a split list), who works a row, and
the reminder conversion for the reminders page and the dashboard."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum

from kefu.core.models import Shop
from kefu.orders.choices import ReminderOutcome
from kefu.orders.models import Reminder, ReminderBatch
from kefu.staff.models import Agent


def reminder_batches(*, shop: Shop, agent: Agent | None = None) -> QuerySet[ReminderBatch]:
    """The shop's batches, newest first, with their counts; only the agent's own when given
    (the batches given to them, and the split lists they have a share of)."""
    batches = ReminderBatch.objects.filter(shop=shop).select_related("agent")
    if agent is not None:
        shared = Reminder.objects.filter(shop=shop, agent=agent).values("batch_id")
        batches = batches.filter(Q(agent=agent) | Q(pk__in=shared))
    return batches.annotate(
        listed=Count("reminders"),
        reminded=Count("reminders", filter=Q(reminders__reminded_at__isnull=False)),
        paid=Count("reminders", filter=Q(reminders__outcome=ReminderOutcome.PAID)),
        shared=Count("reminders", filter=Q(reminders__agent__isnull=False)),
    )


def reminders_of_batch(
    *, shop: Shop, batch: ReminderBatch, agent: Agent | None = None
) -> QuerySet[Reminder]:
    """The batch's rows; with `agent`, only that agent's share of a split list."""
    rows = Reminder.objects.filter(shop=shop, batch=batch).select_related(
        "order", "reminded_by", "agent"
    )
    return rows.filter(agent=agent) if agent is not None else rows


def reminder_owner_id(reminder: Reminder, batch: ReminderBatch) -> int | None:
    """Who works this row: its share's agent on a split list, else the batch's agent."""
    return reminder.agent_id or batch.agent_id


@dataclass(frozen=True)
class Conversion:
    """Reminder conversion over a period: paid after the reminder / reminded."""

    listed: int
    reminded: int
    paid_after: int
    paid_before: int  # paid before anyone reminded (not the reminder's doing)
    closed: int
    pending: int
    amount_paid_after: Decimal

    @property
    def rate(self) -> Decimal | None:
        if not self.reminded:
            return None
        return (Decimal(self.paid_after) / Decimal(self.reminded)).quantize(Decimal("0.0001"))


def reminder_conversion(
    *, shop: Shop, start: dt.date, end: dt.date, agent: Agent | None = None
) -> Conversion:
    """Conversion of the batches dated start..end (inclusive), optionally one agent's. For the
    reminders page and the dashboard."""
    rows = Reminder.objects.filter(shop=shop, batch__day__gte=start, batch__day__lte=end)
    if agent is not None:
        rows = rows.filter(reminded_by=agent)
    paid_after = Q(
        outcome=ReminderOutcome.PAID,
        reminded_at__isnull=False,
        outcome_at__gte=F("reminded_at"),
    )
    counts = rows.aggregate(
        listed=Count("id"),
        reminded=Count("id", filter=Q(reminded_at__isnull=False)),
        paid_after=Count("id", filter=paid_after),
        paid=Count("id", filter=Q(outcome=ReminderOutcome.PAID)),
        closed=Count("id", filter=Q(outcome=ReminderOutcome.CLOSED)),
        pending=Count("id", filter=Q(outcome=ReminderOutcome.PENDING)),
    )
    amount = rows.filter(paid_after).aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return Conversion(
        listed=counts["listed"],
        reminded=counts["reminded"],
        paid_after=counts["paid_after"],
        paid_before=counts["paid"] - counts["paid_after"],
        closed=counts["closed"],
        pending=counts["pending"],
        amount_paid_after=amount,
    )
