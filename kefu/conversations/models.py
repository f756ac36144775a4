"""Chat records: buyers, the shop's chat accounts, conversations (one buyer, one shop-local day),
messages, the import batches that brought them, days waiting for a KPI recompute, and the
platforms' own 客服绩效 figures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.conversations.choices import Direction, ImportFormat, Kind
from kefu.core.models import ShopScoped


class Buyer(ShopScoped):
    """A buyer by platform nickname. Its integer pk is the KPI engine's `buyer_id`."""

    nickname = models.CharField(_("买家"), max_length=100)

    class Meta:
        verbose_name = _("买家")
        verbose_name_plural = _("买家")
        constraints = [
            models.UniqueConstraint(fields=["shop", "nickname"], name="buyer_unique_nick")
        ]

    def __str__(self) -> str:
        return self.nickname


class ChatAccount(ShopScoped):
    """A shop-side nickname seen in chats (`店名` main account or `店名:小美` sub-account). The
    agent behind it is `kefu.staff.SubAccount`, looked up by nickname when read, so binding a
    nickname later needs no rewrite of messages."""

    nickname = models.CharField(_("子账号"), max_length=100)
    is_main = models.BooleanField(_("主账号"), default=False)
    first_seen_at = models.DateTimeField(_("首次出现"))
    last_seen_at = models.DateTimeField(_("最近出现"))

    class Meta:
        verbose_name = _("聊天账号")
        verbose_name_plural = _("聊天账号")
        constraints = [
            models.UniqueConstraint(fields=["shop", "nickname"], name="chataccount_unique_nick")
        ]

    def __str__(self) -> str:
        return self.nickname


class Conversation(ShopScoped):
    """One buyer's messages on one shop-local day: the page other features link to as evidence."""

    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="conversations")
    day = models.DateField(_("日期"))
    first_at = models.DateTimeField(_("开始"), null=True)
    last_at = models.DateTimeField(_("结束"), null=True)
    message_count = models.PositiveIntegerField(_("消息数"), default=0)

    class Meta:
        verbose_name = _("会话")
        verbose_name_plural = _("会话")
        ordering = ["-day", "-first_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "buyer", "day"], name="conversation_unique_day")
        ]
        indexes = [
            models.Index(fields=["shop", "day"], name="conversation_shop_day"),
            # The buyers-waiting board (every 30 s): the last day's conversations and the
            # latest imported one (waiting_selectors).
            models.Index(fields=["shop", "last_at"], name="conversation_shop_last_at"),
        ]

    def __str__(self) -> str:
        return f"{self.buyer_id} {self.day}"


class ImportBatch(ShopScoped):
    """One imported file (or API batch): what came in and what was new."""

    name = models.CharField(_("文件"), max_length=255)
    format = models.CharField(_("格式"), max_length=16, choices=ImportFormat.choices)
    sha256 = models.CharField(max_length=64, blank=True)
    rows = models.PositiveIntegerField(_("读取条数"), default=0)
    added = models.PositiveIntegerField(_("新增条数"), default=0)
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
        return self.name


class Message(ShopScoped):
    """One chat message. Identity (idempotent re-import): shop, buyer, sender, time, text hash and
    the sequence among identical messages in the same second."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="+")
    sender = models.CharField(_("发送人"), max_length=100)
    direction = models.CharField(_("方向"), max_length=8, choices=Direction.choices)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    at = models.DateTimeField(_("时间"))
    text = models.TextField(_("内容"), blank=True)
    text_hash = models.CharField(max_length=16)
    seq = models.PositiveSmallIntegerField(default=0)
    # The shop-side account holding the buyer: the sender for the shop's messages, the account
    # whose window a buyer message landed in (null: nobody yet, or a left message).
    holder = models.ForeignKey(
        ChatAccount, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    transfer_to = models.ForeignKey(
        ChatAccount, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "buyer", "sender", "at", "text_hash", "seq"],
                name="message_identity",
            )
        ]
        indexes = [models.Index(fields=["shop", "at"], name="message_shop_at")]

    def __str__(self) -> str:
        return f"{self.sender} {self.at:%Y-%m-%d %H:%M:%S}"


class DirtyDay(ShopScoped):
    """A shop-local day whose KPIs must be recomputed (a nickname bound after its import)."""

    day = models.DateField(_("日期"))
    reason = models.CharField(_("原因"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("待重算日期")
        verbose_name_plural = _("待重算日期")
        constraints = [models.UniqueConstraint(fields=["shop", "day"], name="dirtyday_unique")]

    def __str__(self) -> str:
        return str(self.day)


class PlatformStat(ShopScoped):
    """One figure of the platform's own 客服绩效 report (赤兔 / 千牛 xlsx), as the platform
    computed it, for comparison with Kefu's. `pending`: the report read 延迟统计."""

    date_from = models.DateField(_("开始日期"))
    date_to = models.DateField(_("结束日期"))
    nickname = models.CharField(_("客服昵称"), max_length=100)
    metric = models.CharField(_("指标"), max_length=64)
    value = models.DecimalField(_("数值"), max_digits=18, decimal_places=4, null=True)
    raw = models.CharField(_("原文"), max_length=64, blank=True)
    pending = models.BooleanField(_("延迟统计"), default=False)
    batch = models.ForeignKey(ImportBatch, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("平台绩效数据")
        verbose_name_plural = _("平台绩效数据")
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "date_from", "date_to", "nickname", "metric"],
                name="platformstat_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.nickname} {self.metric}"


