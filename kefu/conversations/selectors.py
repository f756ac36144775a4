"""Reads of the chat records, always scoped by shop: the message frame the KPI engine takes
(kpi/inputs.py MESSAGE_COLUMNS) in one query, conversation lists, one transcript with its
rounds and waits, and the nicknames waiting to be bound to an agent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery

from kefu.conversations.choices import Direction, Kind
from kefu.conversations.models import ChatAccount, Conversation, ImportBatch, Message
from kefu.core.models import Shop
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
