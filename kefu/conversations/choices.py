"""Choices of the chat records; the values are the KPI engine's (kpi/inputs.py KINDS)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    BUYER = "buyer", _("买家")
    AGENT = "agent", _("店铺")


class Kind(models.TextChoices):
    HUMAN = "human", _("人工")
    AUTO_REPLY = "auto_reply", _("自动回复")
    SYSTEM = "system", _("系统")
    TRANSFER = "transfer", _("转接")
    RECALL = "recall", _("撤回")


class ImportFormat(models.TextChoices):
    QIANNIU_TEXT = "qianniu_text", _("千牛聊天记录（复制文本）")
    QIANNIU_JSON = "qianniu_json", _("千牛网页聊天记录 JSON")
    CSV = "csv", _("通用 CSV")
    JSONL = "jsonl", _("通用 JSON Lines")
    API = "api", _("API")
    PERFORMANCE = "performance", _("客服绩效报表")
