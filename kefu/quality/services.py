"""Writes of the chat quality queue: scanning conversations into hits, and the supervisor's
decision on a hit (confirm or dismiss, both kept). A confirmed violation becomes a `Fact`
(`quality_hit_confirmed`) through `fact_record`, so the shop's points and fines rules can
price it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from kefu.conversations.models import ChatAccount, Conversation, Message
from kefu.core.audit import audit_record
from kefu.core.errors import InvalidInput, NotFound
from kefu.core.models import Shop
from kefu.performance.services import fact_record
from kefu.policy.selectors import PolicyInForce, policy_in_force
from kefu.quality.choices import HitSeverity, HitStatus
from kefu.quality.models import QualityHit
from kefu.quality.scanner import ChatMessage, Hit, RuleSet, scan
from kefu.staff.models import Agent, SubAccount

CHUNK = 500
"""Conversations scanned per round trip (their messages are read in one query)."""

FACT_KEY = "quality_hit_confirmed"


def _agents_of_accounts(shop: Shop, account_ids: Iterable[int]) -> dict[int, int]:
    """ChatAccount id -> agent id, through the sub-account bound to the same nickname."""
    nick_of = dict(
        ChatAccount.objects.filter(shop=shop, pk__in=set(account_ids)).values_list("pk", "nickname")
    )
    agent_of_nick = dict(
        SubAccount.objects.filter(shop=shop, nickname__in=set(nick_of.values())).values_list(
            "nickname", "agent_id"
        )
    )
    return {pk: agent_of_nick[n] for pk, n in nick_of.items() if n in agent_of_nick}


def _policies(shop: Shop, days: Iterable[dt.date]) -> dict[dt.date, PolicyInForce | None]:
    """The policy in force on each day (none before the shop's first policy)."""
    found: dict[dt.date, PolicyInForce | None] = {}
    for day in sorted(set(days)):
        try:
            found[day] = policy_in_force(shop=shop, on=day)
        except NotFound:
            found[day] = None
    return found


@transaction.atomic
def quality_scan_conversations(*, shop: Shop, conversation_ids: Iterable[int]) -> int:
    """Scan whole conversations of the shop with the phrase lists of the policy in force on
    each conversation's day; store the new hits and return how many were added.

    Idempotent: a hit is identified by (message, rule, phrase, start), so scanning again adds
    nothing. An open hit the scan no longer finds (a conversation that grew, say: the agent
    used an honorific later that day) is removed; decided hits are always kept."""
    ids = sorted(set(conversation_ids))
    added = 0
    for start in range(0, len(ids), CHUNK):
        added += _scan_chunk(shop, ids[start : start + CHUNK])
    return added


def _scan_chunk(shop: Shop, ids: list[int]) -> int:
    days = dict(Conversation.objects.filter(shop=shop, pk__in=ids).values_list("pk", "day"))
    policies = _policies(shop, days.values())
    rows = (
        Message.objects.filter(shop=shop, conversation_id__in=list(days))
        .order_by("conversation_id", "at", "seq", "id")
        .values_list("pk", "conversation_id", "direction", "kind", "text", "holder_id")
    )
    by_version: dict[int, list[ChatMessage]] = {}
    holder_of: dict[int, int | None] = {}
    for pk, conversation_id, direction, kind, text, holder_id in rows.iterator(chunk_size=5000):
        in_force = policies[days[conversation_id]]
        if in_force is None:
            continue
        holder_of[pk] = holder_id
        by_version.setdefault(in_force.version.pk, []).append(
            ChatMessage(pk, conversation_id, direction, kind, text)
        )
    rules = {
        p.version.pk: (p, RuleSet.from_quality(p.policy.quality))
        for p in policies.values()
        if p is not None
    }
    found: dict[tuple[int, str, str, int], tuple[Hit, int]] = {}
    for version_id, messages in by_version.items():
        for hit in scan(messages, rules[version_id][1]):
            found[(int(hit.message_id), hit.rule.value, hit.phrase, hit.start)] = (hit, version_id)
    stored = {
        (h.message_id, h.rule, h.phrase, h.start): h
        for h in QualityHit.objects.filter(shop=shop, conversation_id__in=list(days))
    }
    stale = [h.pk for k, h in stored.items() if k not in found and h.status == HitStatus.OPEN]
    if stale:
        QualityHit.objects.filter(pk__in=stale).delete()
    agents = _agents_of_accounts(shop, {h for h in holder_of.values() if h is not None})
    new = [
        QualityHit(
            shop=shop,
            message_id=key[0],
            conversation_id=int(hit.conversation_id),
            agent_id=agents.get(holder_of[key[0]] or 0),
            rule=hit.rule.value,
            phrase=hit.phrase[:100],
            start=hit.start,
            end=hit.end,
            severity=hit.severity.value,
            clause=hit.clause[:200],
            suggestion=(hit.suggestion or "")[:200],
            policy_version_id=version_id,
        )
        for key, (hit, version_id) in found.items()
        if key not in stored
    ]
    QualityHit.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _actor(user: User | None) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated else None


def _agent_now(hit: QualityHit) -> int | None:
    """The hit's agent, or the one bound to the sender's nickname since the scan."""
    if hit.agent_id is not None:
        return hit.agent_id
    holder = hit.message.holder_id
    if holder is None:
        return None
    return _agents_of_accounts(hit.shop, [holder]).get(holder)


@transaction.atomic
def quality_hit_decide(
    *, shop: Shop, hit: QualityHit, confirm: bool, note: str = "", acting_user: User | None
) -> QualityHit:
    """The supervisor confirms or dismisses an open hit; both are kept with who and when.
    Confirming a violation records the fact `quality_hit_confirmed` for the agent (evidence:
    the message, rule, phrase and clause), which the shop's rules may price."""
    if hit.shop_id != shop.pk:
        raise InvalidInput("该质检记录不属于本店")
    if hit.status != HitStatus.OPEN:
        raise InvalidInput(f"该质检记录已处理（{hit.get_status_display()}）")
    agent_id = _agent_now(hit)
    fact = None
    if confirm and hit.severity == HitSeverity.VIOLATION:
        if agent_id is None:
            raise InvalidInput(
                "发送这条消息的子账号还没有绑定客服：请先在咨询记录里绑定子账号，再确认违规"
            )
        message = hit.message
        fact = fact_record(
            shop=shop,
            agent=Agent.objects.get(pk=agent_id),
            key=FACT_KEY,
            occurred_at=message.at,
            source="quality",
            source_ref=f"hit:{hit.pk}",
            evidence={
                "message_id": message.pk,
                "conversation_id": hit.conversation_id,
                "rule": hit.rule,
                "phrase": hit.phrase,
                "clause": hit.clause,
            },
            note=note,
            acting_user=acting_user,
        )
    hit.agent_id = agent_id
    hit.status = HitStatus.CONFIRMED if confirm else HitStatus.DISMISSED
    hit.decided_by = _actor(acting_user)
    hit.decided_at = timezone.now()
    hit.note = note
    hit.fact = fact
    hit.save(update_fields=["agent", "status", "decided_by", "decided_at", "note", "fact"])
    audit_record(
        shop=shop,
        actor=_actor(acting_user),
        action="quality_hit.confirm" if confirm else "quality_hit.dismiss",
        object_type="quality_hit",
        object_id=hit.pk,
        new_value={"status": hit.status, "note": note, "fact": fact.pk if fact else None},
    )
    return hit
