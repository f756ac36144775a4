"""Forms of the knowledge pages. They only shape input; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.core.models import Shop
from kefu.knowledge.choices import QuestionKind
from kefu.knowledge.models import Product

CORRECT_MARK = "*"
"""A line of the options box starting with this marks a correct option."""


class Styled:
    """Gives every widget Tabler's form classes (the templates render fields as they are)."""

    fields: dict[str, forms.Field]

    def style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


def _shop_products(shop: Shop) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("相关商品"),
        queryset=Product.objects.filter(shop=shop).order_by("name"),
        required=False,
        empty_label=_("（无）"),
    )


class PhraseForm(Styled, forms.Form):
    group = forms.CharField(
        label=_("分组"), max_length=40, help_text=_("如 问候、议价、物流、售后")
    )
    shortcut = forms.CharField(label=_("快捷编码"), max_length=20, required=False)
    text = forms.CharField(label=_("短语"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, shop: Shop, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"] = _shop_products(shop)
        self.style()


class ImportForm(Styled, forms.Form):
    file = forms.FileField(label=_("短语文件（.xlsx 或 .csv）"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()


class ProductForm(Styled, forms.ModelForm):
    class Meta:
        model = Product
        fields = [
            "name",
            "item_id",
            "selling_points",
            "specifications",
            "competitor_notes",
            "launch_date",
            "training_held_on",
            "competitor_shops",
        ]
        widgets = {
            "selling_points": forms.Textarea(attrs={"rows": 4}),
            "specifications": forms.Textarea(attrs={"rows": 4}),
            "competitor_notes": forms.Textarea(attrs={"rows": 3}),
            "competitor_shops": forms.Textarea(attrs={"rows": 3}),
            "launch_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "training_held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()

    def validate_unique(self) -> None:
        """The service checks the name per shop (the form has no shop field)."""


class FaqForm(Styled, forms.Form):
    question = forms.CharField(label=_("问题"), max_length=200)
    answer = forms.CharField(label=_("回答"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()


class ExamForm(Styled, forms.Form):
    title = forms.CharField(label=_("考试名称"), max_length=100)

    def __init__(self, *args: Any, shop: Shop, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"] = _shop_products(shop)
        self.style()


class QuestionForm(Styled, forms.Form):
    kind = forms.ChoiceField(label=_("题型"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("题目"), widget=forms.Textarea(attrs={"rows": 2}))
    marks = forms.IntegerField(label=_("分值"), min_value=1, max_value=100, initial=10)
    options = forms.CharField(
        label=_("选项"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一个选项，正确答案前加 *（简答题不填）"),
    )
    reference = forms.CharField(
        label=_("参考答案"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("简答题评分时参考"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()

    def choices(self) -> list[tuple[str, bool]]:
        pairs = []
        for line in self.cleaned_data.get("options", "").splitlines():
            line = line.strip()
            if line:
                correct = line.startswith(CORRECT_MARK)
                pairs.append((line.removeprefix(CORRECT_MARK).strip(), correct))
        return pairs
