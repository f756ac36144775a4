"""Facts, incidents and the month's ledgers of points, fines and recommendations.

The ledgers are append-only: a correction run never edits or deletes an entry, it writes a
reversing entry (the same line with the opposite sign, `reverses` pointing at it) and the new
lines. Every entry carries the policy version and clause that produced it and the facts and
incidents behind it (their primary keys)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.models import ShopScoped
from kefu.performance.choices import CloseKind, FineKind, RecommendationStatus
from kefu.policy.models import PolicyVersion
from kefu.policy.schema.vocab import FACTS
from kefu.staff.models import Agent


class LiveFactManager(models.Manager["Fact"]):
    """Facts in force: a withdrawn (voided) fact is hidden from every reader (the month close,
    points, payroll, reports) without them saying so."""

    def get_queryset(self) -> models.QuerySet[Fact]:
        return super().get_queryset().filter(voided_at__isnull=True)


class Fact(ShopScoped):
    """Something that happened to an agent, written by a capability (attendance, KPIs,
    quality) or by hand. `source_ref` makes a capability's writes idempotent.

    A capability withdraws a fact it no longer finds (later punches, leave approved after the
    fact, a late handover) by voiding it (`kefu.performance.services.facts_withdraw`): the row
    stays for the audit (`Fact.all_objects`), `Fact.objects` no longer shows it. Recording the
    same (source, source_ref) again restores it."""

    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(_("事实"), max_length=64, help_text=_("制度词汇表中的事实代码"))
    occurred_at = models.DateTimeField(_("发生时间"))
    local_date = models.DateField(_("业务日期"), db_index=True)
    quantity = models.PositiveIntegerField(_("次数"), default=1)
    minutes = models.PositiveIntegerField(_("分钟"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=32, default="manual")
    source_ref = models.CharField(_("来源编号"), max_length=128, blank=True)
    evidence = models.JSONField(_("证据"), default=dict, blank=True)
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    voided_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    void_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = LiveFactManager()
    all_objects = models.Manager()

    class Meta:
        verbose_name = _("事实")
        verbose_name_plural = _("事实")
        ordering = ["occurred_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "source", "source_ref"],
                condition=~models.Q(source_ref=""),
                name="fact_unique_source_ref",
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.local_date}"

    @property
    def label(self) -> str:
        return FACTS.get(self.key, self.key)


class Incident(ShopScoped):
    """A catalogue item the supervisor recorded for an agent (违规/加分事件)."""

    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="+")
    item = models.CharField(_("事项"), max_length=64)
    occurred_at = models.DateTimeField(_("发生时间"))
    local_date = models.DateField(_("业务日期"), db_index=True)
    points = models.DecimalField(_("分值"), null=True, blank=True, max_digits=8, decimal_places=2)
    amount = models.DecimalField(
        _("赔偿金额"), null=True, blank=True, max_digits=12, decimal_places=2
    )
    fact_ids = models.JSONField(_("关联事实"), default=list, blank=True)
    note = models.TextField(_("说明"), blank=True)
    clause = models.CharField(_("条款"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("事件")
        verbose_name_plural = _("事件")
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.item} {self.local_date}"

    @property
    def label(self) -> str:
        return FACTS.get(self.item, self.item)


class MonthClose(ShopScoped):
    """One run of the month rules. A month has one close and any number of corrections;
    `summary` keeps each agent's score and flags, which later months read back."""

    month = models.CharField(_("月份"), max_length=7, db_index=True)
    kind = models.CharField(_("类型"), max_length=16, choices=CloseKind.choices)
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    summary = models.JSONField(default=dict)
    firsts = models.JSONField(
        default=dict, blank=True, help_text="Per award metric, the agents in first place"
    )
    sales = models.JSONField(
        default=dict, blank=True, help_text="The sales figures the awards ranked (per agent)"
    )
    differences = models.JSONField(default=list, blank=True)
    unpriced = models.JSONField(default=list, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("月度结算")
        verbose_name_plural = _("月度结算")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.month} {self.kind}"


class _LedgerEntry(ShopScoped):
    close = models.ForeignKey(MonthClose, on_delete=models.PROTECT, related_name="+")
    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="+")
    month = models.CharField(_("月份"), max_length=7, db_index=True)
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    clause = models.CharField(_("条款"), max_length=200)
    rule = models.CharField(_("规则"), max_length=100)
    explanation = models.TextField(_("说明"))
    fact_ids = models.JSONField(default=list)
    incident_ids = models.JSONField(default=list)
    at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class PointEntry(_LedgerEntry):
    points = models.DecimalField(_("分值"), max_digits=8, decimal_places=2)
    severity = models.CharField(max_length=16, blank=True)
    pending_choice = models.BooleanField(default=False)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )

    class Meta:
        verbose_name = _("积分记录")
        verbose_name_plural = _("积分记录")
        ordering = ["id"]


class FineEntry(_LedgerEntry):
    amount = models.DecimalField(_("金额"), max_digits=12, decimal_places=2)
    kind = models.CharField(max_length=16, choices=FineKind.choices, default=FineKind.FINE)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )

    class Meta:
        verbose_name = _("罚款记录")
        verbose_name_plural = _("罚款记录")
        ordering = ["id"]


class Recommendation(_LedgerEntry):
    """A decision for a person: shown to the supervisor, never applied by Kefu."""

    consequence = models.CharField(max_length=32)
    label = models.CharField(max_length=100)
    status = models.CharField(
        max_length=16, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("处理建议")
        verbose_name_plural = _("处理建议")
        ordering = ["id"]


class AwardEntry(_LedgerEntry):
    """An award 奖励 of the month (S0 top sellers by team size, S4.3 stackable awards, S4.5
    first place months running), written by the close like the other ledgers; payroll pays
    the entries in force."""

    amount = models.DecimalField(_("金额"), max_digits=12, decimal_places=2)
    kind = models.CharField(max_length=32, blank=True)
    metric = models.CharField(max_length=32, blank=True)
    place = models.PositiveSmallIntegerField(null=True, blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )

    class Meta:
        verbose_name = _("奖励记录")
        verbose_name_plural = _("奖励记录")
        ordering = ["id"]


class PartScore(ShopScoped):
    """The supervisor's score of one part of the hundred-point evaluation (S4.5: team task,
    handover and work, return-visit satisfaction, competence) for an agent and month. The
    month close reads them; a part not entered counts at full marks."""

    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="+")
    month = models.CharField(_("月份"), max_length=7, db_index=True)
    part = models.CharField(_("考评项"), max_length=32)
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)
    source = models.CharField(_("来源"), max_length=16, default="form")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("考评分项")
        verbose_name_plural = _("考评分项")
        ordering = ["agent__name", "part"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "agent", "month", "part"], name="partscore_unique"
            )
        ]


class AgentWarning(ShopScoped):
    """A warning 警告 the supervisor issued to an agent (S3: the warning and punishment
    thresholds; S4.5: three warnings raise a dismissal recommendation). Issued by hand or by
    accepting a warning recommendation; it counts in the month of `issued_on`, and later
    months' closes read it."""

    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("日期"), db_index=True)
    month = models.CharField(_("月份"), max_length=7, db_index=True)
    note = models.TextField(_("说明"), blank=True)
    recommendation = models.OneToOneField(
        Recommendation, null=True, blank=True, on_delete=models.PROTECT, related_name="warning"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("警告记录")
        verbose_name_plural = _("警告记录")
        ordering = ["-issued_on", "-id"]
