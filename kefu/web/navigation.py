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
class NavItem:
    url: str
    label: str
    icon: str
    active: bool


NAV: tuple[NavEntry, ...] = (
    # The day's work first, then the team and its money, then what agents learn, then the rules.
    NavEntry("web:dashboard", _("工作台"), "home", Capability.VIEW_DASHBOARD),
    NavEntry("conversations:list", _("咨询记录"), "messages", Capability.VIEW_TEAM),
    NavEntry("orders:list", _("订单"), "shopping-cart", Capability.VIEW_TEAM),
    NavEntry("web:agent_list", _("客服团队"), "users", Capability.VIEW_TEAM),
    # Everyone: an agent sees only their own points, fines and payslips on these pages.
    NavEntry("performance:month", _("积分与罚款"), "scale", Capability.VIEW_DASHBOARD),
    NavEntry("payroll:index", _("工资"), "report-money", Capability.VIEW_DASHBOARD),
    NavEntry("knowledge:phrases", _("快捷短语"), "message-2", Capability.VIEW_DASHBOARD),
    NavEntry("knowledge:products", _("商品知识"), "package", Capability.VIEW_DASHBOARD),
    NavEntry("knowledge:exams", _("考试"), "school", Capability.VIEW_DASHBOARD),
    NavEntry("policy:page", _("管理制度"), "book", Capability.VIEW_POLICY),
    NavEntry("notify:list", _("通知"), "bell", Capability.VIEW_DASHBOARD),
)


def nav_for(*, shop: Shop, role: Role | None, path: str) -> list[NavItem]:
    items = []
    for entry in NAV:
        if not can(role=role, capability=entry.capability):
            continue
        url = reverse(entry.url_name, kwargs={"shop_id": shop.pk})
        items.append(
            NavItem(
                url=url,
                label=str(entry.label),
                icon=entry.icon,
                active=path.startswith(url) if entry.url_name != "web:dashboard" else path == url,
            )
        )
    return items
