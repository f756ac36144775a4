"""Quality hits 话术质检: one finding of the scanner on one agent message, waiting for the
supervisor's decision. Confirmed and dismissed hits are both kept; a confirmed violation is
also a `Fact` (`quality_hit_confirmed`) for the points and payroll rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.conversations.models import Conversation, Message
from kefu.core.models import ShopScoped
from kefu.performance.models import Fact
from kefu.policy.models import PolicyVersion
from kefu.quality.choices import RULE_LABELS, HitSeverity, HitStatus
from kefu.staff.models import Agent


class QualityHit(ShopScoped):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(
        Agent,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("发送该消息的子账号所绑定的客服；未绑定时为空"),
    )
    rule = models.CharField(_("规则"), max_length=32)
    phrase = models.CharField(_("命中词"), max_length=100, blank=True)
    start = models.PositiveIntegerField(default=0)
    end = models.PositiveIntegerField(default=0)
    severity = models.CharField(_("级别"), max_length=16, choices=HitSeverity.choices)
    clause = models.CharField(_("条款"), max_length=200)
    suggestion = models.CharField(_("建议说法"), max_length=200, blank=True)
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"), max_length=16, choices=HitStatus.choices, default=HitStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)
    fact = models.ForeignKey(
        Fact, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("话术质检")
        verbose_name_plural = _("话术质检")
        ordering = ["-message__at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "rule", "phrase", "start"], name="qualityhit_unique_key"
            )
        ]
        indexes = [models.Index(fields=["shop", "status"], name="qualityhit_shop_status")]

    def __str__(self) -> str:
        return f"{self.rule} {self.phrase}"

    @property
    def rule_label(self) -> str:
        return RULE_LABELS.get(self.rule, self.rule)
