"""A buyer's personal data (PIPL): contacts shown masked, revealed one at a time by roles that
need them (each reveal audited), everything the shop holds about a buyer exported for them, and
erasure on request that keeps the shop's figures intact.

Erasure replaces the nickname by a pseudonym everywhere it keys data (the Buyer row, the orders'
buyer_nick, the buyer's own chat sender name), redacts the text of the buyer's messages, removes
notes, tags, contacts and links, and strips contact columns from the orders' raw rows. Amounts,
states, times, directions and kinds are untouched, so order counts, sales totals and KPI figures
are what they were."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as DjangoUser
from django.db import transaction
from openpyxl import Workbook

from kefu.buyers.choices import ContactKind
from kefu.buyers.models import (
    BuyerContact,
    BuyerLink,
    BuyerNote,
    BuyerProfile,
    BuyerTag,
    FollowUp,
    GroupMembership,
    ReturnVisit,
)
from kefu.conversations.choices import Direction
from kefu.conversations.models import Buyer, Message
from kefu.core.access import Capability, can
from kefu.core.audit import audit_record
from kefu.core.clock import now as clock_now
from kefu.core.errors import Forbidden, InvalidInput, NotFound
from kefu.core.masking import (
    ADDRESS_KEYS,
    NAME_KEYS,
    PHONE_KEYS,
    REGION_KEYS,
    contact_from_raw,
    mask_address,
    mask_name,
    mask_phone,
)
from kefu.core.models import Shop
from kefu.orders.models import Order

User = DjangoUser | AnonymousUser | None

REDACTED = "[已删除]"
MASKERS = {"phone": mask_phone, "address": mask_address, "name": mask_name}
# Further erasure steps of apps built later: callables (shop, buyer, pseudonym) -> None.
ERASURE_HOOKS: list[Any] = []

# The buyer's rows in the service apps, read lazily: (model, the fields cleared or renamed).
# Ratings, states, amounts and times stay, so review, complaint and case counts do not change.
SERVICE_RECORDS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    # (model label, fields set to the pseudonym, fields redacted)
    ("reviews.Review", ("buyer_nick",), ("phone", "content", "append_content")),
    ("complaints.Complaint", ("buyer_nick",), ("content",)),
    ("aftersales.Case", ("buyer_nick",), ()),
)


def pseudonym(buyer: Buyer) -> str:
    return f"已删除买家{buyer.pk}"


@dataclass(frozen=True)
class ContactRow:
    ref: str  # "c12" a contact entered here, "o34:phone" a field of an order's export row
    kind: str
    masked: str
    source: str

    @property
    def kind_label(self) -> str:
        """电话 / 地址 / 姓名 in the reader's language; an unknown kind as written."""
        labels = dict(ContactKind.choices)
        return str(labels.get(self.kind, self.kind))


def _mask(kind: str, value: str) -> str:
    masker = MASKERS.get(kind)
    if masker is not None:
        return masker(value)
    return value[:2] + "****" if len(value) > 2 else "****"


def buyer_contacts(*, shop: Shop, buyer: Buyer) -> list[ContactRow]:
    """Every contact the shop holds for the buyer, masked: those entered here and those in the
    buyer's order exports (the newest order first, one row per distinct value)."""
    rows = [
        ContactRow(f"c{c.pk}", c.kind, _mask(c.kind, c.value), "录入")
        for c in BuyerContact.objects.filter(shop=shop, buyer=buyer)
    ]
    seen: set[tuple[str, str]] = set()
    orders = Order.objects.filter(shop=shop, buyer_nick=buyer.nickname).order_by("-created_at")
    for order_id, order_no, raw in orders.values_list("pk", "order_no", "raw")[:50]:
        contact = contact_from_raw(raw or {})
        for kind in ("name", "phone", "address"):
            value = contact.field(kind)
            if value and (kind, value) not in seen:
                seen.add((kind, value))
                rows.append(ContactRow(f"o{order_id}:{kind}", kind, _mask(kind, value), order_no))
    return rows


