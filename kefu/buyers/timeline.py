"""One buyer's history in one timeline: orders and their states, conversations (linking the
conversation view), return visits, follow-ups, notes, and the records of apps built later
(after-sales cases, reviews, complaints).

TIMELINE_SOURCES is the extension point: each entry is a callable (shop, buyer) -> entries. The
apps named in MODEL_SOURCES are read when installed: every model of theirs with a `buyer` foreign
key to Buyer contributes its rows (time from the first of TIME_FIELDS it has, state from
`status`, link from `get_absolute_url` when defined)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.urls import NoReverseMatch, reverse

from kefu.buyers.models import BuyerNote, FollowUp, ReturnVisit
from kefu.conversations.models import Buyer, Conversation
from kefu.core.models import Shop
from kefu.orders.choices import OrderStatus
from kefu.orders.models import Order


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    kind: str  # order, conversation, visit, follow_up, note, or the app label of a record
    title: str
    detail: str = ""
    url: str = ""
    icon: str = "point"


Source = Callable[[Shop, Buyer], list[Entry]]


def _state(value: str) -> str:
    return str(OrderStatus(value).label) if value in OrderStatus.values else value


def _orders(shop: Shop, buyer: Buyer) -> list[Entry]:
    rows = Order.objects.filter(shop=shop, buyer_nick=buyer.nickname).prefetch_related(
        "status_changes"
    )
    out = []
    for order in rows:
        if order.created_at is None:
            continue
        path = " → ".join(_state(c.to_status) for c in order.status_changes.all())
        amount = f"¥{order.paid_amount}" if order.paid_amount is not None else ""
        out.append(
            Entry(
                at=order.created_at,
                kind="order",
                title=f"订单 {order.order_no} · {order.get_status_display()}",
                detail=" ".join(x for x in (amount, path) if x),
                url=reverse("orders:detail", kwargs={"shop_id": shop.pk, "order_id": order.pk}),
                icon="shopping-cart",
            )
        )
    return out


def _conversations(shop: Shop, buyer: Buyer) -> list[Entry]:
    return [
        Entry(
            at=c.first_at or dt.datetime.combine(c.day, dt.time(), tzinfo=shop.tzinfo),
            kind="conversation",
            title=f"咨询 {c.day:%Y-%m-%d}",
            detail=f"{c.message_count} 条消息",
            url=reverse(
                "conversations:detail", kwargs={"shop_id": shop.pk, "conversation_id": c.pk}
            ),
            icon="messages",
        )
        for c in Conversation.objects.filter(shop=shop, buyer=buyer)
    ]


def _visits(shop: Shop, buyer: Buyer) -> list[Entry]:
    out = []
    for v in ReturnVisit.objects.filter(shop=shop, buyer=buyer).select_related("agent"):
        at = v.done_at or dt.datetime.combine(v.due_on, dt.time(), tzinfo=shop.tzinfo)
        score = f" · 满意度 {v.satisfaction}" if v.satisfaction else ""
        who = f" · {v.agent.name}" if v.agent else ""
        out.append(
            Entry(
                at,
                "visit",
                f"回访 · {v.get_status_display()}{score}",
                f"{v.remark}{who}",
                icon="phone-call",
            )
        )
    return out


def _follow_ups(shop: Shop, buyer: Buyer) -> list[Entry]:
    return [
        Entry(
            f.contacted_at, "follow_up", f"跟进 · {f.get_outcome_display()}", f.remark, icon="send"
        )
        for f in FollowUp.objects.filter(shop=shop, buyer=buyer)
    ]


def _notes(shop: Shop, buyer: Buyer) -> list[Entry]:
    return [
        Entry(n.created_at, "note", f"备注 · {n.author_name}", n.text, icon="note")
        for n in BuyerNote.objects.filter(shop=shop, buyer=buyer)
    ]


MODEL_SOURCES = ("aftersales", "reviews", "complaints")
TIME_FIELDS = ("opened_at", "rated_at", "received_at", "created_at", "at")
ICONS = {"aftersales": "lifebuoy", "reviews": "star", "complaints": "alert-triangle"}
DETAIL_URLS = {
    # model label -> (URL name, its object parameter); a model without one links nowhere
    "aftersales.case": ("aftersales:case", "case_id"),
    "reviews.review": ("reviews:detail", "review_id"),
    "complaints.complaint": ("complaints:detail", "complaint_id"),
}


def _url_of(shop: Shop, row: models.Model) -> str:
    known = DETAIL_URLS.get(row._meta.label_lower)
    if known is not None:
        try:
            return reverse(known[0], kwargs={"shop_id": shop.pk, known[1]: row.pk})
        except NoReverseMatch:
            return ""
    absolute = getattr(row, "get_absolute_url", None)
    if absolute is not None:
        try:
            return str(absolute())
        except NoReverseMatch:
            return ""
    return ""


def _buyer_models(label: str) -> list[type[models.Model]]:
    if not apps.is_installed(f"kefu.{label}"):
        return []
    found = []
    for model in apps.get_app_config(label).get_models():
        try:
            fk = model._meta.get_field("buyer")
        except Exception:
            continue
        if getattr(fk, "related_model", None) is Buyer:
            found.append(model)
    return found


def _records(shop: Shop, buyer: Buyer) -> list[Entry]:
    out = []
    for label in MODEL_SOURCES:
        for model in _buyer_models(label):
            names = {f.name for f in model._meta.get_fields()}
            when = next((f for f in TIME_FIELDS if f in names), None)
            if when is None:
                continue
            for row in model._default_manager.filter(shop=shop, buyer=buyer):
                at = getattr(row, when)
                if at is None:
                    continue
                if isinstance(at, dt.date) and not isinstance(at, dt.datetime):
                    at = dt.datetime.combine(at, dt.time(), tzinfo=shop.tzinfo)
                status = ""
                if "status" in names:
                    display = getattr(row, "get_status_display", None)
                    status = str(display() if display else row.status)  # type: ignore[attr-defined]
                url = _url_of(shop, row)
                title = f"{model._meta.verbose_name} · {row}"
                out.append(Entry(at, label, title, status, url, ICONS.get(label, "point")))
    return out


TIMELINE_SOURCES: list[Source] = [_orders, _conversations, _visits, _follow_ups, _notes, _records]


def buyer_timeline(*, shop: Shop, buyer: Buyer) -> list[Entry]:
    """Newest first."""
    entries = [entry for source in TIMELINE_SOURCES for entry in source(shop, buyer)]
    return sorted(entries, key=lambda e: e.at, reverse=True)
