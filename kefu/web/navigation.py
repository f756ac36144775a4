"""The navigation: one list, each item shown only to roles with its capability."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kefu.core.access import Capability, can
from kefu.core.choices import Role
from kefu.core.models import Shop


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str | Promise  # a lazy translation, made a str per request
    icon: str
    capability: Capability


@dataclass(frozen=True)
class NavSection:
    label: str | Promise
    entries: tuple[NavEntry, ...]


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str
    icon: str
    active: bool
    section: str  # the heading it sits under; the sidebar prints a heading where it changes


# The day's work first, then serving buyers, then running the team, its money, what agents
# learn, and the rules. An app adds its page to the section it belongs to.
NAV: tuple[NavSection, ...] = (
    NavSection(_("今日"), (
        NavEntry("web:dashboard", _("工作台"), "home", Capability.VIEW_DASHBOARD),
        NavEntry("kpi:dashboard", _("客服数据"), "chart-line", Capability.VIEW_DASHBOARD),
        NavEntry("conversations:list", _("咨询记录"), "messages", Capability.VIEW_TEAM),
        NavEntry("orders:list", _("订单"), "shopping-cart", Capability.VIEW_TEAM),
    )),
    NavSection(_("售后与买家"), (
        NavEntry("aftersales:list", _("售后"), "lifebuoy", Capability.VIEW_DASHBOARD),
        NavEntry("reviews:list", _("中差评"), "star-half", Capability.VIEW_DASHBOARD),
        NavEntry("complaints:list", _("投诉"), "alert-triangle", Capability.VIEW_DASHBOARD),
        NavEntry("buyers:list", _("买家"), "user-heart", Capability.VIEW_DASHBOARD),
        NavEntry("quality:queue", _("话术质检"), "message-report", Capability.VIEW_DASHBOARD),
    )),
    NavSection(_("团队"), (
        NavEntry("web:agent_list", _("客服团队"), "users", Capability.VIEW_TEAM),
        NavEntry("rota:month", _("排班"), "calendar", Capability.VIEW_DASHBOARD),
        NavEntry("attendance:month", _("考勤"), "clock", Capability.VIEW_DASHBOARD),
        NavEntry("worklog:handover", _("交接与总结"), "notebook", Capability.VIEW_DASHBOARD),
        NavEntry("meetings:list", _("例会"), "presentation", Capability.VIEW_DASHBOARD),
        NavEntry("weekly:report", _("周例会材料"), "report", Capability.VIEW_TEAM),
    )),
    # Everyone: an agent sees only their own points, fines and payslips on these pages.
    NavSection(_("绩效与工资"), (
        NavEntry("performance:month", _("积分与罚款"), "scale", Capability.VIEW_DASHBOARD),
        NavEntry("payroll:index", _("工资"), "report-money", Capability.VIEW_DASHBOARD),
    )),
    NavSection(_("知识与培训"), (
        NavEntry("knowledge:phrases", _("快捷短语"), "message-2", Capability.VIEW_DASHBOARD),
        NavEntry("knowledge:products", _("商品知识"), "package", Capability.VIEW_DASHBOARD),
        NavEntry("knowledge:exams", _("考试"), "school", Capability.VIEW_DASHBOARD),
    )),
    NavSection(_("制度"), (
        NavEntry("policy:page", _("管理制度"), "book", Capability.VIEW_POLICY),
        NavEntry("notify:list", _("通知"), "bell", Capability.VIEW_DASHBOARD),
    )),
)  # fmt: skip


def nav_for(*, shop: Shop, role: Role | None, path: str) -> list[NavItem]:
    items = []
    for section in NAV:
        for entry in section.entries:
            if not can(role=role, capability=entry.capability):
                continue
            url = reverse(entry.url_name, kwargs={"shop_id": shop.pk})
            items.append(
                NavItem(
                    url=url,
                    label=str(entry.label),
                    icon=entry.icon,
                    active=path.startswith(url)
                    if entry.url_name != "web:dashboard"
                    else path == url,
                    section=str(section.label),
                )
            )
    return items