def contact_reveal(
    *, shop: Shop, buyer: Buyer, ref: str, role: str | None, acting_user: User
) -> str:
    """The full value of one contact, for a role allowed to see it; the reveal is audited."""
    if buyer.shop_id != shop.pk:
        raise NotFound("没有这个买家")
    if not can(role=role, capability=Capability.REVEAL_PERSONAL_DATA):
        raise Forbidden("你的角色不能查看完整的联系方式")
    value = ""
    if ref.startswith("c") and ref[1:].isdigit():
        contact = BuyerContact.objects.filter(shop=shop, buyer=buyer, pk=int(ref[1:])).first()
        value = contact.value if contact is not None else ""
    elif ref.startswith("o") and ":" in ref:
        order_part, _, kind = ref[1:].partition(":")
        if order_part.isdigit() and kind in MASKERS:
            raw = (
                Order.objects.filter(shop=shop, buyer_nick=buyer.nickname, pk=int(order_part))
                .values_list("raw", flat=True)
                .first()
            )
            value = contact_from_raw(raw or {}).field(kind) if raw is not None else ""
    if not value:
        raise NotFound("没有这个联系方式")
    audit_record(
        shop=shop,
        actor=acting_user,
        action="buyer_contact_reveal",
        object_type="buyer",
        object_id=buyer.pk,
        path=ref,
    )
    return value


# --- export -------------------------------------------------------------------------------------


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def buyer_data(*, shop: Shop, buyer: Buyer) -> dict[str, Any]:
    """Everything the shop holds about the buyer, full values (it is their own data)."""
    orders = Order.objects.filter(shop=shop, buyer_nick=buyer.nickname).order_by("created_at")
    messages = Message.objects.filter(shop=shop, buyer=buyer).order_by("at", "id")
    contacts = [
        {"kind": c.kind, "value": c.value}
        for c in BuyerContact.objects.filter(shop=shop, buyer=buyer)
    ]
    for order in orders:
        contact = contact_from_raw(order.raw or {})
        for kind in ("name", "phone", "address"):
            value = contact.field(kind)
            if value and {"kind": kind, "value": value} not in contacts:
                contacts.append({"kind": kind, "value": value})
    return {
        "shop": shop.name,
        "nickname": buyer.nickname,
        "exported_at": clock_now().isoformat(),
        "contacts": contacts,
        "orders": [
            {
                "order_no": o.order_no,
                "status": o.status,
                "created_at": _iso(o.created_at),
                "paid_at": _iso(o.paid_at),
                "paid_amount": None if o.paid_amount is None else str(o.paid_amount),
                "buyer_message": o.buyer_message,
            }
            for o in orders
        ],
        "messages": [
            {"at": _iso(m.at), "from": m.sender, "direction": m.direction, "text": m.text}
            for m in messages
        ],
        "notes": [
            {"at": _iso(n.created_at), "by": n.author_name, "text": n.text}
            for n in BuyerNote.objects.filter(shop=shop, buyer=buyer).order_by("created_at")
        ],
        "tags": list(
            BuyerTag.objects.filter(shop=shop, buyer=buyer).values_list("name", flat=True)
        ),
        "return_visits": [
            {
                "due_on": _iso(v.due_on),
                "status": v.status,
                "channel": v.channel,
                "satisfaction": v.satisfaction,
                "remark": v.remark,
            }
            for v in ReturnVisit.objects.filter(shop=shop, buyer=buyer)
        ],
        "follow_ups": [
            {"at": _iso(f.contacted_at), "outcome": f.outcome, "remark": f.remark}
            for f in FollowUp.objects.filter(shop=shop, buyer=buyer).order_by("contacted_at")
        ],
    }


def buyer_data_export(*, shop: Shop, buyer: Buyer, acting_user: User) -> dict[str, Any]:
    if buyer.shop_id != shop.pk:
        raise NotFound("没有这个买家")
    data = buyer_data(shop=shop, buyer=buyer)
    audit_record(
        shop=shop,
        actor=acting_user,
        action="buyer_data_export",
        object_type="buyer",
        object_id=buyer.pk,
    )
    return data


