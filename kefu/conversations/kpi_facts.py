"""The engine's facts (slow rounds, buyers unanswered 30 minutes / 2 hours, slow night first
responses) written as kefu.performance Facts with their round as evidence.

Only rounds of bound agents on the shop become facts. The source_ref is the round's stable id,
`<fact>:<buyer id>:<round start, epoch seconds>`, so a recompute writes nothing twice; the
evidence names the conversation so the points page can link the transcript.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from django.urls import reverse

from kefu.conversations.models import Buyer, Conversation
from kefu.core.models import Shop
from kefu.performance.models import Fact
from kefu.performance.services import fact_record
from kefu.policy.schema.vocab import FACTS
from kefu.staff.models import Agent, Assignment

SOURCE = "kpi"


def round_ref(fact: str, buyer_id: int, start: dt.datetime) -> str:
    return f"{fact}:{buyer_id}:{int(start.timestamp())}"


def facts_record(*, shop: Shop, facts: pl.DataFrame) -> int:
    """Record the facts not yet recorded; returns how many were new."""
    facts = facts.filter(pl.col("agent_id").is_not_null() & pl.col("fact").is_in(list(FACTS)))
    if facts.is_empty():
        return 0
    agent_ids = set(facts.get_column("agent_id").unique().to_list())
    on_shop = set(
        Assignment.objects.filter(shop=shop, agent_id__in=agent_ids).values_list(
            "agent_id", flat=True
        )
    )
    rows = [r for r in facts.iter_rows(named=True) if r["agent_id"] in on_shop]
    refs = {round_ref(r["fact"], r["buyer_id"], r["round_start"]): r for r in rows}
    done = set(
        Fact.objects.filter(shop=shop, source=SOURCE, source_ref__in=list(refs)).values_list(
            "source_ref", flat=True
        )
    )
    todo = {ref: r for ref, r in refs.items() if ref not in done}
    if not todo:
        return 0
    buyers = {r["buyer_id"] for r in todo.values()}
    dates = {r["date"] for r in todo.values()}
    conversations = {
        (b, d): pk
        for b, d, pk in Conversation.objects.filter(
            shop=shop, buyer_id__in=buyers, day__in=dates
        ).values_list("buyer_id", "day", "id")
    }
    nicks = dict(Buyer.objects.filter(shop=shop, pk__in=buyers).values_list("id", "nickname"))
    agents = Agent.objects.in_bulk(on_shop)
    for ref, row in todo.items():
        conversation = conversations.get((row["buyer_id"], row["date"]))
        fact_record(
            shop=shop,
            agent=agents[row["agent_id"]],
            key=row["fact"],
            occurred_at=row["round_start"],
            local_date=row["date"],
            source=SOURCE,
            source_ref=ref,
            evidence=_evidence(shop, row, conversation, nicks.get(row["buyer_id"], "")),
        )
    return len(todo)


def _evidence(
    shop: Shop, row: dict[str, Any], conversation: int | None, buyer: str
) -> dict[str, Any]:
    end = row["round_end"]
    url = (
        reverse(
            "conversations:detail", kwargs={"shop_id": shop.pk, "conversation_id": conversation}
        )
        if conversation is not None
        else ""
    )
    return {
        "conversation_id": conversation,
        "url": url,
        "buyer_id": row["buyer_id"],
        "buyer": buyer,
        "round_start": row["round_start"].isoformat(),
        "round_end": end.isoformat() if end is not None else None,
        "wait_s": row["wait_s"],
        "threshold_s": row["threshold_s"],
        "clause": row["clause"],
    }
