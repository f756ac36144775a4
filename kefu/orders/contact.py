"""A buyer's contact details on an order: masked for display, revealed one at a time to roles
with Capability.REVEAL_PERSONAL_DATA, each reveal written to the audit log."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from kefu.core.audit import audit_record
from kefu.core.errors import InvalidInput
from kefu.core.masking import CONTACT_FIELDS, Contact, contact_from_raw
from kefu.core.models import Shop
from kefu.orders.models import Order

REVEAL_ACTION = "orders.contact_reveal"


def order_contact(*, order: Order) -> Contact:
    """The buyer's contact details as the export gave them (full: mask before showing)."""
    return contact_from_raw(order.raw or {})


def order_contact_masked(*, order: Order) -> Contact:
    return order_contact(order=order).masked()


def order_contact_reveal(
    *,
    shop: Shop,
    order: Order,
    field: str,
    acting_user: AbstractBaseUser | AnonymousUser | None,
) -> str:
    """The full value of one contact field; the reveal is audited (who, which order, which
    field; never the value itself, so the log holds no personal data)."""
    if order.shop_id != shop.pk:
        raise InvalidInput("订单不属于该店铺")
    if field not in CONTACT_FIELDS:
        raise InvalidInput(f"未知的联系信息字段：{field}")
    value = order_contact(order=order).field(field)
    audit_record(
        shop=shop,
        actor=acting_user,
        action=REVEAL_ACTION,
        object_type="Order",
        object_id=order.pk,
        new_value={"field": field, "order_no": order.order_no},
    )
    return value


def contact_rows(contact: Contact) -> list[tuple[str, str, str]]:
    """(field, label, value) for the template, in display order."""
    labels = {"name": _("收货人"), "phone": _("联系电话"), "address": _("收货地址")}
    return [(name, str(labels[name]), contact.field(name)) for name in CONTACT_FIELDS]
