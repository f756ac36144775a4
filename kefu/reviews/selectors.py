"""Reads of the review follow-up, always scoped by shop."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from kefu.core.models import Shop
from kefu.reviews.choices import ReviewStatus, Severity
from kefu.reviews.models import Review
from kefu.staff.models import Agent

_PHONE = re.compile(r"^(\d{3})\d{4}(\d{4})$")


def mask_phone(phone: str) -> str:
    """138****1234 for a mainland mobile number; other numbers keep only their last 4 digits."""
    digits = phone.strip()
    match = _PHONE.match(digits)
    if match:
        return f"{match.group(1)}****{match.group(2)}"
    return f"****{digits[-4:]}" if len(digits) > 4 else ("****" if digits else "")


def reviews_for(
    *,
    shop: Shop,
    status: str = "",
    severity: str = "",
    handler: Agent | None = None,
    only_own: bool = False,
) -> QuerySet[Review]:
    """The table: open work first (phone due, then severe, medium, light), newest first.
    `only_own`: an agent sees the reviews they handle and the ones nobody has taken yet."""
    queryset = (
        Review.objects.filter(shop=shop)
        .select_related("handler", "caused_by")
        .prefetch_related("contacts")
    )
    if status == "todo":
        queryset = queryset.filter(
            status__in=[ReviewStatus.OPEN, ReviewStatus.CONTACTING, ReviewStatus.PHONE_DUE]
        )
    elif status:
        queryset = queryset.filter(status=status)
    if severity:
        queryset = queryset.filter(severity=severity)
    if only_own:
        queryset = queryset.filter(handler__isnull=True) | queryset.filter(handler=handler)
    order = Case(
        When(status=ReviewStatus.PHONE_DUE, then=Value(0)),
        When(severity=Severity.SEVERE, then=Value(1)),
        When(severity=Severity.MEDIUM, then=Value(2)),
        When(severity=Severity.LIGHT, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )
    closed = Case(
        When(status__in=[ReviewStatus.CLOSED, ReviewStatus.IGNORED], then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return queryset.annotate(_closed=closed, _order=order).order_by(
        "_closed", "_order", "-rated_at", "-id"
    )


def phone_tasks_due(*, shop: Shop, until: dt.datetime) -> QuerySet[Review]:
    return Review.objects.filter(
        shop=shop, status=ReviewStatus.PHONE_DUE, phone_due_at__lte=until
    ).order_by("phone_due_at", "id")


@dataclass(frozen=True)
class ReviewCounts:
    severe: int
    phone_due: int
    todo: int
    closed: int


def review_counts(*, shop: Shop) -> ReviewCounts:
    reviews = Review.objects.filter(shop=shop)
    todo = reviews.filter(
        status__in=[ReviewStatus.OPEN, ReviewStatus.CONTACTING, ReviewStatus.PHONE_DUE]
    )
    return ReviewCounts(
        severe=todo.filter(severity=Severity.SEVERE).count(),
        phone_due=todo.filter(status=ReviewStatus.PHONE_DUE).count(),
        todo=todo.count(),
        closed=reviews.filter(status=ReviewStatus.CLOSED).count(),
    )


def reviews_in_period(*, shop: Shop, start: dt.datetime, end: dt.datetime) -> QuerySet[Review]:
    """Reviews rated, or followed up, in [start, end): the weekly meeting's review outcomes."""
    in_period = Q(rated_at__gte=start, rated_at__lt=end) | Q(
        contacts__at__gte=start, contacts__at__lt=end
    )
    ids = Review.objects.filter(shop=shop).exclude(severity="").filter(in_period).values("pk")
    return (
        Review.objects.filter(shop=shop, pk__in=ids)
        .select_related("handler", "caused_by")
        .order_by("rated_at", "id")
    )
