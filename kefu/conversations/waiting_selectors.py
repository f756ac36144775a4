"""Reads for the live queue: the buyers whose last message has no answer yet (the buyers-waiting
board and the dashboard's count), from the latest messages rather than the KPI snapshots."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, OuterRef, Subquery

from kefu.conversations.choices import Direction, Kind
from kefu.conversations.models import Conversation, Message
from kefu.core.models import Shop
from kefu.staff.models import SubAccount

WAITING_WINDOW = dt.timedelta(hours=24)
"""The waiting board looks at conversations with a message in this last stretch of time."""


@dataclass(frozen=True)
class Waiting:
    conversation: Conversation
    since: dt.datetime
    """The first buyer message after the shop's last human reply."""
    holder: str
    agent: str
    messages: int
    waited: dt.timedelta

    @property
    def waited_seconds(self) -> int:
        return int(self.waited.total_seconds())


def buyers_waiting(*, shop: Shop, now: dt.datetime, limit: int = 100) -> list[Waiting]:
    """Buyers whose last human message in their latest conversation is their own (auto-replies
    do not answer them), longest wait first; only conversations with a message in the last
    WAITING_WINDOW."""
    human = Message.objects.filter(conversation=OuterRef("pk"), kind=Kind.HUMAN).order_by(
        "-at", "-id"
    )
    candidates = list(
        Conversation.objects.filter(shop=shop, last_at__gte=now - WAITING_WINDOW, last_at__lte=now)
        .annotate(
            last_direction=Subquery(human.values("direction")[:1]),
            last_reply=Subquery(human.filter(direction=Direction.AGENT).values("at")[:1]),
        )
        .filter(last_direction=Direction.BUYER)
        .select_related("buyer")
    )
    if not candidates:
        return []
    replies = {c.pk: c.last_reply for c in candidates}
    waiting: dict[int, tuple[dt.datetime, str, int]] = {}
    buyer_lines = (
        Message.objects.filter(
            shop=shop, conversation__in=list(replies), direction=Direction.BUYER, kind=Kind.HUMAN
        )
        .order_by("at", "id")
        .values_list("conversation_id", "at", "holder__nickname")
    )
    for conversation_id, at, holder in buyer_lines:
        reply = replies[conversation_id]
        if reply is not None and at <= reply:
            continue
        since, _holder, count = waiting.get(conversation_id, (at, "", 0))
        waiting[conversation_id] = (since, holder or _holder, count + 1)
    agents = {
        s.nickname: s.agent.name
        for s in SubAccount.objects.filter(shop=shop).select_related("agent")
    }
    out = [
        Waiting(c, since, holder, agents.get(holder, ""), count, now - since)
        for c in candidates
        for since, holder, count in [waiting.get(c.pk, (now, "", 0))]
        if count
    ]
    out.sort(key=lambda w: (w.since, w.conversation.pk))
    return out[:limit]


@dataclass(frozen=True)
class ImportReach:
    """How far the shop's chat imports reach. The board reads imports, not the platform live:
    an empty board means "nobody waiting" only when the imports reach the last WAITING_WINDOW."""

    until: dt.datetime | None
    """The latest message imported (None before the first import)."""
    behind: bool
    """The imports end before the last WAITING_WINDOW, so nobody can show as waiting."""


def chats_import_reach(*, shop: Shop, now: dt.datetime) -> ImportReach:
    until: dt.datetime | None = Conversation.objects.filter(shop=shop).aggregate(
        latest=Max("last_at")
    )["latest"]
    return ImportReach(until=until, behind=until is None or until < now - WAITING_WINDOW)
