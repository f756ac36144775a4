"""The one audited way to change a shop's policy.

Every change is a new, effective-dated version: nothing already computed under an older version
changes meaning. Each adoption writes one audit entry per changed path (who, when, path, old and
new value) against the version it replaces from that date; the first version writes one entry
for the adoption itself. A document that does not validate changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Max

from kefu.core.audit import audit_record
from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.policy.documents import (
    PolicyError,
    data_diff,
    load_preset,
    policy_from_data,
    policy_to_data,
    set_path,
)
from kefu.policy.models import PolicyVersion
from kefu.policy.schema import Policy
from kefu.policy.selectors import AUDIT_OBJECT_TYPE, parse_version
from kefu.policy.signals import policy_adopted

User = AbstractBaseUser


def _validated(document: dict[str, Any] | Policy) -> Policy:
    if isinstance(document, Policy):
        return document
    try:
        return policy_from_data(document)
    except PolicyError as exc:
        raise InvalidInput(
            f"制度内容有误，共{len(exc.lines)}处，未保存任何更改", details=exc.lines
        ) from exc


def _base_version(*, shop: Shop, on: dt.date) -> PolicyVersion | None:
    """The version a new one replaces from `on`: the one in force that day, else (when the new
    one starts before every version) the latest."""
    versions = PolicyVersion.objects.filter(shop=shop)
    return (
        versions.filter(effective_from__lte=on).order_by("-effective_from", "-number").first()
        or versions.order_by("-number").first()
    )


def _actor(user: User | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


def policy_adopt(
    *,
    shop: Shop,
    document: dict[str, Any] | Policy,
    effective_from: dt.date,
    acting_user: User | None,
    preset: str = "",
    note: str = "",
) -> PolicyVersion:
    """Validate the document and store it as the shop's next version from `effective_from`."""
    policy = _validated(document)  # before any write: a bad document changes nothing
    data = policy_to_data(policy)
    with transaction.atomic():
        # Lock the shop row so two adoptions cannot take the same number (a no-op on SQLite,
        # whose IMMEDIATE transactions already serialise writers).
        Shop.objects.select_for_update().filter(pk=shop.pk).exists()
        base = _base_version(shop=shop, on=effective_from)
        last = PolicyVersion.objects.filter(shop=shop).aggregate(n=Max("number"))["n"] or 0
        actor = _actor(acting_user)
        version = PolicyVersion.objects.create(
            shop=shop,
            number=last + 1,
            effective_from=effective_from,
            document=data,
            preset=preset,
            created_by_id=actor.pk if actor is not None else None,
            note=note,
        )
        policy_adopted.send(sender=PolicyVersion, version=version)

        def record(action: str, path: str = "", old: Any = None, new: Any = None) -> None:
            audit_record(
                shop=shop,
                actor=actor,
                action=action,
                object_type=AUDIT_OBJECT_TYPE,
                object_id=version.pk,
                path=path,
                old_value=old,
                new_value=new,
                note=note,
            )

        if base is None:
            record(
                "policy.adopt",
                new={
                    "number": version.number,
                    "effective_from": effective_from.isoformat(),
                    "preset": preset,
                    "title": policy.meta.title,
                },
            )
            return version
        # Normalise the base through today's schema so new defaults are not reported as edits.
        changes = data_diff(policy_to_data(parse_version(base)), data)
        for change in changes:
            record("policy.change", change.path, change.old, change.new)
        if not changes:
            record(
                "policy.readopt",
                new={"number": version.number, "effective_from": effective_from.isoformat()},
            )
    return version


def _jsonable(value: Any) -> Any:
    """A value as the JSON document holds it (money as a string, dates as ISO text)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    return value


def policy_set_value(
    *,
    shop: Shop,
    path: str,
    value: Any,
    effective_from: dt.date,
    acting_user: User | None,
    note: str = "",
) -> PolicyVersion:
    """Change one dotted path (e.g. `fines.rules.0.amounts.1`) of the policy in force on
    `effective_from`, as a new version through `policy_adopt`."""
    base = _base_version(shop=shop, on=effective_from)
    if base is None:
        raise InvalidInput("店铺还没有管理制度，请先选用一个制度模板")
    try:
        data = set_path(policy_to_data(parse_version(base)), path, _jsonable(value))
    except PolicyError as exc:
        raise InvalidInput(f"无法修改 {path}", details=exc.lines) from exc
    return policy_adopt(
        shop=shop,
        document=data,
        effective_from=effective_from,
        acting_user=acting_user,
        preset=base.preset,
        note=note or f"{path} = {_jsonable(value)!r}",
    )


def policy_adopt_preset(
    *,
    shop: Shop,
    preset: str,
    effective_from: dt.date,
    acting_user: User | None,
    note: str = "",
) -> PolicyVersion:
    """Adopt one of the presets that ship with Kefu."""
    try:
        policy = load_preset(preset)
    except PolicyError as exc:
        raise InvalidInput(exc.message, details=exc.lines) from exc
    return policy_adopt(
        shop=shop,
        document=policy,
        effective_from=effective_from,
        acting_user=acting_user,
        preset=preset,
        note=note or f"选用制度模板 {preset}",
    )
