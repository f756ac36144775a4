"""The policy page: the shop's policy in force in readable Chinese, the version history and
who changed what."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kefu.core.access import Capability
from kefu.core.clock import shop_today
from kefu.core.errors import NotFound
from kefu.core.models import AuditEntry
from kefu.policy import selectors
from kefu.policy.describe import Section, describe_policy
from kefu.policy.documents import load_preset, preset_names
from kefu.policy.models import PolicyVersion
from kefu.web.shop_views import ShopRequest, shop_view

# The headings go through gettext here (describe.py is pure and has no gettext).
SECTION_TITLES: dict[str, Promise] = {
    "schedule": _("排班"),
    "attendance": _("考勤"),
    "reports": _("交接与报告"),
    "response": _("响应"),
    "orders": _("订单"),
    "after_sales": _("售后"),
    "reviews": _("评价"),
    "complaints": _("投诉"),
    "quality": _("话术"),
    "fines": _("罚款"),
    "points": _("积分"),
    "awards": _("奖励"),
    "pay": _("级别与薪资"),
}

ACTIONS: dict[str, Promise] = {
    "policy.adopt": _("首次启用"),
    "policy.change": _("修改"),
    "policy.readopt": _("重新生效（内容未变）"),
}

AUDIT_ROWS_SHOWN = 500


@dataclass(frozen=True)
class SectionView:
    key: str
    title: Promise | str
    section: Section


@dataclass(frozen=True)
class AuditRow:
    at: dt.datetime
    actor: str
    action: Promise | str
    path: str
    old: str
    new: str
    note: str


@dataclass(frozen=True)
class VersionRow:
    version: PolicyVersion
    status: str  # in_force | upcoming | replaced
    entries: list[AuditRow]


def _value(value: Any) -> str:
    return "—" if value is None else json.dumps(value, ensure_ascii=False)


def _audit_row(entry: AuditEntry) -> AuditRow:
    return AuditRow(
        at=entry.at,
        actor=entry.actor.get_username() if entry.actor is not None else str(_("系统")),
        action=ACTIONS.get(entry.action, entry.action),
        path=entry.path,
        old=_value(entry.old_value),
        new=_value(entry.new_value),
        note=entry.note,
    )


def _version_rows(
    *,
    versions: list[PolicyVersion],
    entries: list[AuditEntry],
    in_force_pk: int | None,
    today: dt.date,
) -> list[VersionRow]:
    by_version: dict[str, list[AuditRow]] = {}
    for entry in entries:
        by_version.setdefault(entry.object_id, []).append(_audit_row(entry))
    rows = []
    for version in versions:
        if version.pk == in_force_pk:
            status = "in_force"
        elif version.effective_from > today:
            status = "upcoming"
        else:
            status = "replaced"
        rows.append(VersionRow(version, status, by_version.get(str(version.pk), [])))
    return rows


@shop_view(Capability.VIEW_POLICY)
def policy_page(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    today = shop_today(tz=shop.timezone)
    try:
        in_force: selectors.PolicyInForce | None = selectors.policy_in_force(shop=shop, on=today)
        missing = ""
    except NotFound as exc:
        in_force, missing = None, exc.message
    sections = (
        [
            SectionView(s.key, SECTION_TITLES.get(s.key, s.title), s)
            for s in describe_policy(in_force.policy)
        ]
        if in_force is not None
        else []
    )
    versions = list(selectors.policy_versions(shop=shop))
    entries = list(selectors.policy_audit(shop=shop)[:AUDIT_ROWS_SHOWN])
    context = {
        "today": today,
        "in_force": in_force,
        "missing": missing,
        "sections": sections,
        "version_rows": _version_rows(
            versions=versions,
            entries=entries,
            in_force_pk=in_force.version.pk if in_force is not None else None,
            today=today,
        ),
        "presets": (
            [(name, load_preset(name).meta.title) for name in preset_names()]
            if in_force is None
            else []
        ),
    }
    return render(request, "policy/page.html", context)
