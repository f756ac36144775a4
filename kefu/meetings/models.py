"""Weekly meetings 例会 (agenda, attendance, minutes and action items), the office duty rota
值日 with its findings, and the incident log 突发事件 with its fault report. Tenant tables."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.models import ShopScoped
from kefu.meetings.choices import (
    ActionStatus,
    AgendaSource,
    AttendanceStatus,
    DutyStatus,
    DutyTiming,
    FindingKind,
    IncidentStatus,
    MeetingStatus,
)
from kefu.policy.models import PolicyVersion
from kefu.staff.models import Agent


class Meeting(ShopScoped):
    title = models.CharField(_("会议"), max_length=100)
    starts_at = models.DateTimeField(_("开始时间"))
    local_date = models.DateField(_("日期"))
    status = models.CharField(
        _("状态"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    clause = models.CharField(_("条款"), max_length=200, blank=True)
    policy_version = models.ForeignKey(
        PolicyVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    minutes = models.TextField(_("会议纪要"), blank=True)
    held_at = models.DateTimeField(_("召开时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("例会")
        verbose_name_plural = _("例会")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "local_date"], name="meeting_one_per_day")
        ]

    def __str__(self) -> str:
        return self.title


class AgendaItem(ShopScoped):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("顺序"))
    source = models.CharField(
        _("来源"), max_length=32, choices=AgendaSource.choices, default=AgendaSource.FREE
    )
    text = models.TextField(_("议题"))
    ref = models.CharField(_("来源编号"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["position", "id"]


class MeetingAttendance(ShopScoped):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("出勤"), max_length=16, choices=AttendanceStatus.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("例会出勤")
        verbose_name_plural = _("例会出勤")
        ordering = ["agent__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "agent"], name="meeting_attendance_once")
        ]


class ActionItem(ShopScoped):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(_("待办事项"), max_length=300)
    agent = models.ForeignKey(
        Agent, on_delete=models.PROTECT, related_name="+", verbose_name=_("负责人")
    )
    due_date = models.DateField(_("截止日期"))
    status = models.CharField(
        _("状态"), max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会议待办")
        verbose_name_plural = _("会议待办")
        ordering = ["due_date", "id"]


class DutyAssignment(ShopScoped):
    """One agent's duty task 值日 on one local date."""

    local_date = models.DateField(_("日期"))
    task_key = models.CharField(_("任务代码"), max_length=40)
    task_label = models.CharField(_("值日任务"), max_length=60)
    timing = models.CharField(_("时间"), max_length=8, choices=DutyTiming.choices)
    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"), max_length=16, choices=DutyStatus.choices, default=DutyStatus.ASSIGNED
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    swapped_from = models.ForeignKey(
        Agent,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("换班前"),
    )
    clause = models.CharField(_("条款"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("值日")
        verbose_name_plural = _("值日")
        ordering = ["local_date", "timing", "task_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "local_date", "task_key"], name="duty_one_agent_per_task"
            )
        ]


class DutyFinding(ShopScoped):
    """A supervisor's finding on a duty (undone, lights and air conditioning left on)."""

    duty = models.ForeignKey(DutyAssignment, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("问题"), max_length=16, choices=FindingKind.choices)
    note = models.CharField(_("情况说明"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("值日检查")
        verbose_name_plural = _("值日检查")
        constraints = [models.UniqueConstraint(fields=["duty", "kind"], name="duty_finding_once")]


class Incident(ShopScoped):
    """An incident 突发事件 (S1): time, place, symptom and plan when it happens; afterwards the
    fault report: impact, cause and corrective action."""

    occurred_at = models.DateTimeField(_("发生时间"))
    place = models.CharField(_("地点"), max_length=100)
    symptom = models.TextField(_("现象"))
    plan = models.TextField(_("处理方案"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=8, choices=IncidentStatus.choices, default=IncidentStatus.OPEN
    )
    impact = models.TextField(_("影响"), blank=True)
    cause = models.TextField(_("原因"), blank=True)
    corrective_action = models.TextField(_("纠正措施"), blank=True)
    report_at = models.DateTimeField(_("故障报告时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("突发事件")
        verbose_name_plural = _("突发事件")
        ordering = ["-occurred_at", "-id"]
