"""The one way to write the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User

from kefu.core.models import AuditEntry, Shop


def audit_record(
    *,
    shop: Shop,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    object_type: str,
    object_id: str | int = "",
    path: str = "",
    old_value: Any = None,
    new_value: Any = None,
    note: str = "",
) -> AuditEntry:
    return AuditEntry.objects.create(
        shop=shop,
        actor=actor if isinstance(actor, User) else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        path=path,
        old_value=old_value,
        new_value=new_value,
        note=note,
    )
