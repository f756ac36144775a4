"""Choices of the review follow-up 中差评处理."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Rating(models.TextChoices):
    GOOD = "good", _("好评")
    NEUTRAL = "neutral", _("中评")
    BAD = "bad", _("差评")


class Severity(models.TextChoices):
    SEVERE = "severe", _("严重")
    MEDIUM = "medium", _("一般")
    LIGHT = "light", _("轻微")
    NONE = "", _("无需处理")


class ReviewStatus(models.TextChoices):
    """Where the follow-up stands (the seeds' 处理状态 is the last contact: see ContactChannel)."""

    OPEN = "open", _("待处理")
    CONTACTING = "contacting", _("跟进中")
    PHONE_DUE = "phone_due", _("待电话沟通")
    CLOSED = "closed", _("已结束")
    IGNORED = "ignored", _("无需处理")


class Progress(models.TextChoices):
    """The seeds' 进展状况 (S4.4 §4.2①)."""

    NONE = "", _("—")
    CHANGED = "changed", _("已删除/修改")
    PROMISED = "promised", _("答应修改")
    REFUSED = "refused", _("拒绝修改")
    AFTER_COMPENSATION = "after_compensation", _("等待补偿后修改")


class ContactChannel(models.TextChoices):
    CHAT = "chat", _("旺旺留言")
    SMS = "sms", _("短信")
    PHONE = "phone", _("电话")


class ContactOutcome(models.TextChoices):
    SENT = "sent", _("已发送，未回复")
    ANSWERED = "answered", _("买家已回复")
    NO_ANSWER = "no_answer", _("无人接听")
    FAILED = "failed", _("发送失败")


CONTACT_DONE_LABELS = {
    ContactChannel.CHAT: _("已旺旺留言"),
    ContactChannel.SMS: _("已发送短信"),
    ContactChannel.PHONE: _("已电话沟通"),
}
"""The seeds' 处理状态 values, by the last contact channel."""
