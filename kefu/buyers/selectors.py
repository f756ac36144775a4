"""Reads of buyers, always scoped by shop: the buyer list, one buyer's figures (aggregate
queries and Polars, no loops over rows), the note badge other pages show beside a buyer, the
return-visit work lists and the month's satisfaction per agent (the S4.5 input)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import polars as pl
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    Max,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from kefu.buyers.choices import Group, VisitStatus
from kefu.buyers.engine.response import Received, received_waits
from kefu.buyers.models import (
    BuyerLink,
    BuyerNote,
    BuyerProfile,
    BuyerTag,
    FollowUp,
    GroupMembership,
    ReturnVisit,
)
from kefu.conversations.choices import Direction, Kind
from kefu.conversations.models import Buyer, Conversation, Message
from kefu.core.models import Shop
from kefu.orders.choices import OrderStatus
from kefu.orders.models import Order
from kefu.staff.models import SubAccount

PAID_STATUSES = (OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.FINISHED)
"""An order counts as paid (lifetime value, VIP, return visits) in these states with a paid_at."""

TWO_PLACES = Decimal("0.01")
ZERO = Decimal("0.00")


def paid_orders(*, shop: Shop) -> QuerySet[Order]:
    return Order.objects.filter(shop=shop, status__in=PAID_STATUSES, paid_at__isnull=False)


def buyers(*, shop: Shop, query: str = "") -> QuerySet[Buyer]:
    """The shop's buyers with their paid total and order count (one query)."""
    paid = paid_orders(shop=shop).filter(buyer_nick=OuterRef("nickname")).order_by()
    total = paid.values("buyer_nick").annotate(t=Sum("paid_amount")).values("t")[:1]
    count = paid.values("buyer_nick").annotate(n=Count("pk")).values("n")[:1]
    money: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)
    rows = Buyer.objects.filter(shop=shop).annotate(
        paid_total=Coalesce(Subquery(total, output_field=money), Value(ZERO, output_field=money)),
        order_count=Coalesce(Subquery(count), Value(0)),
        last_contact=Subquery(
            Conversation.objects.filter(buyer=OuterRef("pk"))
            .order_by()
            .values("buyer")
            .annotate(m=Max("last_at"))
            .values("m")[:1]
        ),
    )
    if query:
        rows = rows.filter(nickname__icontains=query.strip())
    return rows.order_by("-paid_total", "nickname")


# --- one buyer ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuyerSummary:
    paid_total: Decimal
    order_count: int
    first_paid_at: dt.datetime | None
    last_order_at: dt.datetime | None
    last_contact: dt.datetime | None
    conversations: int
    received: Received
    erased: bool


def buyer_summary(*, shop: Shop, buyer: Buyer) -> BuyerSummary:
    """Lifetime value (paid, refunds not deducted), orders, last contact and the response times
    the buyer received, in three aggregate queries and one Polars pass."""
    orders = (
        paid_orders(shop=shop)
        .filter(buyer_nick=buyer.nickname)
        .aggregate(total=Sum("paid_amount"), n=Count("pk"), first=Min("paid_at"))
    )
    last_order = Order.objects.filter(shop=shop, buyer_nick=buyer.nickname).aggregate(
        m=Max("created_at")
    )["m"]
    chats = Conversation.objects.filter(shop=shop, buyer=buyer).aggregate(
        last=Max("last_at"), n=Count("pk")
    )
    rows = Message.objects.filter(shop=shop, buyer=buyer).values_list(
        "conversation_id", "at", "direction", "kind"
    )
    frame = pl.DataFrame(
        list(rows),
        schema={
            "conversation_id": pl.Int64,
            "at": pl.Datetime("us", "UTC"),
            "direction": pl.String,
            "kind": pl.String,
        },
        orient="row",
    )
    total = orders["total"] if orders["total"] is not None else ZERO
    return BuyerSummary(
        paid_total=total.quantize(TWO_PLACES, rounding=ROUND_HALF_UP),
        order_count=orders["n"],
        first_paid_at=orders["first"],
        last_order_at=last_order,
        last_contact=chats["last"],
        conversations=chats["n"],
        received=received_waits(frame),
        erased=BuyerProfile.objects.filter(
            shop=shop, buyer=buyer, erased_at__isnull=False
        ).exists(),
    )


