"""Mid and negative reviews 中差评 and their follow-up (RULEBOOK §8, S4.3/S4.4 §4.2): one row per
review, imported from the TOP TradeRate API answer or a CSV, graded by the policy's severity
rules, then worked: message on Wangwang with the edit link, SMS, and a phone call in the call
windows when the buyer has not answered within the policy's hours."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.conversations.models import Buyer
from kefu.core.models import ShopScoped
from kefu.policy.models import PolicyVersion
from kefu.reviews.choices import (
    CONTACT_DONE_LABELS,
    ContactChannel,
    ContactOutcome,
    Progress,
    Rating,
    ReviewStatus,
    Severity,
)
from kefu.staff.models import Agent


class Review(ShopScoped):
    platform_review_id = models.CharField(_("评价编号"), max_length=64)
    order_no = models.CharField(_("订单号"), max_length=64, db_index=True)
    sub_order_no = models.CharField(_("子订单号"), max_length=64, blank=True)
    buyer = models.ForeignKey(
        Buyer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    buyer_nick = models.CharField(_("旺旺ID"), max_length=100)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    item_title = models.CharField(_("购买物品"), max_length=200, blank=True)
    item_id = models.CharField(_("商品ID"), max_length=40, blank=True)
    rating = models.CharField(_("评价结果"), max_length=8, choices=Rating.choices)
    content = models.TextField(_("评价内容"), blank=True)
    rated_at = models.DateTimeField(_("评价时间"))
    append_content = models.TextField(_("追加评论"), blank=True)
    append_at = models.DateTimeField(_("追评时间"), null=True, blank=True)
    reply = models.TextField(_("商家解释"), blank=True)
    severity = models.CharField(
        _("严重程度"), max_length=8, choices=Severity.choices, blank=True, default=""
    )
    severity_reason = models.CharField(_("定级依据"), max_length=200, blank=True)
    severity_set_by_hand = models.BooleanField(_("人工定级"), default=False)
    status = models.CharField(
        _("状态"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.OPEN
    )
    progress = models.CharField(
        _("进展状况"), max_length=20, choices=Progress.choices, blank=True, default=""
    )
    promised_by = models.DateField(_("答应修改日期"), null=True, blank=True)
    handler = models.ForeignKey(
        Agent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("处理客服"),
    )
    first_contact_at = models.DateTimeField(_("首次联系"), null=True, blank=True)
    phone_due_at = models.DateTimeField(_("电话沟通时间"), null=True, blank=True)
    caused_by = models.ForeignKey(
        Agent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("责任客服"),
        help_text=_("因客服原因导致的中差评"),
    )
    fact_id = models.PositiveIntegerField(_("事实记录"), null=True, blank=True)
    policy_version = models.ForeignKey(
        PolicyVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("来源"), max_length=16)
    source_file = models.CharField(_("文件"), max_length=200, blank=True)
    raw = models.JSONField(_("原始记录"), default=dict, blank=True)
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("中差评")
        verbose_name_plural = _("中差评")
        ordering = ["-rated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "platform_review_id"], name="review_unique_platform_id"
            )
        ]
        indexes = [models.Index(fields=["shop", "status", "severity"])]

    def __str__(self) -> str:
        return f"{self.buyer_nick} {self.get_rating_display()} {self.order_no}"

    @property
    def needs_follow_up(self) -> bool:
        return bool(self.severity)

    @property
    def contact_status(self) -> str:
        """The seeds' 处理状态: the last contact made (已旺旺留言 / 已发送短信 / 已电话沟通)."""
        contacts = sorted(self.contacts.all(), key=lambda c: (c.at, c.pk or 0))  # prefetched
        return str(CONTACT_DONE_LABELS[ContactChannel(contacts[-1].channel)]) if contacts else ""


class ReviewContact(ShopScoped):
    """One contact attempt: a Wangwang message (with the edit link), an SMS or a phone call."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="contacts")
    channel = models.CharField(_("方式"), max_length=8, choices=ContactChannel.choices)
    outcome = models.CharField(_("结果"), max_length=12, choices=ContactOutcome.choices)
    at = models.DateTimeField(_("时间"))
    link = models.URLField(_("修改评价链接"), max_length=500, blank=True)
    note = models.TextField(_("记录"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("联系记录")
        verbose_name_plural = _("联系记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.get_outcome_display()}"
