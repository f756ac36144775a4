"""After-sales cases 售后 (one of the six types of RULEBOOK §7, each with the policy's path and
deadlines), their event log and photo evidence, and the compensation ledger 打款登记 (append-only;
finance signs; a signed entry is only ever reversed by a new one)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.aftersales.choices import (
    CaseStatus,
    CaseType,
    Direction,
    EventKind,
    Party,
    Remedy,
)
from kefu.core.models import ShopScoped
from kefu.staff.models import Agent


class Case(ShopScoped):
    type = models.CharField(_("类型"), max_length=24, choices=CaseType.choices)
    label = models.CharField(_("名称"), max_length=50)  # the policy's label when opened
    status = models.CharField(
        _("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order_no = models.CharField(_("订单号"), max_length=64, blank=True)
    buyer = models.ForeignKey(
        "conversations.Buyer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    buyer_nick = models.CharField(_("买家"), max_length=100, blank=True)
    agent = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    description = models.TextField(_("问题描述"), blank=True)
    # The path as the policy gave it when the case was opened.
    steps = models.JSONField(_("处理步骤"), default=list)
    steps_done = models.JSONField(default=list)  # indexes into steps
    remedies_allowed = models.JSONField(default=list)
    photo_evidence = models.BooleanField(default=False)
    record_party_at_fault = models.BooleanField(default=True)
    weekly_meeting = models.BooleanField(_("周例会"), default=True)
    policy_version = models.PositiveIntegerField(_("制度版本"))
    clause = models.CharField(_("条款"), max_length=255, blank=True)
    # Deadlines (policy first_action_hours, resolve_days).
    opened_at = models.DateTimeField(_("登记时间"))
    first_action_due = models.DateTimeField(_("首次联系期限"))
    resolve_due = models.DateTimeField(_("解决期限"))
    first_action_at = models.DateTimeField(_("首次联系"), null=True, blank=True)
    # When the owner and the supervisors were told a deadline had passed (once per deadline).
    first_action_overdue_noticed_at = models.DateTimeField(null=True, blank=True)
    resolve_overdue_noticed_at = models.DateTimeField(null=True, blank=True)
    chat_read_at = models.DateTimeField(_("查看聊天记录"), null=True, blank=True)
    # The outcome.
    signed_for = models.BooleanField(_("已签收"), null=True, blank=True)
    party_at_fault = models.CharField(_("责任方"), max_length=16, choices=Party.choices, blank=True)
    fault_note = models.TextField(_("责任说明"), blank=True)
    resolution = models.CharField(_("处理结果"), max_length=16, choices=Remedy.choices, blank=True)
    coupon = models.BooleanField(_("发放优惠券"), default=False)
    resolution_note = models.TextField(_("处理说明"), blank=True)
    resolved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("售后")
        verbose_name_plural = _("售后")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["shop", "status", "opened_at"])]

    def __str__(self) -> str:
        return f"{self.label} #{self.pk}"


class CaseEvent(ShopScoped):
    """What happened to a case, in order. Append-only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("售后记录")
        verbose_name_plural = _("售后记录")
        ordering = ["case", "at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


def _photo_path(instance: Photo, filename: str) -> str:
    return f"aftersales/{instance.shop_id}/{instance.case_id}/{filename}"


class Photo(ShopScoped):
    """Photo evidence from the buyer, checked by content (JPEG, PNG, GIF, WebP) and size."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=_photo_path, max_length=255)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=32)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("凭证照片")
        verbose_name_plural = _("凭证照片")
        ordering = ["case", "uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "sha256"], name="photo_once_per_case")
        ]

    def __str__(self) -> str:
        return self.original_name or str(self.pk)


class LedgerError(Exception):
    """An attempt to change or delete a ledger entry: corrections are reversing entries."""


class PaymentQuerySet(models.QuerySet["Payment"]):
    def update(self, **kwargs: Any) -> int:
        raise LedgerError("the compensation ledger is append-only: add a reversing entry")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise LedgerError("the compensation ledger is append-only: add a reversing entry")


SIGN_FIELDS = frozenset({"signed_at", "signed_by_id"})


class Payment(ShopScoped):
    """One payment in or out (S4.4 §4.3: every payment, however small, is listed, signed and
    handed to finance). Append-only: nothing is edited or deleted; the one change allowed is
    finance's signature on an unsigned entry. A mistake is undone by a reversing entry."""

    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    order_no = models.CharField(_("订单号"), max_length=64, blank=True)
    buyer_nick = models.CharField(_("买家"), max_length=100, blank=True)
    direction = models.CharField(_("收支"), max_length=4, choices=Direction.choices)
    amount = models.DecimalField(_("金额"), max_digits=12, decimal_places=2)
    content = models.CharField(_("内容"), max_length=100)
    agent = models.ForeignKey(
        Agent, on_delete=models.PROTECT, related_name="+", verbose_name=_("经办客服")
    )
    note = models.CharField(_("备注"), max_length=150)  # policy refund_note: 删除中评_慧兰
    paid_on = models.DateField(_("打款日期"))
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    policy_version = models.PositiveIntegerField(_("制度版本"))
    clause = models.CharField(_("条款"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("登记时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("财务签字时间"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("打款登记")
        verbose_name_plural = _("打款登记")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(note=""), name="payment_has_note"),
            models.CheckConstraint(
                condition=models.Q(reverses__isnull=False) | models.Q(amount__gt=0),
                name="payment_positive_unless_reversal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.amount} {self.note}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._adding():
            stored = Payment.objects.get(pk=self.pk)
            if stored.signed_at is not None:
                raise LedgerError(f"payment {self.pk} is signed: add a reversing entry")
            changed = {
                f.attname
                for f in self._meta.concrete_fields
                if getattr(stored, f.attname) != getattr(self, f.attname)
            }
            if not changed <= SIGN_FIELDS:
                raise LedgerError(
                    f"payment {self.pk} cannot change {sorted(changed - SIGN_FIELDS)}: "
                    "add a reversing entry"
                )
        super().save(*args, **kwargs)

    def _adding(self) -> bool:
        return bool(self._state.adding)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise LedgerError("the compensation ledger is append-only: add a reversing entry")
