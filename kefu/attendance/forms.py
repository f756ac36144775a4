"""Forms of the attendance pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PunchFileForm(forms.Form):
    file = forms.FileField(
        label=_("考勤机导出的打卡记录（CSV 或 xlsx）"),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".csv,.txt,.xlsx"}
        ),
    )
