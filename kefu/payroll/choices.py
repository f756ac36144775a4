from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    LOCKED = "locked", _("已锁定")


class FundDirection(models.TextChoices):
    IN = "in", _("收入")
    OUT = "out", _("支出")