def buyer_notes(*, shop: Shop, buyer: Buyer) -> QuerySet[BuyerNote]:
    return BuyerNote.objects.filter(shop=shop, buyer=buyer).select_related("author")


def buyer_tags(*, shop: Shop, buyer: Buyer) -> QuerySet[BuyerTag]:
    return BuyerTag.objects.filter(shop=shop, buyer=buyer)


def buyer_groups(*, shop: Shop, buyer: Buyer) -> list[str]:
    return list(
        GroupMembership.objects.filter(shop=shop, buyer=buyer)
        .order_by("group")
        .values_list("group", flat=True)
    )


def buyer_links(*, shop: Shop, buyer: Buyer) -> QuerySet[BuyerLink]:
    return BuyerLink.objects.filter(shop=shop, buyer=buyer).select_related(
        "other", "other_shop", "created_by"
    )


# --- the note badge other pages show beside a buyer ---------------------------------------------


@dataclass(frozen=True)
class BuyerBadge:
    buyer_id: int
    nickname: str
    notes: int
    latest: str
    groups: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    @property
    def vip(self) -> bool:
        return Group.VIP in self.groups


def buyer_notes_for(*, shop: Shop, nicknames: list[str] | set[str]) -> dict[str, BuyerBadge]:
    """Per nickname (of this shop only): the note count, the latest note, groups and tags, in
    four queries whatever the number of nicknames. Nicknames of no known buyer are absent."""
    names = {n for n in nicknames if n}
    if not names:
        return {}
    found = dict(Buyer.objects.filter(shop=shop, nickname__in=names).values_list("pk", "nickname"))
    if not found:
        return {}
    counts = dict(
        BuyerNote.objects.filter(shop=shop, buyer_id__in=found)
        .order_by()
        .values("buyer_id")
        .annotate(n=Count("pk"))
        .values_list("buyer_id", "n")
    )
    latest_ids = (
        BuyerNote.objects.filter(shop=shop, buyer_id__in=found)
        .order_by()
        .values("buyer_id")
        .annotate(m=Max("pk"))
        .values("m")
    )
    latest = dict(BuyerNote.objects.filter(pk__in=latest_ids).values_list("buyer_id", "text"))
    groups: dict[int, list[str]] = {}
    for buyer_id, group in (
        GroupMembership.objects.filter(shop=shop, buyer_id__in=found)
        .order_by("group")
        .values_list("buyer_id", "group")
    ):
        groups.setdefault(buyer_id, []).append(group)
    tags: dict[int, list[str]] = {}
    for buyer_id, name in (
        BuyerTag.objects.filter(shop=shop, buyer_id__in=found)
        .order_by("name")
        .values_list("buyer_id", "name")
    ):
        tags.setdefault(buyer_id, []).append(name)
    return {
        nick: BuyerBadge(
            buyer_id=pk,
            nickname=nick,
            notes=counts.get(pk, 0),
            latest=latest.get(pk, ""),
            groups=groups.get(pk, []),
            tags=tags.get(pk, []),
        )
        for pk, nick in found.items()
    }


# --- groups -------------------------------------------------------------------------------------


def group_members(*, shop: Shop, group: str) -> QuerySet[Buyer]:
    """The buyers of one group with their figures, highest paid total first."""
    inside = GroupMembership.objects.filter(shop=shop, group=group, buyer=OuterRef("pk"))
    return buyers(shop=shop).filter(Exists(inside))


def group_counts(*, shop: Shop) -> dict[str, int]:
    counts = dict(
        GroupMembership.objects.filter(shop=shop)
        .order_by()
        .values("group")
        .annotate(n=Count("pk"))
        .values_list("group", "n")
    )
    return {g: counts.get(g, 0) for g in Group.values}


# --- who serves a buyer -------------------------------------------------------------------------


