"""What the shop keeps about a buyer beyond orders and chats: notes, contacts, manual tags, the
rule-based groups they are in, links to the same person in another shop of the agency, return
visits 回访 and follow-ups. The buyer itself is `kefu.conversations.models.Buyer` (shop,
nickname); everything here hangs off it."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.buyers.choices import (
    Channel,
    ContactKind,
    FollowUpOutcome,
    Group,
    VisitOutcome,
    VisitStatus,
)
from kefu.conversations.models import Buyer
from kefu.core.models import Shop, ShopScoped
from kefu.staff.models import Agent

USER = settings.AUTH_USER_MODEL


class BuyerProfile(ShopScoped):
    """One per buyer that has been erased (PIPL) or otherwise needs a stored state; the figures
    of a profile are computed (kefu.buyers.selectors.buyer_summary)."""

    buyer = models.OneToOneField(Buyer, on_delete=models.CASCADE, related_name="profile")
    erased_at = models.DateTimeField(_("删除个人信息时间"), null=True, blank=True)
    erased_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("买家档案")
        verbose_name_plural = _("买家档案")

    def __str__(self) -> str:
        return str(self.buyer)


class BuyerNote(ShopScoped):
    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("备注"))
    author = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(_("记录人"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("买家备注")
        verbose_name_plural = _("买家备注")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["shop", "buyer"], name="buyernote_shop_buyer")]

    def __str__(self) -> str:
        return self.text[:30]


class BuyerContact(ShopScoped):
    """A contact detail a colleague entered (orders' exports carry their own, read when shown)."""

    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("类型"), max_length=16, choices=ContactKind.choices)
    value = models.CharField(_("内容"), max_length=255)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("买家联系方式")
        verbose_name_plural = _("买家联系方式")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.kind


class BuyerTag(ShopScoped):
    """A manual tag 标签 a colleague put on a buyer."""

    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(_("标签"), max_length=30)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("买家标签")
        verbose_name_plural = _("买家标签")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "buyer", "name"], name="buyertag_unique")
        ]

    def __str__(self) -> str:
        return self.name


class GroupMembership(ShopScoped):
    """A buyer in a rule-based group, as the last recompute found (kefu.buyers.groups)."""

    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="group_memberships")
    group = models.CharField(_("分组"), max_length=16, choices=Group.choices)
    since = models.DateTimeField(_("加入时间"))
    clause = models.CharField(_("条款"), max_length=255, blank=True)
    policy_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("买家分组")
        verbose_name_plural = _("买家分组")
        constraints = [
            models.UniqueConstraint(fields=["shop", "buyer", "group"], name="groupmember_unique")
        ]
        indexes = [models.Index(fields=["shop", "group"], name="groupmember_shop_group")]

    def __str__(self) -> str:
        return f"{self.buyer_id} {self.group}"


class BuyerLink(ShopScoped):
    """The same person in another shop of the same agency, linked by a supervisor (never
    guessed). Stored once per side, so each shop sees its own row."""

    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="links")
    other = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="+")
    other_shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("同一买家关联")
        verbose_name_plural = _("同一买家关联")
        constraints = [models.UniqueConstraint(fields=["buyer", "other"], name="buyerlink_unique")]

    def __str__(self) -> str:
        return f"{self.buyer_id} = {self.other_id}"


class ReturnVisit(ShopScoped):
    """One scheduled return visit 回访 and, once made, how it went."""

    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="return_visits")
    due_on = models.DateField(_("应回访日期"))
    agent = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=8, choices=VisitStatus.choices, default=VisitStatus.DUE
    )
    channel = models.CharField(_("方式"), max_length=8, choices=Channel.choices, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, choices=VisitOutcome.choices, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("满意度"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    remark = models.TextField(_("回访记录"), blank=True)
    done_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    clause = models.CharField(_("条款"), max_length=255, blank=True)
    policy_version = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("回访")
        verbose_name_plural = _("回访")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "buyer", "due_on"], name="visit_unique_due"),
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True)
                | models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="visit_satisfaction_1_5",
            ),
        ]
        indexes = [models.Index(fields=["shop", "status", "due_on"], name="visit_shop_status")]

    def __str__(self) -> str:
        return f"{self.buyer_id} {self.due_on}"


class FollowUp(ShopScoped):
    """A potential buyer contacted from the follow-up list, with the phrase suggested."""

    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="follow_ups")
    agent = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    phrase_text = models.TextField(_("话术"), blank=True)
    outcome = models.CharField(_("结果"), max_length=16, choices=FollowUpOutcome.choices)
    remark = models.TextField(_("说明"), blank=True)
    contacted_at = models.DateTimeField(_("联系时间"))
    recorded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("跟进记录")
        verbose_name_plural = _("跟进记录")
        ordering = ["-contacted_at", "-id"]
        indexes = [models.Index(fields=["shop", "contacted_at"], name="followup_shop_at")]

    def __str__(self) -> str:
        return f"{self.buyer_id} {self.outcome}"
