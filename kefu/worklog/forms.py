"""Forms of the worklog pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

_TEXT = {"class": "form-control"}


class HandoverForm(forms.Form):
    text = forms.CharField(
        label=_("交接内容"),
        widget=forms.Textarea(attrs={**_TEXT, "rows": 4, "placeholder": _("下一班需要跟进的事")}),
    )
    order_nos = forms.CharField(
        label=_("关联订单号"),
        required=False,
        widget=forms.TextInput(attrs={**_TEXT, "placeholder": _("多个用逗号或空格分隔")}),
    )
    buyer_nicks = forms.CharField(
        label=_("关联买家"),
        required=False,
        widget=forms.TextInput(attrs={**_TEXT, "placeholder": _("买家昵称，多个用逗号分隔")}),
    )
    references = forms.CharField(
        label=_("其他关联（售后单、工单等）"),
        required=False,
        widget=forms.TextInput(attrs=_TEXT),
    )


class SummaryForm(forms.Form):
    text = forms.CharField(
        label=_("本周工作总结"),
        required=False,
        widget=forms.Textarea(attrs={**_TEXT, "rows": 12, "data-testid": "summary-text"}),
    )


ITEM_FIELDS: dict[str, Any] = {
    "buyers_received": lambda: forms.IntegerField(label=_("接待人数"), min_value=0, required=False),
    "buyer_ids": lambda: forms.CharField(
        label=_("接待买家ID"), required=False, widget=forms.Textarea(attrs={**_TEXT, "rows": 3})
    ),
    "buyers_converted": lambda: forms.IntegerField(
        label=_("成交人数"), min_value=0, required=False
    ),
    "converted_amount": lambda: forms.DecimalField(
        label=_("成交金额（元）"), min_value=0, decimal_places=2, max_digits=14, required=False
    ),
    "product_problems": lambda: forms.CharField(
        label=_("商品问题"), required=False, widget=forms.Textarea(attrs={**_TEXT, "rows": 2})
    ),
    "logistics_problems": lambda: forms.CharField(
        label=_("物流问题"), required=False, widget=forms.Textarea(attrs={**_TEXT, "rows": 2})
    ),
    "service_problems": lambda: forms.CharField(
        label=_("服务问题"), required=False, widget=forms.Textarea(attrs={**_TEXT, "rows": 2})
    ),
    "shipments_by_category": lambda: forms.CharField(
        label=_("分类发货"), required=False, widget=forms.Textarea(attrs={**_TEXT, "rows": 2})
    ),
    "returns_by_category": lambda: forms.CharField(
        label=_("分类退货"), required=False, widget=forms.Textarea(attrs={**_TEXT, "rows": 2})
    ),
}


class DailyRecordForm(forms.Form):
    """The fields are the policy's `daily_record.items` (all of them when it lists none)."""

    def __init__(self, *args: Any, items: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in items or list(ITEM_FIELDS):
            field = ITEM_FIELDS[item]()
            if not isinstance(field.widget, forms.Textarea):
                field.widget.attrs.update(_TEXT)
            self.fields[item] = field