class _KpiFigures(ShopScoped):
    """The figures a day's snapshot keeps as columns (for sorting and for adding days up); the
    engine's every column of that day is in `data`. Ratios are derived from the totals, so a
    month is the sum of its days (docs/kpi.md, "Snapshots")."""

    local_date = models.DateField(_("日期"))
    policy_version = models.ForeignKey(
        "policy.PolicyVersion", on_delete=models.PROTECT, related_name="+"
    )
    consulted = models.PositiveIntegerField(_("咨询人数"), default=0)
    served = models.PositiveIntegerField(_("接待人数"), default=0)
    inquiries = models.PositiveIntegerField(_("询单人数"), default=0)
    rounds = models.PositiveIntegerField(_("轮次"), default=0)
    answered_rounds = models.PositiveIntegerField(_("已回复轮次"), default=0)
    left_rounds = models.PositiveIntegerField(_("留言轮次"), default=0)
    fast_rounds = models.PositiveIntegerField(_("3分钟内回复轮次"), default=0)
    slow_rounds = models.PositiveIntegerField(_("慢响应轮次"), default=0)
    unanswered_buyers = models.PositiveIntegerField(_("未回复人数"), default=0)
    first_response_total_s = models.BigIntegerField(default=0)
    first_response_count = models.PositiveIntegerField(default=0)
    response_total_s = models.BigIntegerField(default=0)
    response_count = models.PositiveIntegerField(default=0)
    # Conversion counts: null while pending (the reports' 延迟统计).
    ordered_same_day = models.PositiveIntegerField(_("询单→当日下单"), null=True)
    ordered_final = models.PositiveIntegerField(_("询单→最终下单"), null=True)
    paid_final = models.PositiveIntegerField(_("询单→最终付款"), null=True)
    sales = models.DecimalField(_("销售额"), max_digits=14, decimal_places=2, default=0)
    orders = models.PositiveIntegerField(_("销售订单数"), default=0)
    sales_pending = models.BooleanField(_("销售待定"), default=False)
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        abstract = True

    @property
    def first_response_s(self) -> float | None:
        n = self.first_response_count
        return self.first_response_total_s / n if n else None

    @property
    def avg_response_s(self) -> float | None:
        n = self.response_count
        return self.response_total_s / n if n else None


class ShopDayKpi(_KpiFigures):
    """The shop's KPIs of one local day, computed under `policy_version`."""

    class Meta:
        verbose_name = _("店铺日指标")
        verbose_name_plural = _("店铺日指标")
        ordering = ["local_date"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "local_date"], name="shopdaykpi_unique")
        ]

    def __str__(self) -> str:
        return f"{self.shop_id} {self.local_date}"


class AgentDayKpi(_KpiFigures):
    """One agent's KPIs of one local day (agent null: rounds no bound agent answered)."""

    agent = models.ForeignKey(
        "staff.Agent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("客服日指标")
        verbose_name_plural = _("客服日指标")
        ordering = ["local_date", "agent_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "local_date", "agent"], name="agentdaykpi_unique"
            )
        ]
        indexes = [models.Index(fields=["shop", "agent", "local_date"], name="agentdaykpi_agent")]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.local_date}"


class HourKpi(ShopScoped):
    """分时接待: one local hour of one day, the shop's (agent null) or one agent's."""

    local_date = models.DateField(_("日期"))
    hour = models.PositiveSmallIntegerField(_("小时"))
    agent = models.ForeignKey(
        "staff.Agent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consulted = models.PositiveIntegerField(_("咨询人数"), default=0)
    served = models.PositiveIntegerField(_("接待人数"), default=0)
    rounds = models.PositiveIntegerField(_("轮次"), default=0)
    answered_rounds = models.PositiveIntegerField(_("已回复轮次"), default=0)
    slow_rounds = models.PositiveIntegerField(_("慢响应轮次"), default=0)
    response_total_s = models.BigIntegerField(default=0)
    response_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("分时指标")
        verbose_name_plural = _("分时指标")
        ordering = ["local_date", "hour"]
        indexes = [models.Index(fields=["shop", "local_date"], name="hourkpi_shop_day")]

    def __str__(self) -> str:
        return f"{self.local_date} {self.hour}"
