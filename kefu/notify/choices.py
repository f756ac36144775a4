"""Choices of the notify app. The channel kinds' values are the ones kefu.notify.robots uses."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    INFO = "info", _("消息")
    WARNING = "warning", _("提醒")
    TASK = "task", _("待办")
    COVERAGE_GAP = "coverage_gap", _("排班缺口")
    POLICY_CHANGED = "policy_changed", _("制度变更")


class ChannelKind(models.TextChoices):
    DINGTALK = "dingtalk", _("钉钉")
    WECOM = "wecom", _("企业微信")
    FEISHU = "feishu", _("飞书")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
