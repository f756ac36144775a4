"""Punches 打卡记录 and the punch-machine files they came from.

Shift results are not stored: the classifier recomputes them from the roster and the punches
(fast, and always in step with a late import); what is stored is the facts they produced
(kefu.performance Fact, source "attendance")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.attendance.choices import PunchDirection, PunchSource
from kefu.core.models import ShopScoped


class PunchImport(ShopScoped):
    """One imported punch-machine file."""

    file_name = models.CharField(_("文件"), max_length=255)
    sha256 = models.CharField(max_length=64)
    encoding = models.CharField(_("编码"), max_length=16, blank=True)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    added = models.PositiveIntegerField(_("新增打卡"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考勤导入")
        verbose_name_plural = _("考勤导入")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class Punch(ShopScoped):
    agent = models.ForeignKey(
        "staff.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("客服")
    )
    at = models.DateTimeField(_("打卡时间"))
    source = models.CharField(_("来源"), max_length=8, choices=PunchSource.choices)
    direction = models.CharField(
        _("方向"), max_length=4, choices=PunchDirection.choices, blank=True, default=""
    )
    device = models.CharField(_("设备"), max_length=100, blank=True)
    raw = models.JSONField(_("原始行"), default=dict, blank=True)
    batch = models.ForeignKey(
        PunchImport, null=True, blank=True, on_delete=models.PROTECT, related_name="punches"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("打卡记录")
        verbose_name_plural = _("打卡记录")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "agent", "at"], name="punch_unique_instant")
        ]
        indexes = [models.Index(fields=["shop", "at"], name="punch_shop_at")]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.at:%Y-%m-%d %H:%M:%S}"
