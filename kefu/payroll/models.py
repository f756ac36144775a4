"""Payroll runs with their payslips and lines, and the fines fund (S4.1 部门基金).

A run is a draft until the supervisor locks it; a locked run never changes: a correction is a
new run (`corrects`) whose differences are stored with it. The fund is an append-only ledger:
fines paid in (positive), spendings out (negative), a reversed fine paid back (negative)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.models import ShopScoped
from kefu.payroll.choices import FundDirection, RunStatus
from kefu.performance.models import FineEntry, MonthClose
from kefu.policy.models import PolicyVersion
from kefu.staff.models import Agent


class PayrollRun(ShopScoped):
    month = models.CharField(_("月份"), max_length=7, db_index=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=RunStatus.choices, default=RunStatus.DRAFT
    )
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    month_close = models.ForeignKey(MonthClose, on_delete=models.PROTECT, related_name="+")
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    differences = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("工资核算")
        verbose_name_plural = _("工资核算")
        ordering = ["-month", "-id"]

    def __str__(self) -> str:
        return f"{self.month} #{self.pk}"

    @property
    def locked(self) -> bool:
        return self.status == RunStatus.LOCKED


class Payslip(ShopScoped):
    run = models.ForeignKey(PayrollRun, on_delete=models.CASCADE, related_name="payslips")
    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("级别"), max_length=32)
    on_probation = models.BooleanField(_("试用期"), default=False)
    total = models.DecimalField(_("实发"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("工资条")
        verbose_name_plural = _("工资条")
        ordering = ["agent__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "agent"], name="payslip_one_per_agent")
        ]

    def __str__(self) -> str:
        return f"{self.agent} {self.run.month}"


class PayslipLine(ShopScoped):
    payslip = models.ForeignKey(Payslip, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=32)
    label = models.CharField(_("项目"), max_length=50)
    amount = models.DecimalField(_("金额"), max_digits=12, decimal_places=2)
    clause = models.CharField(_("条款"), max_length=200)
    rule = models.CharField(_("规则"), max_length=100, blank=True)
    explanation = models.TextField(_("说明"))
    fact_ids = models.JSONField(default=list)
    """The engine's references: `F<pk>` a fact, other strings an award's or sales' source."""

    class Meta:
        verbose_name = _("工资条明细")
        verbose_name_plural = _("工资条明细")
        ordering = ["payslip", "position"]


class FundEntry(ShopScoped):
    direction = models.CharField(_("方向"), max_length=8, choices=FundDirection.choices)
    amount = models.DecimalField(
        _("金额"), help_text=_("收入为正，支出为负"), max_digits=12, decimal_places=2
    )
    purpose = models.CharField(_("用途"), max_length=200)
    on = models.DateField(_("日期"))
    fine = models.OneToOneField(
        FineEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="fund_entry"
    )
    clause = models.CharField(_("条款"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("罚款基金")
        verbose_name_plural = _("罚款基金")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.on} {self.amount}"

    @property
    def is_in(self) -> bool:
        return self.amount > Decimal(0)
