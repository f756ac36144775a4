"""The handover log 交接本 (entries and who acknowledged them), weekly summaries 周工作总结 and
daily records 每日记录."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.models import ShopScoped
from kefu.worklog.choices import SummaryStatus


class HandoverEntry(ShopScoped):
    """What the leaving agent leaves for the next shift to follow up."""

    author = models.ForeignKey(
        "staff.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("交班客服")
    )
    written_at = models.DateTimeField(_("填写时间"))
    shift_date = models.DateField(
        _("班次日期"), help_text=_("作者所在班次的日期（晚班跨零点仍算开始那天）")
    )
    shift_key = models.CharField(_("班次"), max_length=32, blank=True)
    text = models.TextField(_("交接内容"))
    order_nos = models.JSONField(_("订单号"), default=list, blank=True)
    orders = models.ManyToManyField("orders.Order", blank=True, related_name="+")
    buyer_nicks = models.JSONField(_("买家"), default=list, blank=True)
    buyers = models.ManyToManyField("conversations.Buyer", blank=True, related_name="+")
    references = models.TextField(_("其他关联"), blank=True, help_text=_("售后单号、工单等"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("交接记录")
        verbose_name_plural = _("交接记录")
        ordering = ["-written_at", "-id"]
        indexes = [
            models.Index(fields=["shop", "written_at"], name="handover_shop_written"),
            models.Index(fields=["shop", "author", "shift_date"], name="handover_author_day"),
        ]

    def __str__(self) -> str:
        return f"{self.author_id} {self.written_at:%Y-%m-%d %H:%M}"


class HandoverAck(ShopScoped):
    """An arriving agent read an entry 已阅."""

    entry = models.ForeignKey(HandoverEntry, on_delete=models.CASCADE, related_name="acks")
    agent = models.ForeignKey("staff.Agent", on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(_("确认时间"))

    class Meta:
        verbose_name = _("交接确认")
        verbose_name_plural = _("交接确认")
        constraints = [models.UniqueConstraint(fields=["entry", "agent"], name="handoverack_once")]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.agent_id}"


class WeeklySummary(ShopScoped):
    """An agent's summary of one week (Monday `week_start`): a draft until submitted."""

    agent = models.ForeignKey(
        "staff.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("客服")
    )
    week_start = models.DateField(_("周一"))
    text = models.TextField(_("总结"), blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=SummaryStatus.choices, default=SummaryStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("周工作总结")
        verbose_name_plural = _("周工作总结")
        ordering = ["-week_start", "agent_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "agent", "week_start"], name="summary_one_a_week"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.week_start}"


class DailyRecord(ShopScoped):
    """An agent's record of one day (S4.4 §3.5); which items are asked is the policy's."""

    agent = models.ForeignKey(
        "staff.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("客服")
    )
    local_date = models.DateField(_("日期"))
    buyers_received = models.PositiveIntegerField(_("接待人数"), null=True, blank=True)
    buyer_ids = models.TextField(_("接待买家ID"), blank=True)
    buyers_converted = models.PositiveIntegerField(_("成交人数"), null=True, blank=True)
    converted_amount = models.DecimalField(
        _("成交金额"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    product_problems = models.TextField(_("商品问题"), blank=True)
    logistics_problems = models.TextField(_("物流问题"), blank=True)
    service_problems = models.TextField(_("服务问题"), blank=True)
    shipments_by_category = models.TextField(_("分类发货"), blank=True)
    returns_by_category = models.TextField(_("分类退货"), blank=True)
    prefilled = models.JSONField(_("预填来源"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("每日记录")
        verbose_name_plural = _("每日记录")
        ordering = ["-local_date", "agent_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "agent", "local_date"], name="daily_record_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.local_date}"
