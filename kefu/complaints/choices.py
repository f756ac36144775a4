"""Choices of the complaint register 投诉处理登记表 (S4.2 ch.3)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Step(models.TextChoices):
    """The handling path; the shop's policy (complaints.steps) says which and in what order."""

    RECORD = "record", _("登记")
    IDENTIFY = "identify", _("确定投诉事件")
    INVESTIGATE = "investigate", _("调查原因")
    FOLLOW_UP = "follow_up", _("跟进处理")
    CONFIRM = "confirm", _("确认结果")
    ARCHIVE = "archive", _("归档")
    ANALYSE = "analyse", _("分析改进")
    RETURN_VISIT = "return_visit", _("回访")


ALL_STEPS: tuple[str, ...] = tuple(Step.values)


class Channel(models.TextChoices):
    CHAT = "chat", _("旺旺/在线咨询")
    PHONE = "phone", _("电话")
    PLATFORM = "platform", _("平台投诉")
    REVIEW = "review", _("评价")
    OTHER = "other", _("其他")


SATISFACTION = [
    (5, _("5 非常满意")),
    (4, _("4 满意")),
    (3, _("3 一般")),
    (2, _("2 不满意")),
    (1, _("1 非常不满意")),
]
