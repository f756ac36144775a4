"""Rule-based buyer groups (VIP, potential, at risk) recomputed from the policy in force, with
set-based queries: each group's members are one subquery, then one delete of those who left and
one insert of those who joined. Run after every import (signals.py) and daily (config/schedule.py).

At risk comes from the apps that know what went wrong: each source in AT_RISK_SOURCES is an
installed app whose `selectors.buyers_at_risk(*, shop)` returns a queryset of buyer ids (bad
review not settled, complaint open, case open); without that function its models are read as
DEFAULT_AT_RISK says. An app not installed is skipped."""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from kefu.buyers.choices import Group
from kefu.buyers.models import GroupMembership
from kefu.buyers.selectors import erased_buyer_ids, paid_orders
from kefu.conversations.models import Buyer, Conversation
from kefu.core.clock import now as clock_now
from kefu.core.errors import NotFound
from kefu.core.models import Shop
from kefu.orders.models import Order
from kefu.policy.schema.buyers import AtRiskRule, Buyers, PotentialRule, VipRule
from kefu.policy.selectors import policy_in_force

AT_RISK_SOURCES: list[tuple[str, str]] = [
    # (installed app, the AtRiskRule flag that turns it on)
    ("kefu.reviews", "bad_review"),
    ("kefu.complaints", "open_complaint"),
    ("kefu.aftersales", "open_case"),
]

# Read directly when the app offers no `buyers_at_risk`: (model, filter, exclude) on the
# models as those apps define them; a field renamed there makes the source count nothing.
DEFAULT_AT_RISK: dict[str, tuple[str, dict[str, object], dict[str, object]]] = {
    "kefu.reviews": (
        "reviews.Review",
        {"rating__in": ["neutral", "bad"]},
        {"status__in": ["closed", "ignored"]},
    ),
    "kefu.complaints": ("complaints.Complaint", {"closed_at__isnull": True}, {}),
    "kefu.aftersales": ("aftersales.Case", {}, {"status": "resolved"}),
}


def _default_source(app: str, shop: Shop) -> QuerySet[Any] | None:
    known = DEFAULT_AT_RISK.get(app)
    if known is None:
        return None
    label, include, exclude = known
    try:
        model = apps.get_model(label)
        rows = model._default_manager.filter(shop=shop, buyer__isnull=False, **include)
        rows = rows.exclude(**exclude) if exclude else rows
        str(rows.values("buyer_id").query)  # a renamed field fails here, not mid-recompute
    except (LookupError, FieldError):
        return None
    return rows.values("buyer_id")


def _vip(shop: Shop, rule: VipRule, now: dt.datetime) -> QuerySet[Buyer]:
    since = now - dt.timedelta(days=rule.window_days)
    per_nick = (
        paid_orders(shop=shop)
        .filter(paid_at__gte=since, paid_at__lte=now)
        .order_by()
        .values("buyer_nick")
        .annotate(total=Sum("paid_amount"), n=Count("pk"))
    )
    conditions = []
    if rule.paid_total_at_least is not None:
        conditions.append(Q(total__gte=rule.paid_total_at_least))
    if rule.orders_at_least is not None:
        conditions.append(Q(n__gte=rule.orders_at_least))
    over = conditions[0]
    for condition in conditions[1:]:
        over |= condition
    return Buyer.objects.filter(shop=shop, nickname__in=per_nick.filter(over).values("buyer_nick"))


def _potential(shop: Shop, rule: PotentialRule, now: dt.datetime) -> QuerySet[Buyer]:
    since_day = (now.astimezone(shop.tzinfo) - dt.timedelta(days=rule.inquired_within_days)).date()
    since = now - dt.timedelta(days=rule.inquired_within_days)
    chatted = Conversation.objects.filter(shop=shop, buyer=OuterRef("pk"), day__gte=since_day)
    ordered = Order.objects.filter(
        shop=shop, buyer_nick=OuterRef("nickname"), created_at__gte=since
    )
    return Buyer.objects.filter(shop=shop).filter(Exists(chatted) & ~Exists(ordered))


def _at_risk(shop: Shop, rule: AtRiskRule) -> QuerySet[Buyer] | None:
    found: QuerySet[Buyer] | None = None
    for app, flag in AT_RISK_SOURCES:
        if not getattr(rule, flag) or not apps.is_installed(app):
            continue
        try:
            module = importlib.import_module(f"{app}.selectors")
        except ImportError:
            module = None
        source = getattr(module, "buyers_at_risk", None)
        chosen = source(shop=shop) if source is not None else _default_source(app, shop)
        if chosen is None:
            continue
        ids = Buyer.objects.filter(shop=shop, pk__in=chosen)
        found = ids if found is None else found | ids
    return found


@dataclass(frozen=True)
class Recomputed:
    joined: dict[str, int]
    left: dict[str, int]
    members: dict[str, int]


def _section(shop: Shop, on: dt.date) -> tuple[Buyers | None, int | None]:
    try:
        in_force = policy_in_force(shop=shop, on=on)
    except NotFound:
        return None, None
    return in_force.policy.buyers, in_force.version.number


@transaction.atomic
def groups_recompute(*, shop: Shop, now: dt.datetime | None = None) -> Recomputed:
    """Bring every group's membership in line with the policy in force today. A group the policy
    leaves out is emptied. Erased buyers (PIPL) are in no group."""
    now = now or clock_now()
    section, version = _section(shop, now.astimezone(shop.tzinfo).date())
    targets: dict[str, tuple[QuerySet[Buyer] | None, str]] = {}
    for group in Group.values:
        targets[group] = (None, "")
    if section is not None:
        if section.vip is not None:
            targets[Group.VIP] = (_vip(shop, section.vip, now), section.vip.clause)
        if section.potential is not None:
            targets[Group.POTENTIAL] = (
                _potential(shop, section.potential, now),
                section.potential.clause,
            )
        if section.at_risk is not None:
            targets[Group.AT_RISK] = (_at_risk(shop, section.at_risk), section.at_risk.clause)
    joined: dict[str, int] = {}
    left: dict[str, int] = {}
    members: dict[str, int] = {}
    erased = erased_buyer_ids(shop=shop)
    for group, (target, clause) in targets.items():
        current = GroupMembership.objects.filter(shop=shop, group=group)
        if target is None:
            left[group] = current.delete()[0]
            joined[group] = 0
            members[group] = 0
            continue
        wanted = target.exclude(pk__in=erased).values("pk")
        left[group] = current.exclude(buyer_id__in=wanted).delete()[0]
        new_ids = list(
            target.exclude(pk__in=erased)
            .exclude(pk__in=current.values("buyer_id"))
            .values_list("pk", flat=True)
        )
        GroupMembership.objects.bulk_create(
            [
                GroupMembership(
                    shop=shop,
                    buyer_id=pk,
                    group=group,
                    since=now,
                    clause=clause,
                    policy_version=version,
                )
                for pk in new_ids
            ],
            ignore_conflicts=True,
        )
        joined[group] = len(new_ids)
        members[group] = current.count()
    return Recomputed(joined=joined, left=left, members=members)