def buyer_data_xlsx(data: dict[str, Any]) -> bytes:
    """The export as a workbook: one sheet per part."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "买家"
    sheet.append(["店铺", data["shop"]])
    sheet.append(["昵称", data["nickname"]])
    sheet.append(["导出时间", data["exported_at"]])
    for part, title in (
        ("contacts", "联系方式"),
        ("orders", "订单"),
        ("messages", "聊天记录"),
        ("notes", "备注"),
        ("return_visits", "回访"),
        ("follow_ups", "跟进"),
    ):
        rows = data[part]
        ws = book.create_sheet(title)
        if rows:
            keys = list(rows[0])
            ws.append(keys)
            for row in rows:
                ws.append([row[k] for k in keys])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- erasure ------------------------------------------------------------------------------------

_CONTACT_KEYS = {*PHONE_KEYS, *NAME_KEYS, *ADDRESS_KEYS, *REGION_KEYS}


def _erase_service_records(shop: Shop, buyer: Buyer, new: str) -> None:
    for label, renamed, redacted in SERVICE_RECORDS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        names = {f.name for f in model._meta.get_fields()}
        values: dict[str, str] = {n: new for n in renamed if n in names}
        values.update({n: "" for n in redacted if n in names})
        if "buyer" in names and values:
            model._default_manager.filter(shop=shop, buyer=buyer).update(**values)
    # The compensation ledger (aftersales.Payment) is append-only and a record of money paid,
    # which the shop must keep: it is not rewritten.


@transaction.atomic
def buyer_erase(*, shop: Shop, buyer: Buyer, reason: str, acting_user: User) -> Buyer:
    """Erase the buyer's personal data on their request (PIPL), keeping the shop's figures."""
    if buyer.shop_id != shop.pk:
        raise NotFound("没有这个买家")
    if not reason.strip():
        raise InvalidInput("请写明删除的依据（例如买家的申请编号或日期）")
    profile, _ = BuyerProfile.objects.get_or_create(shop=shop, buyer=buyer)
    if profile.erased_at is not None:
        raise InvalidInput("这个买家的个人信息已经删除")
    old = buyer.nickname
    new = pseudonym(buyer)
    # Orders: the key renamed with the buyer (KPI attribution matches them by it), contact
    # columns and the buyer's message dropped; amounts and states untouched.
    for order in Order.objects.filter(shop=shop, buyer_nick=old):
        raw = {k: v for k, v in (order.raw or {}).items() if str(k).strip() not in _CONTACT_KEYS}
        raw = {k: (new if v == old else v) for k, v in raw.items()}
        Order.objects.filter(pk=order.pk).update(buyer_nick=new, raw=raw, buyer_message="")
    Message.objects.filter(shop=shop, buyer=buyer).update(text=REDACTED)
    Message.objects.filter(shop=shop, buyer=buyer, direction=Direction.BUYER, sender=old).update(
        sender=new
    )
    BuyerNote.objects.filter(shop=shop, buyer=buyer).delete()
    BuyerTag.objects.filter(shop=shop, buyer=buyer).delete()
    BuyerContact.objects.filter(shop=shop, buyer=buyer).delete()
    BuyerLink.objects.filter(buyer=buyer).delete()
    BuyerLink.objects.filter(other=buyer).delete()
    GroupMembership.objects.filter(shop=shop, buyer=buyer).delete()
    ReturnVisit.objects.filter(shop=shop, buyer=buyer).update(remark="")
    FollowUp.objects.filter(shop=shop, buyer=buyer).update(remark="", phrase_text="")
    Buyer.objects.filter(pk=buyer.pk).update(nickname=new)
    _erase_service_records(shop, buyer, new)
    for hook in ERASURE_HOOKS:
        hook(shop=shop, buyer=buyer, pseudonym=new)
    profile.erased_at = clock_now()
    profile.erased_by = acting_user if isinstance(acting_user, DjangoUser) else None
    profile.save()
    # The audit keeps who, when and why, never the nickname erased.
    audit_record(
        shop=shop,
        actor=acting_user,
        action="buyer_erase",
        object_type="buyer",
        object_id=buyer.pk,
        new_value=new,
        note=reason.strip(),
    )
    buyer.nickname = new
    return buyer
