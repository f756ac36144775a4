from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CloseKind(models.TextChoices):
    CLOSE = "close", _("月度结算")
    CORRECTION = "correction", _("更正结算")


class FineKind(models.TextChoices):
    FINE = "fine", _("罚款")
    COMPENSATION = "compensation", _("赔偿")


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    ACCEPTED = "accepted", _("已采纳")
    DISMISSED = "dismissed", _("已驳回")
    WITHDRAWN = "withdrawn", _("更正后撤回")
