"""Reads of after-sales cases and the compensation ledger, always scoped by shop."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case as DbCase
from django.db.models import IntegerField, Q, QuerySet, Sum, Value, When

from kefu.aftersales.choices import CaseStatus, Direction
from kefu.aftersales.engine.paths import (
    CaseFacts,
    allowed_resolutions,
    chat_required,
    party_required,
    photo_required,
)
from kefu.aftersales.models import Case, Payment
from kefu.conversations.models import Conversation
from kefu.core.models import Shop
from kefu.staff.models import Agent


def case_facts(case: Case) -> CaseFacts:
    return CaseFacts(
        type=case.type,
        remedies_allowed=tuple(case.remedies_allowed),
        photo_evidence=case.photo_evidence,
        record_party_at_fault=case.record_party_at_fault,
        steps_done=len(case.steps_done),
        chat_read=case.chat_read_at is not None,
        photos=case.photos.count() if case.pk else 0,
        party=case.party_at_fault,
        signed_for=case.signed_for,
        resolution=case.resolution,
        coupon=case.coupon,
    )


@dataclass(frozen=True)
class CaseChecklist:
    """What the case page shows as still needed, from the type's path."""

    needs_chat: bool
    needs_party: bool
    needs_photo: bool
    needs_signed: bool
    resolutions: tuple[str, ...]


def case_checklist(case: Case) -> CaseChecklist:
    facts = case_facts(case)
    return CaseChecklist(
        needs_chat=chat_required(facts),
        needs_party=party_required(facts),
        needs_photo=photo_required(facts),
        needs_signed=case.type == "damaged_in_transit",
        resolutions=allowed_resolutions(facts),
    )


@dataclass(frozen=True)
class Deadlines:
    first_action_overdue: bool
    resolve_overdue: bool

    @property
    def overdue(self) -> bool:
        return self.first_action_overdue or self.resolve_overdue


def case_deadlines(case: Case, *, now: dt.datetime) -> Deadlines:
    """Overdue: no first action by first_action_due (or a late one), or not resolved by
    resolve_due (or resolved late)."""
    first = case.first_action_at or now
    resolved = case.resolved_at or now
    return Deadlines(
        first_action_overdue=first > case.first_action_due,
        resolve_overdue=resolved > case.resolve_due,
    )


def _overdue_now(now: dt.datetime) -> Q:
    """An open case past a deadline now (the same test as cases_overdue)."""
    return ~Q(status=CaseStatus.RESOLVED) & (
        Q(first_action_at__isnull=True, first_action_due__lt=now) | Q(resolve_due__lt=now)
    )


def cases(
    *,
    shop: Shop,
    status: str = "",
    agent: Agent | None = None,
    type: str = "",
    overdue_first_at: dt.datetime | None = None,
) -> QuerySet[Case]:
    """The shop's cases, newest first; with `overdue_first_at`, the open cases past a deadline
    at that time come first; each part newest first."""
    listed = Case.objects.filter(shop=shop).select_related("agent", "order")
    if status:
        listed = listed.filter(status=status)
    if agent is not None:
        listed = listed.filter(agent=agent)
    if type:
        listed = listed.filter(type=type)
    if overdue_first_at is not None:
        late = When(_overdue_now(overdue_first_at), then=Value(0))
        listed = listed.annotate(
            _late=DbCase(late, default=Value(1), output_field=IntegerField())
        ).order_by("_late", "-opened_at", "-id")
    return listed


def cases_overdue(*, shop: Shop, now: dt.datetime) -> QuerySet[Case]:
    """Open cases past a deadline now."""
    return (
        Case.objects.filter(shop=shop).exclude(status=CaseStatus.RESOLVED).filter(_overdue_now(now))
    )


def cases_for_weekly_meeting(*, shop: Shop, start: dt.date, end: dt.date) -> QuerySet[Case]:
    """Cases for the weekly meeting (policy after_sales.report_to_weekly_meeting) opened or
    resolved between start and end (shop-local dates, inclusive), with the party at fault."""
    tz = shop.tzinfo
    since = dt.datetime.combine(start, dt.time(0), tzinfo=tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    return (
        Case.objects.filter(shop=shop, weekly_meeting=True)
        .filter(
            Q(opened_at__gte=since, opened_at__lt=until)
            | Q(resolved_at__gte=since, resolved_at__lt=until)
        )
        .select_related("agent")
        .order_by("opened_at", "id")
    )


def case_conversations(*, shop: Shop, case: Case) -> QuerySet[Conversation]:
    """The buyer's chat days, newest first: the chat log the path asks the agent to read."""
    if case.buyer_id is None:
        return Conversation.objects.none()
    return Conversation.objects.filter(shop=shop, buyer_id=case.buyer_id).order_by("-day")[:30]


# --- the ledger -----------------------------------------------------------------------------------


def payments(
    *,
    shop: Shop,
    start: dt.date | None = None,
    end: dt.date | None = None,
    signed: bool | None = None,
) -> QuerySet[Payment]:
    listed = Payment.objects.filter(shop=shop).select_related(
        "agent", "case", "created_by", "signed_by", "reverses"
    )
    if start is not None:
        listed = listed.filter(paid_on__gte=start)
    if end is not None:
        listed = listed.filter(paid_on__lte=end)
    if signed is not None:
        listed = listed.filter(signed_at__isnull=not signed)
    return listed.order_by("paid_on", "created_at", "id")


@dataclass(frozen=True)
class LedgerTotals:
    paid_out: Decimal
    received: Decimal
    unsigned: int

    @property
    def net_out(self) -> Decimal:
        return self.paid_out - self.received


def ledger_totals(*, shop: Shop, start: dt.date, end: dt.date) -> LedgerTotals:
    """Sums of the entries dated start..end, reversals included (they carry negative amounts)."""
    rows = payments(shop=shop, start=start, end=end)
    out = rows.filter(direction=Direction.OUT).aggregate(s=Sum("amount"))["s"] or Decimal("0")
    received = rows.filter(direction=Direction.IN).aggregate(s=Sum("amount"))["s"] or Decimal("0")
    return LedgerTotals(
        paid_out=out, received=received, unsigned=rows.filter(signed_at__isnull=True).count()
    )
