"""Choices of the buyers app: groups, contact kinds, return-visit and follow-up states."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Group(models.TextChoices):
    """Rule-based groups, recomputed from the policy (kefu.buyers.groups)."""

    VIP = "vip", _("VIP")
    POTENTIAL = "potential", _("潜在客户")
    AT_RISK = "at_risk", _("风险客户")


class ContactKind(models.TextChoices):
    NAME = "name", _("姓名")
    PHONE = "phone", _("电话")
    ADDRESS = "address", _("地址")
    WECHAT = "wechat", _("微信")


class VisitStatus(models.TextChoices):
    DUE = "due", _("待回访")
    DONE = "done", _("已回访")
    MISSED = "missed", _("已错过")


class Channel(models.TextChoices):
    CHAT = "chat", _("旺旺/聊天")
    PHONE = "phone", _("电话")
    SMS = "sms", _("短信")
    WECHAT = "wechat", _("微信")


class VisitOutcome(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    FEEDBACK = "feedback", _("有意见反馈")
    NO_ANSWER = "no_answer", _("未联系上")
    DECLINED = "declined", _("不愿回访")


class FollowUpOutcome(models.TextChoices):
    ORDERED = "ordered", _("已下单")
    INTERESTED = "interested", _("有意向")
    NO_ANSWER = "no_answer", _("未回复")
    NOT_INTERESTED = "not_interested", _("无意向")
