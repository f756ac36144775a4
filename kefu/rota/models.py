"""Rosters 排班表, their cells, and agents' leave, swap and cover requests.

A roster is one shop's calendar month. It keeps a copy of the policy's shift templates as it
was when the roster was generated (`shift_templates`), so a published roster reads the same
after the policy changes. A cell is a worked shift; a day with no cell is a day off."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.models import ShopScoped
from kefu.rota.choices import RequestKind, RequestStatus, RosterStatus

SOLVER_STATUS_LABELS = {
    "OPTIMAL": _("最优解"),
    "FEASIBLE": _("可行解（未证明最优）"),
    "INFEASIBLE": _("无法满足规则"),
    "UNKNOWN": _("限时内未找到排班"),
    "RUNNING": _("求解中"),
}
"""Roster.solver_status codes (kefu.rota.solver.Status and services.RUNNING) as shown."""


class Roster(ShopScoped):
    month = models.CharField(_("月份"), max_length=7, help_text=_("YYYY-MM"))
    status = models.CharField(
        _("状态"), max_length=16, choices=RosterStatus.choices, default=RosterStatus.DRAFT
    )
    policy_version = models.ForeignKey(
        "policy.PolicyVersion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("制度版本"),
    )
    shift_templates = models.JSONField(
        _("班次"),
        default=dict,
        help_text=_("生成时制度中的班次：{key: {label, parts: [[开始分钟, 结束分钟]], night}}"),
    )
    solver_status = models.CharField(_("求解状态"), max_length=16, blank=True)
    objective = models.IntegerField(_("目标值"), null=True, blank=True)
    penalties = models.JSONField(_("罚分明细"), default=dict, blank=True)
    explanations = models.JSONField(_("无法排班的原因"), default=list, blank=True)
    violations = models.JSONField(
        _("违反的规则"), default=list, blank=True, help_text=_("人工修改后重新检查的结果")
    )
    solver_seconds = models.FloatField(_("求解秒数"), null=True, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    generated_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("排班表")
        verbose_name_plural = _("排班表")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "month"], name="roster_one_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.shop_id} {self.month}"

    @property
    def solver_status_label(self) -> str:
        """The solver's verdict in the reader's language (the field keeps the solver's code)."""
        return str(SOLVER_STATUS_LABELS.get(self.solver_status, self.solver_status))

    @property
    def year_month(self) -> tuple[int, int]:
        year, month = self.month.split("-")
        return int(year), int(month)

    def ordered_templates(self) -> list[tuple[str, dict[str, Any]]]:
        """The shift templates by start time (PostgreSQL's jsonb does not keep key order)."""

        def start(item: tuple[str, dict[str, Any]]) -> tuple[int, str]:
            parts = item[1].get("parts") or [[0, 0]]
            return int(parts[0][0]), item[0]

        return sorted(((k, dict(v)) for k, v in self.shift_templates.items()), key=start)

    def template(self, key: str) -> dict[str, Any]:
        return dict(self.shift_templates.get(key) or {"label": key, "parts": [], "night": False})


class RosterShift(ShopScoped):
    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="shifts")
    agent = models.ForeignKey("staff.Agent", on_delete=models.CASCADE, related_name="+")
    local_date = models.DateField(_("日期"))
    shift_key = models.CharField(_("班次"), max_length=32)

    class Meta:
        verbose_name = _("排班")
        verbose_name_plural = _("排班")
        ordering = ["local_date", "agent_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["roster", "agent", "local_date"], name="rostershift_one_per_day"
            )
        ]
        indexes = [models.Index(fields=["shop", "local_date"])]

    def __str__(self) -> str:
        return f"{self.local_date} {self.agent_id} {self.shift_key}"


class Request(ShopScoped):
    """Leave 请假 (the agent is off on the days), a swap 调班 (the agent and the counterpart
    exchange their shifts on the days; with `counterpart_date`, across two days: the
    counterpart works the agent's shift of `start_date` and the agent works the counterpart's
    shift of `counterpart_date`) or a cover 替班 (the counterpart works the agent's shift on
    the days, the agent is off)."""

    kind = models.CharField(_("类型"), max_length=16, choices=RequestKind.choices)
    agent = models.ForeignKey(
        "staff.Agent", on_delete=models.CASCADE, related_name="+", verbose_name=_("申请人")
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    shift_key = models.CharField(_("班次"), max_length=32, blank=True)
    counterpart = models.ForeignKey(
        "staff.Agent",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("对方"),
    )
    counterpart_date = models.DateField(
        _("对方的日期"),
        null=True,
        blank=True,
        help_text=_("跨日调班：申请人上对方这一天的班，对方上申请人开始日期的班"),
    )
    reason = models.TextField(_("事由"), blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_reason = models.TextField(_("审批意见"), blank=True)
    over_allowance = models.PositiveSmallIntegerField(
        _("超出调休额度的天数"), default=0, help_text=_("超出的请假天数按缺勤计（S3）")
    )

    class Meta:
        verbose_name = _("请假/调班申请")
        verbose_name_plural = _("请假/调班申请")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["shop", "status", "start_date"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.agent_id} {self.start_date}..{self.end_date}"

    def days(self) -> list[dt.date]:
        span = (self.end_date - self.start_date).days
        return [self.start_date + dt.timedelta(days=i) for i in range(span + 1)]
