"""Knowledge and training: the quick-reply library 快捷短语 (with versions and use counts),
product knowledge 商品知识 with its launch checklist, and exams 考试 whose scores become facts
for the points engine. Every table is a tenant table (ShopScoped)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.models import ShopScoped
from kefu.knowledge.choices import AttemptStatus, ExamStatus, QuestionKind
from kefu.policy.models import PolicyVersion
from kefu.staff.models import Agent


class Product(ShopScoped):
    """A product agents must know. Long texts are one entry per line (selling points, specs)."""

    name = models.CharField(_("商品名称"), max_length=120)
    item_id = models.CharField(_("商品ID"), max_length=40, blank=True)
    selling_points = models.TextField(_("卖点"), blank=True, help_text=_("每行一条"))
    specifications = models.TextField(
        _("规格参数"), blank=True, help_text=_("每行一条，如 容量：500ml")
    )
    competitor_notes = models.TextField(_("竞品情况"), blank=True)
    launch_date = models.DateField(_("上新日期"), null=True, blank=True)
    training_held_on = models.DateField(_("培训日期"), null=True, blank=True)
    competitor_shops = models.TextField(
        _("已读评价的竞品店铺"), blank=True, help_text=_("每行一个店铺名（上新前读竞品评价）")
    )
    stock = models.PositiveIntegerField(
        _("库存"), null=True, blank=True, help_text=_("上架宝贝的库存件数（来自商品数据）")
    )
    stock_updated_at = models.DateTimeField(_("库存更新时间"), null=True, blank=True)
    low_stock_alerted_at = models.DateTimeField(
        _("低库存提醒时间"),
        null=True,
        blank=True,
        help_text=_("已提醒当班客服；补货到阈值以上后清空，再次低于阈值时重新提醒"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("商品")
        verbose_name_plural = _("商品")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["shop", "name"], name="product_unique_name")]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def _lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    @property
    def selling_point_list(self) -> list[str]:
        return self._lines(self.selling_points)

    @property
    def specification_list(self) -> list[str]:
        return self._lines(self.specifications)

    @property
    def competitor_shop_list(self) -> list[str]:
        # The same shop read twice counts once toward the ten-shop rule.
        return list(dict.fromkeys(self._lines(self.competitor_shops)))


class ProductFaq(ShopScoped):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(_("问题"), max_length=200)
    answer = models.TextField(_("回答"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("商品常见问题")
        verbose_name_plural = _("商品常见问题")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.question


class ProductConfirmation(ShopScoped):
    """An agent confirming they have learnt a product (a launch checklist item)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="confirmations")
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="+")
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("商品学习确认")
        verbose_name_plural = _("商品学习确认")
        constraints = [
            models.UniqueConstraint(fields=["product", "agent"], name="confirmation_once")
        ]


class QuickPhrase(ShopScoped):
    """One quick reply 快捷短语 in a group 分组 (the scene: 问候, 议价, 物流 ...). The current text
    lives here; every saved state is also a QuickPhraseVersion. Removing archives it."""

    group = models.CharField(_("分组"), max_length=40)
    shortcut = models.CharField(_("快捷编码"), max_length=20, blank=True)
    text = models.TextField(_("短语"))
    product = models.ForeignKey(
        Product,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="phrases",
        verbose_name=_("相关商品"),
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    active = models.BooleanField(_("启用"), default=True)
    use_count = models.PositiveIntegerField(_("使用次数"), default=0)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("快捷短语")
        verbose_name_plural = _("快捷短语")
        ordering = ["group", "id"]
        indexes = [models.Index(fields=["shop", "group"])]

    def __str__(self) -> str:
        return f"[{self.group}] {self.text[:30]}"


class QuickPhraseVersion(ShopScoped):
    """A saved state of a phrase (append-only): who wrote which text when."""

    phrase = models.ForeignKey(QuickPhrase, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    group = models.CharField(_("分组"), max_length=40)
    shortcut = models.CharField(_("快捷编码"), max_length=20, blank=True)
    text = models.TextField(_("短语"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("快捷短语版本")
        verbose_name_plural = _("快捷短语版本")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["phrase", "number"], name="phrase_version_unique")
        ]


class Exam(ShopScoped):
    title = models.CharField(_("考试名称"), max_length=100)
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("相关商品")
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=ExamStatus.choices, default=ExamStatus.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("考试")
        verbose_name_plural = _("考试")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Question(ShopScoped):
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("题型"), max_length=16, choices=QuestionKind.choices)
    text = models.TextField(_("题目"))
    marks = models.PositiveSmallIntegerField(_("分值"), default=10)
    reference = models.TextField(_("参考答案"), blank=True)

    class Meta:
        verbose_name = _("试题")
        verbose_name_plural = _("试题")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:40]


class Choice(ShopScoped):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("选项"), max_length=200)
    correct = models.BooleanField(_("正确答案"), default=False)

    class Meta:
        verbose_name = _("选项")
        verbose_name_plural = _("选项")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class Attempt(ShopScoped):
    """One agent's answers to one exam (one attempt each). `score` is out of 100."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="attempts")
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("状态"), max_length=16, choices=AttemptStatus.choices, default=AttemptStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    marked_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        ordering = ["-submitted_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["exam", "agent"], name="attempt_once")]


class Answer(ShopScoped):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choices = models.ManyToManyField(Choice, blank=True, related_name="+")
    text = models.TextField(blank=True)
    marks = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    """Marks given: at submission for choice questions, by the supervisor for short answers."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="answer_once")]


class ExamFact(ShopScoped):
    """A fact the points engine prices (exam_full_marks, exam_below_60): the agent, the attempt
    behind it, the policy version in force and the catalogue clause (blank when the policy's
    catalogue has no item for the fact: the fact is kept, it just prices nothing yet)."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="+")
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="facts")
    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, related_name="fact")
    fact = models.CharField(_("事实"), max_length=40)
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)
    on = models.DateField(_("日期"))
    policy_version = models.ForeignKey(
        PolicyVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    clause = models.CharField(_("条款"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考试事实")
        verbose_name_plural = _("考试事实")
        ordering = ["-on", "-id"]
