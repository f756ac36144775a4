"""form_action: a valid form calls the write; its refusal and an incomplete form are messages."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from kefu.core.errors import InvalidInput
from kefu.web.actions import form_action


class NoteForm(forms.Form):
    note = forms.CharField()


def _request(data: dict[str, str]):  # type: ignore[no-untyped-def]
    request = RequestFactory().post("/", data)
    request.session = {}  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _said(request) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(m.level_tag, str(m)) for m in get_messages(request)]


def test_a_valid_form_writes_once_and_says_done() -> None:
    written: list[dict[str, str]] = []
    request = _request({"note": "已联系"})
    form_action(
        request,
        NoteForm(request.POST),
        lambda **kw: written.append(kw),
        done="已记录",
        incomplete="不完整",
    )
    assert written == [{"note": "已联系"}]
    assert _said(request) == [("success", "已记录")]


def test_the_services_refusal_and_an_incomplete_form_are_errors() -> None:
    def refuse(**kw: str) -> None:
        raise InvalidInput("这条评价已关闭")

    refused = _request({"note": "x"})
    form_action(refused, NoteForm(refused.POST), refuse, done="已记录", incomplete="不完整")
    assert _said(refused) == [("error", "这条评价已关闭")]
    empty = _request({})
    form_action(empty, NoteForm(empty.POST), refuse, done="已记录", incomplete="不完整")
    assert _said(empty) == [("error", "不完整")]
