"""Access helpers. Every read of tenant data goes through these, so every query is scoped by the
shops granted to the user. An object of a shop the user may not see is a 404, never a 403:
its existence is not disclosed."""

from __future__ import annotations

import enum
from typing import TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

from kefu.core.choices import Role
from kefu.core.models import Membership, Shop

M = TypeVar("M", bound=models.Model)
AnyUser = User | AnonymousUser


class Capability(enum.StrEnum):
    """What a role may do inside a shop it belongs to."""

    VIEW_DASHBOARD = "view_dashboard"
    VIEW_TEAM = "view_team"  # other agents' records
    MANAGE_TEAM = "manage_team"
    VIEW_POLICY = "view_policy"
    CHANGE_POLICY = "change_policy"
    VIEW_PAY = "view_pay"  # every agent's pay
    SIGN_PAYMENTS = "sign_payments"
    VIEW_AUDIT = "view_audit"
    USE_ADMIN = "use_admin"
    REVEAL_PERSONAL_DATA = "reveal_personal_data"  # a buyer's full phone or address, logged


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.ADMIN: frozenset(Capability),
    Role.SUPERVISOR: frozenset(
        {
            Capability.VIEW_DASHBOARD,
            Capability.VIEW_TEAM,
            Capability.MANAGE_TEAM,
            Capability.VIEW_POLICY,
            Capability.CHANGE_POLICY,
            Capability.VIEW_PAY,
            Capability.VIEW_AUDIT,
            Capability.REVEAL_PERSONAL_DATA,
        }
    ),
    Role.FINANCE: frozenset(
        {
            Capability.VIEW_DASHBOARD,
            Capability.VIEW_TEAM,
            Capability.VIEW_PAY,
            Capability.SIGN_PAYMENTS,
            Capability.VIEW_POLICY,
        }
    ),
    Role.AGENT: frozenset({Capability.VIEW_DASHBOARD, Capability.VIEW_POLICY}),
}


def shops_for(*, user: AnyUser) -> models.QuerySet[Shop]:
    """The shops this user may see, by membership. Superusers are not special here: tenancy
    holds for every account (the Django admin is the raw-data exception)."""
    if not user.is_authenticated:
        return Shop.objects.none()
    return (
        Shop.objects.filter(pk__in=Membership.objects.filter(user_id=user.pk).values("shop_id"))
        .select_related("agency")
        .distinct()
    )


def role_in(*, user: AnyUser, shop: Shop) -> Role | None:
    if not user.is_authenticated:
        return None
    role = Membership.objects.filter(user=user, shop=shop).values_list("role", flat=True).first()
    return Role(role) if role else None


def shop_get(*, user: AnyUser, shop_id: int) -> tuple[Shop, Role]:
    """The shop and the user's role in it, or 404 when the user is not a member."""
    membership = (
        Membership.objects.select_related("shop", "shop__agency")
        .filter(user_id=user.pk or 0, shop_id=shop_id)
        .first()
    )
    if membership is None:
        raise Http404("No such shop")
    return membership.shop, Role(membership.role)


def can(*, role: Role | str | None, capability: Capability) -> bool:
    return role is not None and capability in ROLE_CAPABILITIES.get(role, frozenset())


def shop_members_who_can(*, shop: Shop, capability: Capability) -> list[User]:
    """The users of the shop whose role has `capability`, in the order they joined: who is
    told of the team's work (MANAGE_TEAM: the supervisors and admins)."""
    roles = [role for role, capabilities in ROLE_CAPABILITIES.items() if capability in capabilities]
    members = Membership.objects.filter(shop=shop, role__in=roles).select_related("user")
    return [membership.user for membership in members.order_by("pk")]


def shop_scope(
    queryset: models.QuerySet[M], *, shop: Shop, field: str = "shop"
) -> models.QuerySet[M]:
    """Restrict a tenant queryset to one shop."""
    return queryset.filter(**{field: shop})


def shop_object_or_404(
    queryset: models.QuerySet[M], *, shop: Shop, pk: object, field: str = "shop"
) -> M:
    """One object of this shop, or 404 (also when it exists in another shop)."""
    try:
        return shop_scope(queryset, shop=shop, field=field).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such object") from exc
