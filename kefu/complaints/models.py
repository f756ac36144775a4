"""The complaint register 投诉处理登记表 (RULEBOOK §9, S4.2 ch.3): record, identify,
investigate, follow up, confirm (valid or not, the agent at fault), archive, analyse, and the
return visit with the customer's evaluation 客户评价单 (a satisfaction score 1-5). A valid
complaint with an agent at fault is a `complaint_valid` fact; fines and points count them per
natural month."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.complaints.choices import Channel, Step
from kefu.conversations.models import Buyer
from kefu.core.models import ShopScoped
from kefu.policy.models import PolicyVersion
from kefu.staff.models import Agent


class Complaint(ShopScoped):
    received_at = models.DateTimeField(_("投诉时间"))
    channel = models.CharField(_("渠道"), max_length=12, choices=Channel.choices)
    buyer = models.ForeignKey(
        Buyer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    buyer_nick = models.CharField(_("买家"), max_length=100, blank=True)
    order_no = models.CharField(_("订单号"), max_length=64, blank=True)
    subject = models.CharField(_("投诉事由"), max_length=120)
    content = models.TextField(_("投诉内容"))
    agent = models.ForeignKey(
        Agent,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("被投诉客服"),
    )
    step = models.CharField(_("当前环节"), max_length=16, choices=Step.choices, default=Step.RECORD)
    cause = models.TextField(_("原因"), blank=True)
    result = models.TextField(_("处理结果"), blank=True)
    valid = models.BooleanField(_("有效投诉"), null=True, blank=True)
    agent_at_fault = models.BooleanField(_("客服责任"), default=False)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    analysis = models.TextField(_("分析与改进"), blank=True)
    visited_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("满意度"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    evaluation = models.TextField(_("客户评价"), blank=True)
    closed_at = models.DateTimeField(_("完结时间"), null=True, blank=True)
    fact_id = models.PositiveIntegerField(_("事实记录"), null=True, blank=True)
    policy_version = models.ForeignKey(
        PolicyVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("投诉")
        verbose_name_plural = _("投诉")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["shop", "received_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True)
                | models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="complaint_satisfaction_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d} {self.subject}"

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


class ComplaintEvent(ShopScoped):
    """One step done, with what was found or done (the register's history)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    step = models.CharField(_("环节"), max_length=16, choices=Step.choices)
    note = models.TextField(_("记录"), blank=True)
    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("投诉处理记录")
        verbose_name_plural = _("投诉处理记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.get_step_display()
