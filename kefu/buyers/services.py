"""Writes about buyers: notes, tags, contacts, links between shops and follow-ups.
Keyword-only, atomic, audited. Return visits 回访 are in visit_services.py, groups in groups.py,
personal data (reveal, export, erasure) in privacy.py."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as DjangoUser
from django.db import transaction

from kefu.buyers.choices import (
    ContactKind,
    FollowUpOutcome,
)
from kefu.buyers.models import (
    BuyerContact,
    BuyerLink,
    BuyerNote,
    BuyerTag,
    FollowUp,
)
from kefu.conversations.models import Buyer
from kefu.core.access import Capability, can, role_in
from kefu.core.audit import audit_record
from kefu.core.clock import now as clock_now
from kefu.core.errors import InvalidInput, NotFound
from kefu.core.models import Shop
from kefu.staff.models import Agent

User = DjangoUser | AnonymousUser | None

NOTE_MAX = 2000
TAG_MAX = 30


def _name_of(user: User) -> str:
    if user is None or not user.is_authenticated:
        return ""
    agent = Agent.objects.filter(user_id=user.pk).values_list("name", flat=True).first()
    return agent or user.get_username()


def user_or_none(user: User) -> DjangoUser | None:
    return user if isinstance(user, DjangoUser) else None


def _own(shop: Shop, buyer: Buyer) -> None:
    if buyer.shop_id != shop.pk:
        raise NotFound("没有这个买家")


# --- notes, tags, contacts ----------------------------------------------------------------------


@transaction.atomic
def buyer_note_add(*, shop: Shop, buyer: Buyer, text: str, acting_user: User) -> BuyerNote:
    _own(shop, buyer)
    text = text.strip()
    if not text:
        raise InvalidInput("备注不能为空")
    if len(text) > NOTE_MAX:
        raise InvalidInput(f"备注最多 {NOTE_MAX} 字，现在 {len(text)} 字")
    note = BuyerNote.objects.create(
        shop=shop,
        buyer=buyer,
        text=text,
        author=user_or_none(acting_user),
        author_name=_name_of(acting_user),
    )
    audit_record(
        shop=shop,
        actor=acting_user,
        action="buyer_note_add",
        object_type="buyer",
        object_id=buyer.pk,
        new_value={"note": note.pk},
    )
    return note


@transaction.atomic
def buyer_tag_add(*, shop: Shop, buyer: Buyer, name: str, acting_user: User) -> BuyerTag:
    _own(shop, buyer)
    name = name.strip()
    if not name or len(name) > TAG_MAX:
        raise InvalidInput(f"标签为 1-{TAG_MAX} 个字")
    tag, created = BuyerTag.objects.get_or_create(
        shop=shop, buyer=buyer, name=name, defaults={"created_by": user_or_none(acting_user)}
    )
    if created:
        audit_record(
            shop=shop,
            actor=acting_user,
            action="buyer_tag_add",
            object_type="buyer",
            object_id=buyer.pk,
            new_value=name,
        )
    return tag


@transaction.atomic
def buyer_tag_remove(*, shop: Shop, buyer: Buyer, name: str, acting_user: User) -> int:
    _own(shop, buyer)
    deleted, _ = BuyerTag.objects.filter(shop=shop, buyer=buyer, name=name).delete()
    if deleted:
        audit_record(
            shop=shop,
            actor=acting_user,
            action="buyer_tag_remove",
            object_type="buyer",
            object_id=buyer.pk,
            old_value=name,
        )
    return deleted


@transaction.atomic
def buyer_contact_add(
    *, shop: Shop, buyer: Buyer, kind: str, value: str, acting_user: User
) -> BuyerContact:
    _own(shop, buyer)
    if kind not in ContactKind.values:
        raise InvalidInput(f"未知的联系方式类型：{kind}")
    value = value.strip()
    if not value:
        raise InvalidInput("联系方式不能为空")
    contact = BuyerContact.objects.create(
        shop=shop, buyer=buyer, kind=kind, value=value, created_by=user_or_none(acting_user)
    )
    # The value itself is personal data: the audit says what was added, not the number.
    audit_record(
        shop=shop,
        actor=acting_user,
        action="buyer_contact_add",
        object_type="buyer",
        object_id=buyer.pk,
        new_value={"kind": kind, "contact": contact.pk},
    )
    return contact


# --- the same person in two shops ---------------------------------------------------------------


@transaction.atomic
def buyer_link(
    *, shop: Shop, buyer: Buyer, other: Buyer, acting_user: User, checked_access: bool = True
) -> BuyerLink:
    """Link `buyer` (this shop) with `other` (another shop of the same agency) as one person.
    A supervisor decides; nothing is guessed from the nicknames. The acting user must manage
    both shops (checked_access=False only for scripts that checked it themselves)."""
    _own(shop, buyer)
    if other.pk == buyer.pk:
        raise InvalidInput("不能把买家关联到自己")
    other_shop = Shop.objects.select_related("agency").get(pk=other.shop_id)
    if other_shop.agency_id != shop.agency_id:
        raise InvalidInput(
            f"「{shop.name}」和「{other_shop.name}」属于不同的代运营公司，不能关联为同一买家"
        )
    if checked_access:
        for one in (shop, other_shop):
            if not can(
                role=role_in(user=acting_user or AnonymousUser(), shop=one),
                capability=Capability.MANAGE_TEAM,
            ):
                raise NotFound("没有这个买家")
    if BuyerLink.objects.filter(buyer=buyer, other=other).exists():
        raise InvalidInput(f"「{buyer.nickname}」和「{other.nickname}」已经关联")
    by = user_or_none(acting_user)
    link = BuyerLink.objects.create(
        shop=shop, buyer=buyer, other=other, other_shop=other_shop, created_by=by
    )
    BuyerLink.objects.create(
        shop=other_shop, buyer=other, other=buyer, other_shop=shop, created_by=by
    )
    for one, a, b in ((shop, buyer, other), (other_shop, other, buyer)):
        audit_record(
            shop=one,
            actor=acting_user,
            action="buyer_link",
            object_type="buyer",
            object_id=a.pk,
            new_value={"other": b.pk, "other_shop": b.shop_id},
        )
    return link


@transaction.atomic
def buyer_unlink(*, shop: Shop, link: BuyerLink, acting_user: User) -> None:
    if link.shop_id != shop.pk:
        raise NotFound("没有这个关联")
    BuyerLink.objects.filter(buyer_id__in=[link.buyer_id, link.other_id]).filter(
        other_id__in=[link.buyer_id, link.other_id]
    ).delete()
    audit_record(
        shop=shop,
        actor=acting_user,
        action="buyer_unlink",
        object_type="buyer",
        object_id=link.buyer_id,
        old_value={"other": link.other_id},
    )


# --- follow-ups ---------------------------------------------------------------------------------


@transaction.atomic
def follow_up_record(
    *,
    shop: Shop,
    buyer: Buyer,
    outcome: str,
    phrase_text: str = "",
    remark: str = "",
    acting_user: User,
    at: dt.datetime | None = None,
) -> FollowUp:
    _own(shop, buyer)
    if outcome not in FollowUpOutcome.values:
        raise InvalidInput(f"未知的跟进结果：{outcome}")
    agent = None
    if acting_user is not None and acting_user.is_authenticated:
        agent = Agent.objects.filter(user_id=acting_user.pk, assignments__shop=shop).first()
    row = FollowUp.objects.create(
        shop=shop,
        buyer=buyer,
        agent=agent,
        phrase_text=phrase_text.strip(),
        outcome=outcome,
        remark=remark.strip(),
        contacted_at=at or clock_now(),
        recorded_by=user_or_none(acting_user),
    )
    audit_record(
        shop=shop,
        actor=acting_user,
        action="follow_up_record",
        object_type="buyer",
        object_id=buyer.pk,
        new_value={"outcome": outcome, "follow_up": row.pk},
    )
    return row
