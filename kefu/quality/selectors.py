"""Reads of the quality queue, always scoped by shop."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from kefu.conversations.models import Message
from kefu.core.models import Shop
from kefu.quality.models import QualityHit

CONTEXT = 2
"""Messages shown before and after the hit's message."""


def quality_hits(
    *, shop: Shop, status: str = "", agent_id: int | None = None
) -> QuerySet[QualityHit]:
    hits = QualityHit.objects.filter(shop=shop).select_related(
        "message", "message__buyer", "agent", "decided_by", "conversation"
    )
    if status:
        hits = hits.filter(status=status)
    if agent_id is not None:
        hits = hits.filter(agent_id=agent_id)
    return hits.order_by("-message__at", "id")


@dataclass(frozen=True)
class HitInContext:
    hit: QualityHit
    before: list[Message]
    after: list[Message]
    marked: tuple[str, str, str]
    """The hit's message split around the matched characters (before, match, after)."""


def in_context(hits: list[QualityHit]) -> list[HitInContext]:
    """Each hit with the messages around it in its conversation (one query per hit, for a
    page of at most a few dozen hits)."""
    out = []
    for hit in hits:
        message = hit.message
        siblings = Message.objects.filter(conversation_id=hit.conversation_id).order_by(
            "at", "seq", "id"
        )
        before = list(
            siblings.filter(at__lte=message.at)
            .exclude(pk=message.pk)
            .order_by("-at", "-seq", "-id")[:CONTEXT]
        )[::-1]
        after = list(
            siblings.filter(at__gte=message.at).exclude(
                pk__in=[message.pk, *(m.pk for m in before)]
            )[:CONTEXT]
        )
        text = message.text
        marked = (text[: hit.start], text[hit.start : hit.end], text[hit.end :])
        out.append(HitInContext(hit, before, after, marked))
    return out
