"""Choices of the meetings app: meetings, attendance, action items, duty and incidents."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("待召开")
    HELD = "held", _("已召开")
    CANCELLED = "cancelled", _("已取消")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("出席")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("缺席")


class AgendaSource(models.TextChoices):
    FREE = "free", _("自由议题")
    OVERDUE_ACTION = "overdue_action", _("逾期待办")
    OPEN_ACTION = "open_action", _("待办跟进")
    REPORT = "report", _("周报")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("未完成")
    DONE = "done", _("已完成")


class DutyTiming(models.TextChoices):
    EARLY = "early", _("上班前")
    LATE = "late", _("下班后")


class DutyStatus(models.TextChoices):
    ASSIGNED = "assigned", _("待值日")
    CONFIRMED = "confirmed", _("已确认完成")


class FindingKind(models.TextChoices):
    UNDONE = "undone", _("值日卫生未完成")
    LIGHTS = "lights", _("下班未关窗、空调、灯")


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("处理中")
    CLOSED = "closed", _("已出故障报告")
