"""Issuing and checking API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from kefu.api.models import ApiToken

TOKEN_BYTES = 32


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_issue(*, user: User) -> str:
    """Issue the user's token, replacing any earlier one. The plain token is shown once."""
    token = f"kefu_{secrets.token_urlsafe(TOKEN_BYTES)}"
    ApiToken.objects.update_or_create(
        user=user, defaults={"digest": _digest(token), "prefix": token[5:13], "last_used_at": None}
    )
    return token


def token_user(*, token: str) -> User | None:
    """The active user a token belongs to, or None."""
    row = ApiToken.objects.select_related("user").filter(digest=_digest(token)).first()
    if row is None or not row.user.is_active:
        return None
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    return row.user


def token_revoke(*, user: User) -> int:
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted
