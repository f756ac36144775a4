"""Forms of the review pages: they only shape input; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.core.models import Shop
from kefu.reviews.choices import ContactChannel, ContactOutcome, Progress, Severity
from kefu.staff.models import Agent
from kefu.staff.selectors import agents_of_shop


class Styled:
    fields: dict[str, forms.Field]

    def style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("评价文件（TOP 评价 JSON、CSV 或 xlsx）"),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".json,.csv,.xlsx"}
        ),
    )


class ContactForm(Styled, forms.Form):
    channel = forms.ChoiceField(label=_("方式"), choices=ContactChannel.choices)
    outcome = forms.ChoiceField(label=_("结果"), choices=ContactOutcome.choices)
    link = forms.URLField(
        label=_("修改评价链接"), required=False, max_length=500, assume_scheme="https"
    )
    note = forms.CharField(
        label=_("记录"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.style()


class ProgressForm(Styled, forms.Form):
    progress = forms.ChoiceField(
        label=_("进展状况"), choices=[("", _("请选择")), *(c for c in Progress.choices if c[0])]
    )
    promised_by = forms.DateField(
        label=_("答应修改日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("备注"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.style()


class SeverityForm(Styled, forms.Form):
    severity = forms.ChoiceField(label=_("严重程度"), choices=Severity.choices, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.style()


class FaultForm(Styled, forms.Form):
    agent: forms.ModelChoiceField[Agent] = forms.ModelChoiceField(
        label=_("责任客服"), queryset=Agent.objects.none()
    )
    note = forms.CharField(label=_("说明"), required=False)

    def __init__(self, *args: object, shop: Shop, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["agent"].queryset = agents_of_shop(shop=shop)  # type: ignore[attr-defined]
        self.style()
