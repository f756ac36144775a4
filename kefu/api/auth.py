from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from kefu.api.services import token_user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer kefu_...`: the integration's user, with that user's shops."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_user(token=token)
        if user is not None:
            request.user = user  # views and access helpers read the user from the request
        return user


API_AUTH = [TokenAuth(), django_auth]