def last_serving_agent() -> Subquery:
    """For an outer Buyer row: the agent behind the last shop-side human message holding the
    buyer (the sub-account nickname looked up when read, like the KPI frame)."""
    holder = (
        Message.objects.filter(
            buyer=OuterRef(OuterRef("pk")),
            direction=Direction.AGENT,
            kind=Kind.HUMAN,
            holder__isnull=False,
        )
        .order_by("-at", "-id")
        .values("holder__nickname")[:1]
    )
    return Subquery(
        SubAccount.objects.filter(shop=OuterRef("shop"), nickname=Subquery(holder)).values(
            "agent_id"
        )[:1]
    )


# --- return visits ------------------------------------------------------------------------------


def visits_due(*, shop: Shop, on: dt.date, agent_id: int | None = None) -> QuerySet[ReturnVisit]:
    """Visits to make on `on`: due on or before it and not yet made or missed. An agent's list
    (agent_id) is theirs only; the supervisor's (None) is everyone's."""
    rows = ReturnVisit.objects.filter(shop=shop, status=VisitStatus.DUE, due_on__lte=on)
    if agent_id is not None:
        rows = rows.filter(agent_id=agent_id)
    return rows.select_related("buyer", "agent").order_by("due_on", "id")


def visits_missed(*, shop: Shop, since: dt.date | None = None) -> QuerySet[ReturnVisit]:
    rows = ReturnVisit.objects.filter(shop=shop, status=VisitStatus.MISSED)
    if since is not None:
        rows = rows.filter(due_on__gte=since)
    return rows.select_related("buyer", "agent").order_by("-due_on", "id")


def _month_bounds(shop: Shop, month: object) -> tuple[dt.datetime, dt.datetime]:
    text = str(month)
    year, _, number = text.partition("-")
    first = dt.date(int(year), int(number), 1)
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    zone = shop.tzinfo
    return (
        dt.datetime.combine(first, dt.time(), tzinfo=zone),
        dt.datetime.combine(following, dt.time(), tzinfo=zone),
    )


def return_visit_satisfaction(*, shop: Shop, month: object) -> dict[int, Decimal]:
    """The month's average return-visit satisfaction (1-5) per agent id, over the visits made
    in that shop-local month with a score, rounded half up to 0.01. `month` is "YYYY-MM" or
    anything whose str() is (kefu.performance.engine.month.Month). Agents without a scored
    visit are absent. This is the S4.5 input (return-visit satisfaction, 30 of 100 points)."""
    start, end = _month_bounds(shop, month)
    rows = (
        ReturnVisit.objects.filter(
            shop=shop,
            status=VisitStatus.DONE,
            done_at__gte=start,
            done_at__lt=end,
            satisfaction__isnull=False,
            agent__isnull=False,
        )
        .order_by()
        .values("agent_id")
        .annotate(total=Sum("satisfaction"), n=Count("pk"))
        .values_list("agent_id", "total", "n")
    )
    return {
        agent_id: (Decimal(total) / Decimal(n)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
        for agent_id, total, n in rows
    }


# --- follow-ups ---------------------------------------------------------------------------------


def follow_up_candidates(*, shop: Shop, now: dt.datetime, quiet_days: int) -> QuerySet[Buyer]:
    """Potential buyers not contacted inside the quiet period."""
    recent = FollowUp.objects.filter(
        shop=shop, buyer=OuterRef("pk"), contacted_at__gt=now - dt.timedelta(days=quiet_days)
    )
    return group_members(shop=shop, group=Group.POTENTIAL).filter(~Exists(recent))


def follow_ups(*, shop: Shop) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(shop=shop).select_related("buyer", "agent")


def any_contact_since(*, shop: Shop, buyer: Buyer, since: dt.datetime) -> bool:
    return (
        FollowUp.objects.filter(shop=shop, buyer=buyer, contacted_at__gt=since).exists()
        or ReturnVisit.objects.filter(shop=shop, buyer=buyer, done_at__gt=since).exists()
    )


def erased_buyer_ids(*, shop: Shop) -> QuerySet[BuyerProfile, Any]:
    return BuyerProfile.objects.filter(shop=shop, erased_at__isnull=False).values("buyer_id")
