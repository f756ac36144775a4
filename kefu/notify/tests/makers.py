"""Typed wrappers of the core factories for these tests (factory_boy's own types say a factory
call returns the factory, which mypy then rejects wherever a model is expected)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import User

from kefu.core.choices import Role
from kefu.core.models import Shop
from kefu.core.tests.factories import MembershipFactory, ShopFactory, UserFactory


def shop_make(**kwargs: Any) -> Shop:
    return cast(Shop, ShopFactory(**kwargs))


def member_make(*, shop: Shop, role: Role = Role.AGENT) -> User:
    """A new user with a role in `shop`, reloaded so it matches the database row: UserFactory's
    set_password is not saved (skip_postgeneration_save), and a session logged in with the
    unsaved hash would be dropped as stale."""
    user = cast(User, UserFactory())
    MembershipFactory(shop=shop, user=user, role=role)
    user.refresh_from_db()
    return user


def join(*, user: User, shop: Shop, role: Role = Role.AGENT) -> None:
    MembershipFactory(shop=shop, user=user, role=role)
