"""Forms of the roster pages. They only shape input; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.core.models import Shop
from kefu.rota.choices import RequestKind
from kefu.staff.models import Agent

DATE = forms.DateInput(attrs={"type": "date"})


def shop_agents(shop: Shop) -> Any:
    return Agent.objects.filter(assignments__shop=shop, assignments__active=True).order_by(
        "name", "id"
    )


class Styled:
    fields: dict[str, forms.Field]

    def style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class GenerateForm(forms.Form):
    month = forms.RegexField(label=_("月份"), regex=r"^\d{4}-\d{2}$")


class CellForm(forms.Form):
    agent = forms.IntegerField()
    day = forms.DateField()
    shift = forms.CharField(required=False)


class RequestForm(Styled, forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=RequestKind.choices)
    agent = forms.ModelChoiceField(label=_("申请人"), queryset=Agent.objects.none())
    start_date = forms.DateField(label=_("开始日期"), widget=DATE)
    end_date = forms.DateField(label=_("结束日期"), widget=DATE, required=False)
    counterpart = forms.ModelChoiceField(
        label=_("替班/调班同事"), queryset=Agent.objects.none(), required=False
    )
    counterpart_date = forms.DateField(
        label=_("对方的日期（跨日调班）"),
        widget=DATE,
        required=False,
        help_text=_(
            "调班换的是同事另一天的班时填写：你上同事这一天的班，同事上你开始日期的班。"
            "只换一天；两天可以在不同月份（两个月的排班都须已生成），"
            "各自的调休天数记在所换那天的月份"
        ),
    )
    reason = forms.CharField(
        label=_("事由"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, shop: Shop, own: Agent | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = shop_agents(shop)
        agent_field: forms.ModelChoiceField = self.fields["agent"]  # type: ignore[assignment]
        counterpart_field: forms.ModelChoiceField = self.fields["counterpart"]  # type: ignore[assignment]
        counterpart_field.queryset = team
        if own is not None:
            agent_field.queryset = Agent.objects.filter(pk=own.pk)
            agent_field.initial = own.pk
            agent_field.widget = forms.HiddenInput()
        else:
            agent_field.queryset = team
        self.style()


class DecideForm(forms.Form):
    approve = forms.BooleanField(required=False)
    reason = forms.CharField(required=False)
