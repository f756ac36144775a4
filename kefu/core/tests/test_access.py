from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from kefu.core.access import (
    Capability,
    can,
    role_in,
    shop_get,
    shop_members_who_can,
    shop_object_or_404,
    shops_for,
)
from kefu.core.choices import Role
from kefu.core.models import AuditEntry, Membership
from kefu.core.services import membership_grant
from kefu.core.tests.factories import MembershipFactory, ShopFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_user_sees_exactly_the_shops_granted() -> None:
    mine = MembershipFactory(role=Role.SUPERVISOR)
    other_shop = MembershipFactory(shop=ShopFactory(agency=mine.shop.agency)).shop
    second = MembershipFactory(user=mine.user, role=Role.FINANCE)
    assert list(shops_for(user=mine.user).order_by("id")) == [mine.shop, second.shop]
    assert other_shop not in shops_for(user=mine.user)
    assert list(shops_for(user=AnonymousUser())) == []


def test_shop_get_is_404_for_a_shop_without_membership() -> None:
    mine = MembershipFactory(role=Role.AGENT)
    other = ShopFactory()
    assert shop_get(user=mine.user, shop_id=mine.shop.pk) == (mine.shop, Role.AGENT)
    with pytest.raises(Http404):
        shop_get(user=mine.user, shop_id=other.pk)
    with pytest.raises(Http404):
        shop_get(user=AnonymousUser(), shop_id=mine.shop.pk)


def test_object_lookups_are_scoped_to_the_shop() -> None:
    a, b = MembershipFactory().shop, MembershipFactory().shop
    entry_b = AuditEntry.objects.create(shop=b, action="x", object_type="y")
    assert shop_object_or_404(AuditEntry.objects.all(), shop=b, pk=entry_b.pk) == entry_b
    with pytest.raises(Http404):
        shop_object_or_404(AuditEntry.objects.all(), shop=a, pk=entry_b.pk)
    with pytest.raises(Http404):
        shop_object_or_404(AuditEntry.objects.all(), shop=a, pk="not-a-number")


@pytest.mark.parametrize(
    ("role", "capability", "allowed"),
    [
        (Role.AGENT, Capability.VIEW_TEAM, False),
        (Role.AGENT, Capability.VIEW_PAY, False),
        (Role.AGENT, Capability.VIEW_POLICY, True),
        (Role.SUPERVISOR, Capability.CHANGE_POLICY, True),
        (Role.SUPERVISOR, Capability.SIGN_PAYMENTS, False),
        (Role.FINANCE, Capability.SIGN_PAYMENTS, True),
        (Role.FINANCE, Capability.CHANGE_POLICY, False),
        (Role.ADMIN, Capability.USE_ADMIN, True),
        (None, Capability.VIEW_DASHBOARD, False),
    ],
)
def test_capabilities_by_role(role, capability, allowed) -> None:  # type: ignore[no-untyped-def]
    assert can(role=role, capability=capability) is allowed


def test_the_members_who_can_are_those_whose_role_has_the_capability() -> None:
    shop, other = ShopFactory(), ShopFactory()
    admin = MembershipFactory(shop=shop, role=Role.ADMIN).user
    MembershipFactory(shop=shop, role=Role.AGENT)
    MembershipFactory(shop=shop, role=Role.FINANCE)
    supervisor = MembershipFactory(shop=shop, role=Role.SUPERVISOR).user
    MembershipFactory(shop=other, role=Role.SUPERVISOR)  # another shop's supervisor
    assert shop_members_who_can(shop=shop, capability=Capability.MANAGE_TEAM) == [
        admin,
        supervisor,
    ]
    finance_and_up = shop_members_who_can(shop=shop, capability=Capability.SIGN_PAYMENTS)
    assert [role_in(user=user, shop=shop) for user in finance_and_up] == [Role.ADMIN, Role.FINANCE]


def test_granting_a_role_replaces_the_old_one_and_is_audited() -> None:
    shop, user, boss = ShopFactory(), UserFactory(), UserFactory()
    membership_grant(shop=shop, user=user, role=Role.AGENT, acting_user=boss)
    membership_grant(shop=shop, user=user, role=Role.SUPERVISOR, acting_user=boss)
    membership_grant(shop=shop, user=user, role=Role.SUPERVISOR, acting_user=boss)
    assert Membership.objects.get(shop=shop, user=user).role == Role.SUPERVISOR
    assert role_in(user=user, shop=shop) == Role.SUPERVISOR
    trail = list(
        AuditEntry.objects.filter(shop=shop, action="membership.grant")
        .order_by("id")
        .values_list("actor_id", "old_value", "new_value")
    )
    assert trail == [(boss.pk, None, "agent"), (boss.pk, "agent", "supervisor")]


def test_audit_entries_are_append_only() -> None:
    entry = AuditEntry.objects.create(shop=ShopFactory(), action="x", object_type="y")
    entry.note = "changed"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
