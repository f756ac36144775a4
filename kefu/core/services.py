"""Writes to tenants and memberships."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from kefu.core.audit import audit_record
from kefu.core.choices import Platform, Role
from kefu.core.models import Agency, Membership, Shop


def agency_create(*, name: str) -> Agency:
    return Agency.objects.create(name=name)


@transaction.atomic
def shop_create(
    *,
    agency: Agency,
    name: str,
    platform: Platform | str,
    timezone: str = "Asia/Shanghai",
    acting_user: User | None = None,
) -> Shop:
    shop = Shop(agency=agency, name=name, platform=Platform(platform), timezone=timezone)
    shop.full_clean()
    shop.save()
    audit_record(
        shop=shop,
        actor=acting_user,
        action="shop.create",
        object_type="shop",
        object_id=shop.pk,
        new_value={"name": name, "platform": str(platform)},
    )
    return shop


@transaction.atomic
def membership_grant(
    *,
    shop: Shop,
    user: User,
    role: Role | str,
    acting_user: User | None = None,
) -> Membership:
    """Give a user a role in a shop (replacing an earlier role there), audited."""
    existing = Membership.objects.filter(shop=shop, user=user).first()
    old = existing.role if existing else None
    membership, _ = Membership.objects.update_or_create(
        shop=shop, user=user, defaults={"role": Role(role)}
    )
    if old != membership.role:
        audit_record(
            shop=shop,
            actor=acting_user,
            action="membership.grant",
            object_type="user",
            object_id=user.pk,
            path="role",
            old_value=old,
            new_value=membership.role,
        )
    return membership
