from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.aftersales.choices import CaseType, Direction

_INPUT = {"class": "form-control"}


class CaseForm(forms.Form):
    type = forms.ChoiceField(
        label=_("售后类型"),
        choices=CaseType.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    order_no = forms.CharField(
        label=_("订单号"), required=False, max_length=64, widget=forms.TextInput(attrs=_INPUT)
    )
    buyer_nick = forms.CharField(
        label=_("买家"),
        required=False,
        max_length=100,
        help_text=_("留空时取订单的买家"),
        widget=forms.TextInput(attrs=_INPUT),
    )
    description = forms.CharField(
        label=_("问题描述"), required=False, widget=forms.Textarea(attrs={**_INPUT, "rows": 3})
    )
    agent = forms.TypedChoiceField(
        label=_("负责客服"),
        coerce=int,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: object, agents: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["agent"].choices = [("", "—"), *agents]  # type: ignore[attr-defined]


class PaymentForm(forms.Form):
    content = forms.CharField(
        label=_("内容"),
        max_length=100,
        required=False,
        help_text=_("备注按制度写成“内容_客服姓名”，如 删除中评_慧兰"),
        widget=forms.TextInput(attrs={**_INPUT, "placeholder": "删除中评"}),
    )
    amount = forms.CharField(
        label=_("金额（元）"), max_length=20, widget=forms.TextInput(attrs=_INPUT)
    )
    direction = forms.ChoiceField(
        label=_("收支"),
        choices=Direction.choices,
        initial=Direction.OUT,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("凭证照片（JPEG、PNG、GIF、WebP）"),
        widget=forms.ClearableFileInput(attrs={**_INPUT, "accept": "image/*"}),
    )
