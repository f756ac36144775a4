"""Agents, the shops they serve, their platform sub-accounts and teams.

An agent belongs to an agency and may serve several of its shops; what a shop sees of an agent
is reached through that shop's Assignment, so every agent query is scoped by shop."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.models import Agency, ShopScoped
from kefu.staff.choices import AgentStatus, Duty


class Agent(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="agents")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agent",
    )
    name = models.CharField(_("姓名"), max_length=50)
    hire_date = models.DateField(_("入职日期"))
    level = models.CharField(_("级别"), max_length=32, help_text=_("级别代码，取自店铺制度"))
    level_since = models.DateField(_("定级日期"))
    probation_end = models.DateField(_("试用期结束"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=AgentStatus.choices, default=AgentStatus.ACTIVE
    )
    badge = models.CharField(_("考勤工号"), max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("客服")
        verbose_name_plural = _("客服")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "badge"],
                condition=~models.Q(badge=""),
                name="agent_badge_unique_in_agency",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Team(ShopScoped):
    name = models.CharField(_("组名"), max_length=50)
    leader = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("小组")
        verbose_name_plural = _("小组")
        constraints = [models.UniqueConstraint(fields=["shop", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return self.name


class Assignment(ShopScoped):
    """An agent serving a shop: the duty, the team, and since when."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="assignments")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)
    duty = models.CharField(_("岗位"), max_length=16, choices=Duty.choices, default=Duty.PRE_SALES)
    since = models.DateField(_("开始日期"))
    active = models.BooleanField(_("在岗"), default=True)

    class Meta:
        verbose_name = _("店铺岗位")
        verbose_name_plural = _("店铺岗位")
        constraints = [
            models.UniqueConstraint(fields=["shop", "agent"], name="assignment_one_per_shop")
        ]

    def __str__(self) -> str:
        return f"{self.agent} @ {self.shop_id}"


class SubAccount(ShopScoped):
    """A platform sub-account 子账号: the nickname that appears in chat records,
    e.g. `乐乐家居旗舰店:小美`."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="sub_accounts")
    nickname = models.CharField(_("子账号"), max_length=100)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("子账号")
        verbose_name_plural = _("子账号")
        constraints = [
            models.UniqueConstraint(fields=["shop", "nickname"], name="subaccount_unique_nick")
        ]

    def __str__(self) -> str:
        return self.nickname
