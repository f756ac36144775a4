"""Stock of listed items 库存 and the low-stock alert (S4.2: a listed item below 10 pieces is
checked and colleagues are told; the threshold is the policy's `orders.low_stock.below`).

The alert goes to the agents on duty (the published roster's agents working at that moment,
when the rota app is installed and has any) or else to every active agent of the shop with a
login, through kefu.notify. Each product is alerted once; its alert is cleared when it is
restocked to the threshold or more, so a later drop alerts again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse

from kefu.core import clock
from kefu.core.audit import audit_record
from kefu.core.errors import InvalidInput, NotFound
from kefu.core.models import Membership, Shop
from kefu.knowledge.models import Product
from kefu.notify.services import notice_send
from kefu.policy.selectors import policy_in_force
from kefu.staff.models import Agent, Assignment


@dataclass(frozen=True)
class LowStockRun:
    alerted: list[str]
    """Names of the products alerted now."""
    cleared: list[str]
    """Names of the products restocked since their alert."""
    recipients: list[str]
    """Names of the agents told."""
    below: int | None
    """The policy's threshold, None when the shop's policy has no low-stock check."""
    clause: str


def low_stock_below(*, shop: Shop, on: dt.date) -> tuple[int | None, str]:
    """The policy's low-stock threshold and its clause, or (None, "") without one."""
    try:
        low_stock = policy_in_force(shop=shop, on=on).policy.orders.low_stock
    except NotFound:
        return None, ""
    if low_stock is None:
        return None, ""
    return low_stock.below, low_stock.clause


@transaction.atomic
def product_stock_set(
    *, shop: Shop, product: Product, stock: int, acting_user: User | None
) -> Product:
    """Record a product's stock (from item data or by hand). A stock at or above the policy's
    threshold clears a previous alert (restocked)."""
    if product.shop_id != shop.pk:
        raise InvalidInput("商品不属于本店")
    if stock < 0:
        raise InvalidInput("库存不能为负数")
    if product.stock == stock:
        return product
    old = product.stock
    product.stock = stock
    product.stock_updated_at = clock.now()
    below, _clause = low_stock_below(shop=shop, on=clock.shop_today(tz=shop.timezone))
    if product.low_stock_alerted_at is not None and (below is None or stock >= below):
        product.low_stock_alerted_at = None
    product.save(update_fields=["stock", "stock_updated_at", "low_stock_alerted_at"])
    audit_record(
        shop=shop,
        actor=acting_user,
        action="product.stock",
        object_type="product",
        object_id=product.pk,
        old_value={"stock": old},
        new_value={"stock": stock},
    )
    return product


def duty_agents(*, shop: Shop, at: dt.datetime) -> list[Agent]:
    """The agents on duty at `at`: the published roster's when the rota app is installed and
    schedules anyone then; else every active agent of the shop."""
    active = Agent.objects.filter(
        pk__in=Assignment.objects.filter(shop=shop, active=True).values("agent_id")
    ).order_by("name", "pk")
    if apps.is_installed("kefu.rota"):
        from kefu.rota.selectors import agents_on_duty

        on_duty = agents_on_duty(shop=shop, at=at)
        if on_duty:
            return list(active.filter(pk__in=on_duty))
    return list(active)


def low_stock_check(*, shop: Shop, at: dt.datetime | None = None) -> LowStockRun:
    """Alert the agents on duty about every product below the threshold not yet alerted, and
    clear the alert of products restocked. Idempotent: a second run alerts nothing new."""
    at = at or clock.now()
    on = at.astimezone(shop.tzinfo).date()
    below, clause = low_stock_below(shop=shop, on=on)
    if below is None:
        return LowStockRun([], [], [], None, "")
    with transaction.atomic():
        restocked = list(
            Product.objects.select_for_update()
            .filter(shop=shop, low_stock_alerted_at__isnull=False, stock__gte=below)
            .order_by("name")
        )
        Product.objects.filter(pk__in=[p.pk for p in restocked]).update(low_stock_alerted_at=None)
        low = list(
            Product.objects.select_for_update()
            .filter(shop=shop, low_stock_alerted_at__isnull=True, stock__lt=below)
            .order_by("stock", "name")
        )
        if not low:
            return LowStockRun([], [p.name for p in restocked], [], below, clause)
        agents = duty_agents(shop=shop, at=at)
        members = set(Membership.objects.filter(shop=shop).values_list("user_id", flat=True))
        users = [a.user for a in agents if a.user is not None and a.user_id in members]
        lines = [f"{p.name}（{p.item_id or '无商品ID'}）：库存 {p.stock} 件" for p in low]
        notice_send(
            shop=shop,
            recipients=users,
            kind="warning",
            title=f"低库存提醒：{len(low)} 个宝贝库存低于 {below} 件",
            body="\n".join([*lines, f"请核对库存并告知同事（{clause}）。"]),
            link=reverse("knowledge:products", kwargs={"shop_id": shop.pk}),
        )
        Product.objects.filter(pk__in=[p.pk for p in low]).update(low_stock_alerted_at=at)
        audit_record(
            shop=shop,
            actor=None,
            action="product.low_stock_alert",
            object_type="shop",
            object_id=shop.pk,
            new_value={"products": [p.pk for p in low], "below": below},
        )
    return LowStockRun(
        [p.name for p in low],
        [p.name for p in restocked],
        [a.name for a in agents if a.user_id in members],
        below,
        clause,
    )


def low_stock_check_all(*, at: dt.datetime | None = None) -> int:
    """Every shop's check (the periodic job). Returns the number of products alerted."""
    return sum(len(low_stock_check(shop=shop, at=at).alerted) for shop in Shop.objects.all())
