"""Orders imported from the platforms' exports, their goods lines, status history, after-sales
records and the import batches that brought them in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.models import Shop, ShopScoped
from kefu.orders.choices import AfterSaleKind, FlagColour, FlagKind, OrderStatus, ReminderOutcome
from kefu.orders.fields import RawJSONField, RawRowField, ValuesCharField
from kefu.staff.models import Agent


class ImportBatch(ShopScoped):
    """One imported file: what it was, who brought it in and what it changed."""

    file_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(_("格式"), max_length=32)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("未变"), default=0)
    warnings = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.kind})"


class RawHeader(models.Model):
    """The header of an export, stored once: an order's raw row is its cells beside this
    header's key (importers/rawcells.py, ADR 0010). The key is the MD5 of the names, so one
    header serves every file and shop that exports it; names only, no shop's data."""

    key = models.CharField(max_length=16, unique=True)
    names = models.JSONField()

    class Meta:
        verbose_name = _("导出表头")
        verbose_name_plural = _("导出表头")

    def __str__(self) -> str:
        return self.key


class Order(ShopScoped):
    # Three foreign keys without their own index: the unique (shop, order_no) serves lookups
    # by shop, and nothing looks orders up by batch or flagging agent. Each index is written
    # for every imported order (bench/README.md, Order import).
    # Nor are they checked by the database: the import sets all three (its shop, the batch it
    # made, an agent of the shop it just read) in the transaction that writes the order, and
    # the checks, one per key and order at COMMIT, were 14 s of a million-order import
    # (bench/README.md, Order import). Django still applies their on_delete rules (CASCADE,
    # PROTECT, SET_NULL), and every form and service gives them existing rows.
    shop = models.ForeignKey(
        Shop, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    platform = models.CharField(_("平台"), max_length=16)
    order_no = models.CharField(_("订单号"), max_length=64)
    buyer_nick = models.CharField(_("买家"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=OrderStatus.choices)
    status_text = models.CharField(_("平台状态"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("下单时间"), null=True, blank=True)
    paid_at = models.DateTimeField(_("付款时间"), null=True, blank=True)
    total_amount = models.DecimalField(
        _("应付金额"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    paid_amount = models.DecimalField(
        _("实付金额"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    refund_amount = models.DecimalField(
        _("退款金额"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    flag = models.CharField(_("旗帜"), max_length=8, choices=FlagColour.choices, blank=True)
    seller_note = models.TextField(_("卖家备注"), blank=True)
    buyer_message = models.TextField(_("买家留言"), blank=True)
    flag_kind = models.CharField(max_length=16, choices=FlagKind.choices, blank=True)
    flag_agent = models.ForeignKey(
        Agent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    flag_agent_name = models.CharField(_("插旗客服"), max_length=50, blank=True)
    flag_content = models.CharField(_("特殊要求"), max_length=255, blank=True)
    split_into = models.JSONField(default=list, blank=True)  # JD: "订单拆分为 …"
    # The export's row as read, unknown columns included: stored as cells beside its header.
    raw = RawRowField(default=dict)
    row_hash = models.CharField(max_length=32, blank=True)  # unchanged rows are not rewritten
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.PROTECT,
        related_name="orders",
        db_index=False,
        db_constraint=False,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("订单")
        verbose_name_plural = _("订单")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["shop", "order_no"], name="order_unique_no")]
        indexes = [
            models.Index(fields=["shop", "status", "created_at"]),
            # A buyer's orders (profile, list figures, notes beside the buyer): the buyers
            # list computes each buyer's total from it, 6,000 buyers by 6,000 orders without.
            models.Index(fields=["shop", "buyer_nick", "status"]),
        ]

    def __str__(self) -> str:
        return self.order_no


class OrderLine(ShopScoped):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    line_no = models.CharField(_("子订单"), max_length=64)
    title = models.CharField(_("商品"), max_length=255, blank=True)
    sku = models.CharField(_("商家编码"), max_length=100, blank=True)
    quantity = models.IntegerField(_("数量"), default=0)
    price = models.DecimalField(_("单价"), max_digits=14, decimal_places=2, null=True, blank=True)
    raw = RawJSONField(default=dict)
    row_hash = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("订单商品")
        verbose_name_plural = _("订单商品")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "line_no"], name="orderline_unique_no")
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.line_no}"


class OrderStatusChange(ShopScoped):
    """Append-only: each state an import saw an order move into.

    No foreign key here is checked by the database: the shop is the order's shop, the batch
    the import that wrote the row and the order one whose id the import took from the orders'
    sequence and wrote in the same transaction, all set by the import alone. Each check was
    one per imported order at COMMIT (bench/README.md, Order import). Django still applies
    their on_delete rules (an order's deletion takes its history with it). History is read by
    order only, so only the order has an index; the shop's and batch's were two index entries
    written per imported order and read by nothing."""

    shop = models.ForeignKey(
        Shop, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="status_changes", db_constraint=False
    )
    from_status = models.CharField(max_length=16, blank=True)
    to_status = ValuesCharField(max_length=16)
    from_text = models.CharField(max_length=64, blank=True)
    to_text = models.CharField(max_length=64, blank=True)
    seen_at = models.DateTimeField()
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )

    class Meta:
        verbose_name = _("订单状态变化")
        verbose_name_plural = _("订单状态变化")
        ordering = ["order", "seen_at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status} → {self.to_status}"


class AfterSale(ShopScoped):
    """A refund/after-sales request or a compensation payment read from an export."""

    platform = models.CharField(max_length=16)
    kind = models.CharField(max_length=16, choices=AfterSaleKind.choices)
    ref_no = models.CharField(_("单号"), max_length=64)
    order_no = models.CharField(_("订单号"), max_length=64)
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="after_sales"
    )
    status = models.CharField(_("状态"), max_length=64, blank=True)
    applied_at = models.DateTimeField(_("申请时间"), null=True, blank=True)
    amount = models.DecimalField(_("金额"), max_digits=14, decimal_places=2, null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=255, blank=True)
    applicant = models.CharField(_("申请人"), max_length=100, blank=True)
    raw = RawJSONField(default=dict)
    row_hash = models.CharField(max_length=32, blank=True)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("售后/打款")
        verbose_name_plural = _("售后/打款")
        ordering = ["-applied_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "kind", "ref_no"], name="aftersale_unique_no")
        ]

    def __str__(self) -> str:
        return self.ref_no


class ReminderBatch(ShopScoped):
    """One day's unpaid-order reminder round 催付 (policy orders.unpaid_reminder): made once at
    the policy's time, worked by one agent (from the roster, else the supervisor's choice)."""

    day = models.DateField(_("日期"))
    due_at = models.DateTimeField(_("催付时间"))
    agent = models.ForeignKey(
        Agent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("负责客服"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # null with an agent: taken from the roster
    min_age_hours = models.PositiveIntegerField(_("未付款满（小时）"))
    mark_flag = models.CharField(_("标记旗帜"), max_length=8, blank=True)
    policy_version = models.PositiveIntegerField(_("制度版本"))
    clause = models.CharField(_("条款"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("催付批次")
        verbose_name_plural = _("催付批次")
        ordering = ["-day", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "day"], name="reminderbatch_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.shop_id} {self.day}"


class Reminder(ShopScoped):
    """One unpaid order on a reminder list. An order is listed once, ever (the constraint), so
    no buyer is reminded twice about the same order."""

    batch = models.ForeignKey(ReminderBatch, on_delete=models.CASCADE, related_name="reminders")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="reminders")
    buyer = models.ForeignKey(
        "conversations.Buyer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    buyer_nick = models.CharField(_("买家"), max_length=100, blank=True)
    order_created_at = models.DateTimeField(_("下单时间"), null=True, blank=True)
    amount = models.DecimalField(_("金额"), max_digits=14, decimal_places=2, null=True, blank=True)
    reminded_at = models.DateTimeField(_("催付时间"), null=True, blank=True)
    reminded_by = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The agent whose share of a split list this order is (policy unpaid_reminder.one_agent:
    # false); empty when one agent works the whole batch (ReminderBatch.agent).
    agent = models.ForeignKey(
        Agent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("负责客服"),
    )
    flag = models.CharField(_("旗帜"), max_length=8, choices=FlagColour.choices, blank=True)
    outcome = models.CharField(
        _("结果"), max_length=8, choices=ReminderOutcome.choices, default=ReminderOutcome.PENDING
    )
    outcome_at = models.DateTimeField(_("结果时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("催付")
        verbose_name_plural = _("催付")
        ordering = ["batch", "buyer_nick", "order_created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "order"], name="reminder_once_per_order")
        ]
        indexes = [models.Index(fields=["shop", "outcome"])]

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.order_id}"
