"""Writes of facts, incidents and recommendation decisions. The month close is in `closing`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from kefu.core.audit import audit_record
from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.performance.choices import RecommendationStatus
from kefu.performance.evaluation import WARNING_CONSEQUENCES, warning_issue
from kefu.performance.models import Fact, Incident, Recommendation
from kefu.performance.selectors import catalogue_item
from kefu.policy.schema.vocab import FACTS
from kefu.policy.selectors import policy_in_force
from kefu.staff.models import Agent, Assignment


def _require_on_shop(*, shop: Shop, agent: Agent) -> None:
    if not Assignment.objects.filter(shop=shop, agent=agent).exists():
        raise InvalidInput(f"客服「{agent.name}」不在店铺「{shop.name}」：只能给本店客服记录")


def _actor(user: User | None) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated else None


@transaction.atomic
def fact_record(
    *,
    shop: Shop,
    agent: Agent,
    key: str,
    occurred_at: dt.datetime,
    local_date: dt.date | None = None,
    quantity: int = 1,
    minutes: int | None = None,
    source: str = "manual",
    source_ref: str = "",
    evidence: dict[str, Any] | None = None,
    note: str = "",
    acting_user: User | None = None,
) -> Fact:
    """Record a fact. A capability passes `source_ref` (its own row id): writing the same
    (source, source_ref) again returns the stored fact and changes nothing, so re-imports
    are harmless. A withdrawn (voided) fact with that reference is restored instead, with
    what it says now (key, time, minutes, evidence)."""
    if key not in FACTS:
        raise InvalidInput(f"未知的事实代码 {key!r}（词汇表见 docs/policy.md）")
    if timezone.is_naive(occurred_at):
        raise InvalidInput("occurred_at 必须带时区")
    if quantity < 1:
        raise InvalidInput(f"次数至少为 1，收到 {quantity}")
    if minutes is not None and minutes < 0:
        raise InvalidInput("分钟数不能为负")
    _require_on_shop(shop=shop, agent=agent)
    if source_ref:
        existing = Fact.all_objects.filter(shop=shop, source=source, source_ref=source_ref).first()
        if existing is not None and existing.voided_at is None:
            return existing
        if existing is not None:
            return _fact_restore(
                existing,
                shop=shop,
                key=key,
                occurred_at=occurred_at,
                local_date=local_date or occurred_at.astimezone(shop.tzinfo).date(),
                quantity=quantity,
                minutes=minutes,
                evidence=evidence or {},
                acting_user=acting_user,
            )
    fact = Fact.objects.create(
        shop=shop,
        agent=agent,
        key=key,
        occurred_at=occurred_at,
        local_date=local_date or occurred_at.astimezone(shop.tzinfo).date(),
        quantity=quantity,
        minutes=minutes,
        source=source,
        source_ref=source_ref,
        evidence=evidence or {},
        note=note,
    )
    audit_record(
        shop=shop,
        actor=_actor(acting_user),
        action="fact.record",
        object_type="fact",
        object_id=fact.pk,
        new_value={"agent": agent.pk, "key": key, "source": source, "source_ref": source_ref},
    )
    return fact


def _fact_restore(
    fact: Fact,
    *,
    shop: Shop,
    key: str,
    occurred_at: dt.datetime,
    local_date: dt.date,
    quantity: int,
    minutes: int | None,
    evidence: dict[str, Any],
    acting_user: User | None,
) -> Fact:
    old = {"void_reason": fact.void_reason, "key": fact.key, "minutes": fact.minutes}
    fact.key, fact.occurred_at, fact.local_date = key, occurred_at, local_date
    fact.quantity, fact.minutes, fact.evidence = quantity, minutes, evidence
    fact.voided_at, fact.void_reason, fact.voided_by = None, "", None
    fact.save()
    audit_record(
        shop=shop,
        actor=_actor(acting_user),
        action="fact.restore",
        object_type="fact",
        object_id=fact.pk,
        old_value=old,
        new_value={"key": key, "minutes": minutes, "source_ref": fact.source_ref},
    )
    return fact


@transaction.atomic
def facts_withdraw(
    *,
    shop: Shop,
    source: str,
    reason: str,
    refs: Iterable[str] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    ref_prefix: str = "",
    keep: Iterable[str] = (),
    acting_user: User | None = None,
) -> list[Fact]:
    """Withdraw (void) the facts of `source` a capability no longer finds: the ones whose
    reference is in `refs`, or else those of local dates `start`..`end` whose reference
    starts with `ref_prefix`; never those in `keep`. Each is audited; the row stays
    (`Fact.all_objects`) and `Fact.objects` hides it. A point or fine entry already made
    from it in a locked month stays until a correction run. Returns the facts voided."""
    if not reason.strip():
        raise InvalidInput("撤销事实须写明原因")
    rows = Fact.objects.select_for_update().filter(shop=shop, source=source)
    if refs is not None:
        rows = rows.filter(source_ref__in=list(refs))
    else:
        if start is None or end is None:
            raise InvalidInput("撤销事实须给出编号或日期范围")
        rows = rows.filter(local_date__gte=start, local_date__lte=end)
        if ref_prefix:
            rows = rows.filter(source_ref__startswith=ref_prefix)
    kept = set(keep)
    voided = [f for f in rows.order_by("id") if f.source_ref not in kept]
    at = timezone.now()
    for fact in voided:
        fact.voided_at, fact.void_reason, fact.voided_by = at, reason[:200], _actor(acting_user)
        fact.save(update_fields=["voided_at", "void_reason", "voided_by"])
        audit_record(
            shop=shop,
            actor=_actor(acting_user),
            action="fact.void",
            object_type="fact",
            object_id=fact.pk,
            old_value={"key": fact.key, "source_ref": fact.source_ref},
            note=reason,
        )
    return voided


@transaction.atomic
def incident_record(
    *,
    shop: Shop,
    agent: Agent,
    item: str,
    occurred_at: dt.datetime,
    points: Decimal | None = None,
    amount: Decimal | None = None,
    note: str = "",
    acting_user: User | None,
) -> Incident:
    """Record a catalogue item for an agent. For a range (2-5) the supervisor chooses the
    points inside it; a fixed item takes the catalogue's points."""
    _require_on_shop(shop=shop, agent=agent)
    if timezone.is_naive(occurred_at):
        raise InvalidInput("occurred_at 必须带时区")
    local_date = occurred_at.astimezone(shop.tzinfo).date()
    policy = policy_in_force(shop=shop, on=local_date).policy
    found = catalogue_item(policy, item)
    if found is None:
        raise InvalidInput(f"本店制度的奖惩目录里没有「{FACTS.get(item, item)}」（{item}）")
    rng = found.points
    if rng is not None and not rng.fixed:
        if points is None:
            raise InvalidInput(f"「{FACTS[item]}」是 {rng.render()} 分的范围：请选择分值")
        if not rng.low <= points <= rng.high:
            raise InvalidInput(
                f"「{FACTS[item]}」的分值须在 {rng.render()} 之间，收到 {points.normalize()}"
            )
    elif points is not None and (rng is None or points != rng.low):
        raise InvalidInput(f"「{FACTS[item]}」的分值由制度固定，不能另选")
    if found.compensate and amount is None:
        raise InvalidInput(f"「{FACTS[item]}」须照价赔偿：请填写金额")
    if amount is not None and amount < 0:
        raise InvalidInput("金额不能为负")
    incident = Incident.objects.create(
        shop=shop,
        agent=agent,
        item=item,
        occurred_at=occurred_at,
        local_date=local_date,
        points=points,
        amount=amount,
        note=note,
        clause=found.clause,
        recorded_by=_actor(acting_user),
    )
    audit_record(
        shop=shop,
        actor=_actor(acting_user),
        action="incident.record",
        object_type="incident",
        object_id=incident.pk,
        new_value={"agent": agent.pk, "item": item, "points": str(points), "note": note},
    )
    return incident


