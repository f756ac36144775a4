"""Reads of the quick-reply library and product knowledge, always scoped by shop."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from kefu.core.errors import NotFound
from kefu.core.models import Shop
from kefu.knowledge.models import Product, QuickPhrase
from kefu.knowledge.starter import group_rank
from kefu.policy.selectors import policy_in_force
from kefu.staff.models import Agent, Assignment

TOP_USED = 5


def phrases(*, shop: Shop) -> QuerySet[QuickPhrase]:
    """The shop's active phrases, by group."""
    return QuickPhrase.objects.filter(shop=shop, active=True).order_by("group", "id")


def phrase_groups(*, shop: Shop) -> list[tuple[str, int]]:
    """(group, number of phrases), in name order."""
    counts: dict[str, int] = {}
    for group in phrases(shop=shop).values_list("group", flat=True):
        counts[group] = counts.get(group, 0) + 1
    return sorted(counts.items(), key=lambda item: group_rank(item[0]))


@dataclass(frozen=True)
class PhraseUsage:
    most_used: list[QuickPhrase]
    never_used: list[QuickPhrase]


def phrase_usage(*, shop: Shop) -> PhraseUsage:
    active = phrases(shop=shop).select_related(None)
    return PhraseUsage(
        most_used=list(active.filter(use_count__gt=0).order_by("-use_count", "id")[:TOP_USED]),
        never_used=list(active.filter(use_count=0).order_by("group", "id")),
    )


def phrases_in_scene_order(*, shop: Shop, group: str = "") -> list[QuickPhrase]:
    """Active phrases, one group or all, groups in conversation order (see starter.SCENES)."""
    listed = phrases(shop=shop).select_related("product")
    if group:
        listed = listed.filter(group=group)
    return sorted(listed, key=lambda p: (group_rank(p.group), p.pk))


def phrase_export_rows(*, shop: Shop) -> list[tuple[str, str, str]]:
    return [(p.group, p.shortcut, p.text) for p in phrases_in_scene_order(shop=shop)]


def products(*, shop: Shop) -> QuerySet[Product]:
    return Product.objects.filter(shop=shop).order_by("name", "id")


def agent_of(*, shop: Shop, user: AbstractBaseUser | AnonymousUser) -> Agent | None:
    """The signed-in user's agent record when they serve this shop, else None."""
    if not user.is_authenticated:
        return None
    assignment = (
        Assignment.objects.filter(shop=shop, agent__user_id=user.pk, active=True)
        .select_related("agent")
        .first()
    )
    return assignment.agent if assignment is not None else None


@dataclass(frozen=True)
class CheckItem:
    label: str
    done: bool
    detail: str


@dataclass(frozen=True)
class LaunchChecklist:
    product: Product
    items: list[CheckItem]
    unconfirmed: list[Agent]

    @property
    def done(self) -> int:
        return sum(1 for item in self.items if item.done)

    @property
    def complete(self) -> bool:
        return self.done == len(self.items)


def _competitor_minimum(*, shop: Shop, on: dt.date) -> tuple[int, str]:
    """The policy's competitor-review minimum and its clause ((0, "") when it sets none)."""
    try:
        quality = policy_in_force(shop=shop, on=on).policy.quality
    except NotFound:
        return 0, ""
    rule = quality.quick_replies
    if rule is None or rule.competitor_reviews_min == 0:
        return 0, ""
    return rule.competitor_reviews_min, rule.clause


def launch_checklist(*, shop: Shop, product: Product, on: dt.date) -> LaunchChecklist:
    """The four launch items: training held, every agent confirmed, quick replies written,
    competitor reviews read (as many shops as the policy asks, S4.4: 10)."""
    agents = [
        a.agent for a in Assignment.objects.filter(shop=shop, active=True).select_related("agent")
    ]
    confirmed = set(product.confirmations.values_list("agent_id", flat=True))
    unconfirmed = [agent for agent in agents if agent.pk not in confirmed]
    phrase_count = phrases(shop=shop).filter(product=product).count()
    read = len(product.competitor_shop_list)
    minimum, clause = _competitor_minimum(shop=shop, on=on)
    held = product.training_held_on
    items = [
        CheckItem("培训已开展", held is not None, held.isoformat() if held else "未记录培训日期"),
        CheckItem(
            "每位客服已确认",
            bool(agents) and not unconfirmed,
            f"{len(agents) - len(unconfirmed)} / {len(agents)} 人已确认",
        ),
        CheckItem("快捷短语已编写", phrase_count > 0, f"{phrase_count} 条相关短语"),
        CheckItem(
            "竞品评价已阅读",
            read >= max(minimum, 1),
            f"{read} / {minimum} 家（{clause}）" if minimum else f"{read} 家（制度未规定家数）",
        ),
    ]
    return LaunchChecklist(product=product, items=items, unconfirmed=unconfirmed)


def upcoming_launches(*, shop: Shop, on: dt.date) -> list[LaunchChecklist]:
    """Products launching today or later, soonest first, with their checklists."""
    upcoming = products(shop=shop).filter(launch_date__gte=on).order_by("launch_date", "id")
    return [launch_checklist(shop=shop, product=p, on=on) for p in upcoming]
