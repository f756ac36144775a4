"""The weekly meeting report 周例会材料 (RULEBOOK §4, §7, §8; S4.2 Sun 14:30, S4.3/S4.4 Mon):
for one week (Monday to Sunday in the shop's zone), the after-sales cases with the party at
fault, the review follow-ups and their outcomes, the complaints, and the handover problems.

Each part reads its own app: after-sales from `kefu.aftersales` (cases flagged for the weekly
meeting), reviews from `kefu.reviews`, complaints from `kefu.complaints`, handover problems from
the facts `kefu.worklog` records (handover_missing, handover_unacknowledged). A part whose app is
not installed says so instead of showing nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.apps import apps
from django.utils.translation import gettext as _

from kefu.complaints.selectors import complaints_in_period, satisfaction_average
from kefu.core.models import Shop
from kefu.performance.models import Fact
from kefu.policy.schema.vocab import FACTS
from kefu.reviews.selectors import reviews_in_period

HANDOVER_FACTS = ("handover_missing", "handover_unacknowledged")


@dataclass(frozen=True)
class Section:
    """One part of the report, as the page, the xlsx and the PDF show it."""

    key: str
    title: str
    headers: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    summary: list[tuple[str, str]] = field(default_factory=list)
    """(label, value) lines above the table, e.g. 责任方 counts."""
    missing: str = ""
    """Why the part is empty because its capability is not there (not installed)."""


@dataclass(frozen=True)
class WeekReport:
    shop: Shop
    week_start: dt.date
    week_end: dt.date
    sections: list[Section]

    @property
    def title(self) -> str:
        return _("%(shop)s 周例会材料 %(start)s 至 %(end)s") % {
            "shop": self.shop.name,
            "start": self.week_start.isoformat(),
            "end": self.week_end.isoformat(),
        }


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_bounds(*, shop: Shop, week_start: dt.date) -> tuple[dt.datetime, dt.datetime]:
    monday = monday_of(week_start)
    start = dt.datetime.combine(monday, dt.time(), tzinfo=shop.tzinfo)
    return start, start + dt.timedelta(days=7)


def _when(shop: Shop, value: dt.datetime | None) -> str:
    return value.astimezone(shop.tzinfo).strftime("%m-%d %H:%M") if value else ""


def _counts(values: list[str]) -> list[tuple[str, str]]:
    counted: dict[str, int] = {}
    for value in values:
        counted[value] = counted.get(value, 0) + 1
    return [(k, str(v)) for k, v in sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))]


def aftersales_section(*, shop: Shop, start: dt.datetime, end: dt.datetime) -> Section:
    headers = (
        _("登记时间"), _("类型"), _("订单号"), _("买家"), _("客服"), _("责任方"), _("处理结果"),
        _("状态"),
    )  # fmt: skip
    title = _("售后问题与责任方")
    if not apps.is_installed("kefu.aftersales"):
        return Section("aftersales", title, headers, [], missing=_("售后模块尚未安装"))
    from django.db.models import Q

    case_model = apps.get_model("aftersales", "Case")
    cases = (
        case_model.objects.filter(shop=shop, weekly_meeting=True)
        .filter(
            Q(opened_at__gte=start, opened_at__lt=end)
            | Q(resolved_at__gte=start, resolved_at__lt=end)
        )
        .select_related("agent")
        .order_by("opened_at", "id")
    )
    rows = []
    parties = []
    for case in cases:
        party = case.get_party_at_fault_display() if case.party_at_fault else _("未判定")
        parties.append(party)
        rows.append(
            (
                _when(shop, case.opened_at),
                case.label or case.get_type_display(),
                case.order_no,
                case.buyer_nick,
                case.agent.name if case.agent else "",
                party,
                case.get_resolution_display() if case.resolution else "",
                case.get_status_display(),
            )
        )
    return Section("aftersales", title, headers, rows, summary=_counts(parties))


def reviews_section(*, shop: Shop, start: dt.datetime, end: dt.datetime) -> Section:
    headers = (
        _("评价时间"), _("旺旺ID"), _("购买物品"), _("评价"), _("严重程度"), _("处理状态"),
        _("进展状况"), _("责任客服"),
    )  # fmt: skip
    rows = []
    outcomes = []
    for review in reviews_in_period(shop=shop, start=start, end=end).prefetch_related("contacts"):
        outcome = str(review.get_progress_display()) if review.progress else _("未有结果")
        outcomes.append(outcome)
        rows.append(
            (
                _when(shop, review.rated_at),
                review.buyer_nick,
                review.item_title,
                f"{review.get_rating_display()}：{review.content}"
                + (
                    _("（追评：%(text)s）") % {"text": review.append_content}
                    if review.append_content
                    else ""
                ),
                str(review.get_severity_display()),
                review.contact_status or str(review.get_status_display()),
                outcome,
                review.caused_by.name if review.caused_by else "",
            )
        )
    return Section("reviews", _("中差评跟进"), headers, rows, summary=_counts(outcomes))


def complaints_section(*, shop: Shop, start: dt.datetime, end: dt.datetime) -> Section:
    headers = (
        _("投诉时间"), _("投诉事由"), _("买家"), _("被投诉客服"), _("当前环节"), _("结果"),
        _("满意度"),
    )  # fmt: skip
    rows = []
    received = valid = at_fault = 0
    for complaint in complaints_in_period(shop=shop, start=start, end=end):
        if start <= complaint.received_at < end:
            received += 1
        if complaint.valid:
            valid += 1
            at_fault += int(complaint.agent_at_fault)
        if complaint.valid is None:
            result = ""
        elif complaint.valid:
            result = _("有效，客服责任") if complaint.agent_at_fault else _("有效")
        else:
            result = _("无效")
        rows.append(
            (
                _when(shop, complaint.received_at),
                complaint.subject,
                complaint.buyer_nick,
                complaint.agent.name if complaint.agent else "",
                str(complaint.get_step_display()),
                result,
                f"{complaint.satisfaction}/5" if complaint.satisfaction else "",
            )
        )
    average = satisfaction_average(shop=shop, start=start, end=end)
    summary = [
        (_("本周收到"), str(received)),
        (_("有效投诉"), str(valid)),
        (_("其中客服责任"), str(at_fault)),
        (_("回访平均满意度"), f"{average:.2f}" if average is not None else "—"),
    ]
    return Section("complaints", _("投诉"), headers, rows, summary=summary)


def handover_section(*, shop: Shop, start: dt.datetime, end: dt.datetime) -> Section:
    headers = (_("日期"), _("客服"), _("问题"), _("班次"))
    title = _("交接问题")
    monday = start.date()
    facts = (
        Fact.objects.filter(
            shop=shop,
            key__in=HANDOVER_FACTS,
            local_date__gte=monday,
            local_date__lt=monday + dt.timedelta(days=7),
        )
        .select_related("agent")
        .order_by("local_date", "agent__name", "id")
    )
    rows = [
        (
            f.local_date.isoformat(),
            f.agent.name,
            FACTS.get(f.key, f.key),
            str(f.evidence.get("shift_label") or f.evidence.get("shift") or ""),
        )
        for f in facts
    ]
    missing = "" if apps.is_installed("kefu.worklog") else _("交接本模块尚未安装")
    return Section(
        "handover", title, headers, rows, summary=_counts([r[2] for r in rows]), missing=missing
    )


def week_report(*, shop: Shop, week_start: dt.date) -> WeekReport:
    start, end = week_bounds(shop=shop, week_start=week_start)
    sections = [
        aftersales_section(shop=shop, start=start, end=end),
        reviews_section(shop=shop, start=start, end=end),
        complaints_section(shop=shop, start=start, end=end),
        handover_section(shop=shop, start=start, end=end),
    ]
    return WeekReport(shop, start.date(), start.date() + dt.timedelta(days=6), sections)