@transaction.atomic
def recommendation_decide(
    *,
    shop: Shop,
    recommendation: Recommendation,
    accept: bool,
    note: str = "",
    acting_user: User | None,
) -> Recommendation:
    """A person accepts or dismisses a recommendation; Kefu applies nothing itself. The
    decision is kept on the row and in the audit trail."""
    if recommendation.shop_id != shop.pk:
        raise InvalidInput("该建议不属于本店")
    if recommendation.status != RecommendationStatus.OPEN:
        raise InvalidInput(f"该建议已处理（{recommendation.get_status_display()}）")
    recommendation.status = (
        RecommendationStatus.ACCEPTED if accept else RecommendationStatus.DISMISSED
    )
    recommendation.decided_by = _actor(acting_user)
    recommendation.decided_at = timezone.now()
    recommendation.decision_note = note
    recommendation.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if accept and recommendation.consequence in WARNING_CONSEQUENCES:
        # An accepted warning is a warning issued today: later closes count it (S4.5 三次警告).
        warning_issue(
            shop=shop,
            agent=recommendation.agent,
            on=timezone.localdate(timezone=shop.tzinfo),
            note=note or recommendation.explanation,
            recommendation=recommendation,
            acting_user=_actor(acting_user),
        )
    audit_record(
        shop=shop,
        actor=_actor(acting_user),
        action="recommendation.accept" if accept else "recommendation.dismiss",
        object_type="recommendation",
        object_id=recommendation.pk,
        new_value={"status": recommendation.status, "note": note},
    )
    return recommendation
