"""Forms of the chat pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.core.models import Shop
from kefu.staff.models import Agent


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one upload (Django's documented recipe); each is imported on its own."""

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    file = MultipleFileField(
        label=_("聊天记录文件（.txt / .json / .csv / .jsonl / 绩效报表 .xlsx），可多选"),
        widget=MultipleFileInput(attrs={"class": "form-control"}),
    )


class BindForm(forms.Form):
    agent = forms.ModelChoiceField(label=_("客服"), queryset=Agent.objects.none())

    def __init__(self, *args: Any, shop: Shop, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agent"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Agent.objects.filter(assignments__shop=shop).order_by("name")
        field.widget.attrs["class"] = "form-select form-select-sm"
