"""One posted form, one write: the pattern of the small action views (record a contact, set
a progress, confirm a result...). The service's own message is shown when it refuses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from kefu.core.errors import InvalidInput


def form_action(
    request: HttpRequest,
    form: forms.Form,
    write: Callable[..., Any],
    *,
    done: str,
    incomplete: str,
) -> None:
    """Call `write(**form.cleaned_data)` when the form is valid and say how it went: `done`,
    the service's InvalidInput message, or `incomplete` for a form that does not validate."""
    if not form.is_valid():
        messages.error(request, incomplete)
        return
    try:
        write(**form.cleaned_data)
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
