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
    NavEntry("web:dashboard", _("工作台"), "home", Capability.VIEW_DASHBOARD),
    NavEntry("web:agent_list", _("客服团队"), "users", Capability.VIEW_TEAM),
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
