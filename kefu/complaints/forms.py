"""Forms of the complaint register: they only shape input; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.complaints.choices import SATISFACTION, Channel
from kefu.core.models import Shop
from kefu.staff.selectors import agents_of_shop


class Styled:
    fields: dict[str, forms.Field]

    def style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


def _agents(shop: Shop, label: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label, queryset=agents_of_shop(shop=shop), required=False, empty_label=_("（未指明）")
    )


class ComplaintForm(Styled, forms.Form):
    received_at = forms.DateTimeField(
        label=_("投诉时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    channel = forms.ChoiceField(label=_("渠道"), choices=Channel.choices)
    buyer_nick = forms.CharField(label=_("买家"), required=False, max_length=100)
    order_no = forms.CharField(label=_("订单号"), required=False, max_length=64)
    subject = forms.CharField(label=_("投诉事由"), max_length=120)
    content = forms.CharField(label=_("投诉内容"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: object, shop: Shop, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["agent"] = _agents(shop, str(_("被投诉客服")))
        self.style()


class StepForm(Styled, forms.Form):
    step = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("记录"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.style()


class ConfirmForm(Styled, forms.Form):
    valid = forms.TypedChoiceField(
        label=_("是否有效投诉"),
        choices=[("1", _("有效投诉")), ("0", _("无效投诉"))],
        coerce=lambda v: v == "1",
    )
    agent_at_fault = forms.BooleanField(label=_("客服责任"), required=False)
    result = forms.CharField(label=_("处理结果"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: object, shop: Shop, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["agent"] = _agents(shop, str(_("责任客服")))
        self.style()


class VisitForm(Styled, forms.Form):
    satisfaction = forms.TypedChoiceField(label=_("满意度"), choices=SATISFACTION, coerce=int)
    evaluation = forms.CharField(
        label=_("客户评价"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.style()
