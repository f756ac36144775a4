"""Patterns shared by small views. One posted form, one write (record a contact, set a
progress, confirm a result...): the service's own message is shown when it refuses. One what-if
page: the month under another preset, beside the policy in force."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kefu.core.errors import InvalidInput, KefuError
from kefu.policy.documents import preset_names


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


def whatif_render(
    request: HttpRequest, template: str, month: object, compare: Callable[[str], Any]
) -> HttpResponse:
    """A what-if page (points or pay): the month under the preset named in `?preset=`, by
    `compare(preset)`, beside the policy in force; nothing is written. A preset that cannot be
    compared shows the service's message."""
    preset = request.GET.get("preset", "")
    result = None
    if preset:
        try:
            result = compare(preset)
        except KefuError as exc:
            messages.error(request, exc.message)
    context = {"month": month, "preset": preset, "presets": preset_names(), "result": result}
    return render(request, template, context)
