"""Choices of the attendance app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PunchSource(models.TextChoices):
    WEB = "web", _("网页打卡")
    IMPORT = "import", _("考勤机导入")


class PunchDirection(models.TextChoices):
    IN = "in", _("上班")
    OUT = "out", _("下班")
    UNKNOWN = "", _("未标明")
