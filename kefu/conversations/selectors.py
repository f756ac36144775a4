"""Reads of the chat records, always scoped by shop: the message frame the KPI engine takes
(kpi/inputs.py MESSAGE_COLUMNS) in one query, conversation lists, one transcript with its
rounds and waits, and the nicknames waiting to be bound to an agent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import polars as pl
from django.db.models import Count, Exists, Max, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from kefu.conversations.choices import Direction, Kind
from kefu.conversations.models import Buyer, ChatAccount, Conversation, ImportBatch, Message
from kefu.core.models import Shop
from kefu.orders.models import Order
from kefu.staff.models import SubAccount

FRAME_SCHEMA = {
    "shop_id": pl.Int64(),
    "buyer_id": pl.Int64(),
    "agent_id": pl.Int64(),
    "direction": pl.String(),
    "kind": pl.String(),
    "at": pl.Datetime("us", "UTC"),
    "transfer_to": pl.Int64(),
}


def _agent_of(field: str) -> Subquery:
    return Subquery(
        SubAccount.objects.filter(shop=OuterRef("shop"), nickname=OuterRef(field)).values(
            "agent_id"
        )[:1]
    )


def message_frame(*, shop: Shop, start: dt.datetime, end: dt.datetime) -> pl.DataFrame:
    """The shop's messages in [start, end) as the KPI engine's input frame; agents are looked up
    through the sub-accounts when read, so a nickname bound later counts at once."""
    rows = (
        Message.objects.filter(shop=shop, at__gte=start, at__lt=end)
        .annotate(agent=_agent_of("holder__nickname"), to=_agent_of("transfer_to__nickname"))
        .order_by()
        .values_list("shop_id", "buyer_id", "agent", "direction", "kind", "at", "to")
    )
    return pl.DataFrame(list(rows), schema=FRAME_SCHEMA, orient="row")


def conversations(*, shop: Shop) -> QuerySet[Conversation]:
    return Conversation.objects.filter(shop=shop).select_related("buyer")


def conversation_at(*, shop: Shop, buyer_id: int, at: dt.datetime) -> Conversation | None:
    """The conversation holding a buyer's message at `at` (for evidence links from KPI facts)."""
    day = at.astimezone(shop.tzinfo).date()
    return Conversation.objects.filter(shop=shop, buyer_id=buyer_id, day=day).first()


def import_batches(*, shop: Shop) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.filter(shop=shop)


def unbound_accounts(*, shop: Shop) -> QuerySet[ChatAccount]:
    """Sub-account nicknames seen in chats that no agent's SubAccount names (the main account
    is not listed: its messages are the shop's, held by nobody)."""
    bound = SubAccount.objects.filter(shop=OuterRef("shop"), nickname=OuterRef("nickname"))
    held = Message.objects.filter(holder=OuterRef("pk")).order_by().values("holder")
    return (
        ChatAccount.objects.filter(shop=shop, is_main=False)
        .exclude(Exists(bound))
        .annotate(messages=Subquery(held.annotate(n=Count("pk")).values("n")[:1]))
        .order_by("nickname")
    )


@dataclass(frozen=True)
class Line:
    message: Message
    round_no: int | None  # the round this buyer message opens
    wait: dt.timedelta | None  # on the human reply that closes a round

    @property
    def wait_seconds(self) -> int | None:
        return None if self.wait is None else int(self.wait.total_seconds())


@dataclass(frozen=True)
class Transcript:
    lines: list[Line]
    rounds: int
    answered: int
    waits: list[dt.timedelta]


def transcript(*, shop: Shop, conversation: Conversation) -> Transcript:
    """The conversation's messages with its rounds marked: a round starts at a buyer message
    not already waiting and ends at the next human reply from the shop (KPI.md); auto-replies,
    system and transfer lines do not end it."""
    messages = Message.objects.filter(shop=shop, conversation=conversation).select_related(
        "holder", "transfer_to"
    )
    lines: list[Line] = []
    waits: list[dt.timedelta] = []
    rounds = 0
    started: dt.datetime | None = None
    for message in messages.order_by("at", "id"):
        if message.direction == Direction.BUYER and message.kind == Kind.HUMAN:
            if started is None:
                started, rounds = message.at, rounds + 1
                lines.append(Line(message, rounds, None))
                continue
        elif message.kind == Kind.HUMAN and started is not None:
            wait = message.at - started
            waits.append(wait)
            started = None
            lines.append(Line(message, None, wait))
            continue
        lines.append(Line(message, None, None))
    return Transcript(lines, rounds, len(waits), waits)


ORDER_FRAME_SCHEMA = {
    "shop_id": pl.Int64(),
    "order_no": pl.String(),
    "buyer_id": pl.Int64(),
    "created_at": pl.Datetime("us", "UTC"),
    "paid_at": pl.Datetime("us", "UTC"),
    "amount": pl.Decimal(12, 2),
    "items": pl.Int64(),
    "status": pl.String(),
    "flag": pl.String(),
    "flag_agent_id": pl.Int64(),
    "refund_amount": pl.Decimal(12, 2),
}


def order_frame(*, shop: Shop, start: dt.datetime, end: dt.datetime) -> pl.DataFrame:
    """The shop's orders created in [start, end) as the KPI engine's order frame (kpi/inputs.py
    ORDER_COLUMNS). Buyers are the chat records' Buyer ids by nickname; a buyer who never chatted
    gets an id above every Buyer's (such orders are silent). Amount: paid, else payable; a refund
    of the whole amount returns every item, a smaller one none (no refund reason is known)."""
    rows = list(
        Order.objects.filter(shop=shop, created_at__gte=start, created_at__lt=end)
        .annotate(pieces=Coalesce(Sum("lines__quantity"), 0))
        .order_by()
        .values_list(
            "order_no",
            "buyer_nick",
            "created_at",
            "paid_at",
            "paid_amount",
            "total_amount",
            "pieces",
            "status",
            "flag",
            "flag_agent_id",
            "refund_amount",
        )
    )
    nicks = {row[1] for row in rows}
    known = dict(Buyer.objects.filter(shop=shop, nickname__in=nicks).values_list("nickname", "id"))
    above = (Buyer.objects.filter(shop=shop).aggregate(m=Max("id"))["m"] or 0) + 1
    for nick in sorted(nicks - known.keys()):
        known[nick], above = above, above + 1
    zero = Decimal("0.00")
    records = []
    for (
        no,
        nick,
        created,
        paid,
        paid_amount,
        total,
        pieces,
        status,
        flag,
        flag_agent,
        refund,
    ) in rows:
        amount = paid_amount if paid_amount is not None else (total or zero)
        refund = refund or zero
        returned = pieces if amount > 0 and refund >= amount else 0
        records.append(
            (shop.pk, no, known[nick], created, paid, amount, pieces, status, flag or None,
             flag_agent, refund, returned)
        )  # fmt: skip
    schema = {**ORDER_FRAME_SCHEMA, "refund_items": pl.Int64()}
    return pl.DataFrame(records, schema=schema, orient="row")
