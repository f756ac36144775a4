"""The generated part of a meeting's agenda: open action items of earlier meetings (overdue
ones first) and the weekly report of the week before the meeting.

The weekly report comes from the apps that are installed (`apps.is_installed`):
- after-sales cases flagged for the meeting, with the party at fault (`kefu.aftersales`,
  `cases_for_weekly_meeting`);
- mid and negative review follow-ups (`kefu.reviews`, `reviews_in_period`);
- complaints (`kefu.complaints`, `complaints_in_period`);
- handover entries of the week nobody acknowledged (`kefu.worklog`, `handover_log`);
- and any app `kefu.<name>` whose `selectors` module defines
  `meeting_agenda(*, shop, start, end) -> list[str]`.
An app that is missing or fails contributes nothing, so the meeting is never blocked by a
neighbour."""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction

from kefu.core.models import Shop
from kefu.meetings.choices import AgendaSource
from kefu.meetings.models import Meeting
from kefu.meetings.selectors import open_actions_before

log = logging.getLogger(__name__)

# Apps asked for `selectors.meeting_agenda` (besides reviews, read directly).
REPORT_APPS = ("attendance", "orders", "buyers", "quality", "rota")


@dataclass(frozen=True)
class Item:
    source: str
    text: str
    ref: str = ""


def _week_before(shop: Shop, meeting: Meeting) -> tuple[dt.datetime, dt.datetime]:
    end_day = meeting.local_date
    start = dt.datetime.combine(end_day - dt.timedelta(days=7), dt.time(), tzinfo=shop.tzinfo)
    end = dt.datetime.combine(end_day, dt.time(), tzinfo=shop.tzinfo)
    return start, end


def _action_items(shop: Shop, meeting: Meeting) -> list[Item]:
    items = []
    actions = sorted(
        open_actions_before(shop=shop, meeting=meeting),
        key=lambda a: (a.due_date >= meeting.local_date, a.due_date, a.pk),
    )
    for action in actions:
        overdue = action.due_date < meeting.local_date
        label = "逾期未完成" if overdue else "跟进"
        items.append(
            Item(
                AgendaSource.OVERDUE_ACTION if overdue else AgendaSource.OPEN_ACTION,
                f"{label}：{action.text}（{action.agent.name}，截止 {action.due_date:%m-%d}，"
                f"{action.meeting.title}）",
                f"action:{action.pk}",
            )
        )
    return items


def _reviews(shop: Shop, start: dt.datetime, end: dt.datetime) -> list[Item]:
    from kefu.reviews.selectors import reviews_in_period

    reviews = list(reviews_in_period(shop=shop, start=start, end=end))
    if not reviews:
        return []
    lines = [
        f"{r.buyer_nick}（{r.get_rating_display()}）：{r.get_progress_display() or '待跟进'}"
        for r in reviews
    ]
    return [Item(AgendaSource.REPORT, f"上周中差评跟进 {len(reviews)} 条：" + "；".join(lines))]


def _aftersales(shop: Shop, start: dt.datetime, end: dt.datetime) -> list[Item]:
    from kefu.aftersales.selectors import cases_for_weekly_meeting

    last_day = (end - dt.timedelta(days=1)).date()
    cases = list(cases_for_weekly_meeting(shop=shop, start=start.date(), end=last_day))
    if not cases:
        return []
    lines = [
        f"{c.label} {c.buyer_nick or c.order_no or '—'}"
        f"（{c.agent.name if c.agent else '未指定客服'}，"
        f"责任方：{c.get_party_at_fault_display() or '未判定'}）"
        for c in cases
    ]
    return [Item(AgendaSource.REPORT, f"上周售后 {len(cases)} 件：" + "；".join(lines))]


def _complaints(shop: Shop, start: dt.datetime, end: dt.datetime) -> list[Item]:
    from kefu.complaints.selectors import complaints_in_period

    rows = list(complaints_in_period(shop=shop, start=start, end=end))
    if not rows:
        return []
    lines = [
        f"{c.subject}（{c.buyer_nick or '—'}，{c.agent.name if c.agent else '未指定客服'}，"
        f"{c.get_step_display()}）"
        for c in rows
    ]
    return [Item(AgendaSource.REPORT, f"上周投诉 {len(rows)} 起：" + "；".join(lines))]


def _handovers(shop: Shop, start: dt.datetime, end: dt.datetime) -> list[Item]:
    from kefu.worklog.selectors import handover_log

    last_day = (end - dt.timedelta(days=1)).date()
    rows = [
        e for e in handover_log(shop=shop, start=start.date(), end=last_day) if not e.acks.all()
    ]
    if not rows:
        return []
    lines = [f"{e.shift_date:%m-%d} {e.author.name}：{e.text[:40]}" for e in rows]
    return [Item(AgendaSource.REPORT, f"无人确认的交接 {len(rows)} 条：" + "；".join(lines))]


PROVIDERS = (
    ("kefu.aftersales", _aftersales),
    ("kefu.reviews", _reviews),
    ("kefu.complaints", _complaints),
    ("kefu.worklog", _handovers),
)


def _hooks(shop: Shop, start: dt.datetime, end: dt.datetime) -> list[Item]:
    items = []
    for name in REPORT_APPS:
        if not apps.is_installed(f"kefu.{name}"):
            continue
        try:
            module = importlib.import_module(f"kefu.{name}.selectors")
        except ImportError:
            continue
        hook = getattr(module, "meeting_agenda", None)
        if hook is None:
            continue
        try:
            with transaction.atomic():
                lines = hook(shop=shop, start=start, end=end)
        except Exception:  # a neighbour's failure must not block the meeting
            log.exception("meeting_agenda of kefu.%s failed", name)
            continue
        items += [Item(AgendaSource.REPORT, str(line), name) for line in lines]
    return items


def generated_items(*, shop: Shop, meeting: Meeting) -> list[Item]:
    start, end = _week_before(shop, meeting)
    items = _action_items(shop, meeting)
    for app, provider in PROVIDERS:
        if not apps.is_installed(app):
            continue
        try:
            # A savepoint: a neighbour's database error must not break the meeting's writes.
            with transaction.atomic():
                items += provider(shop, start, end)
        except Exception:  # a neighbour's failure must not block the meeting
            log.exception("%s items for the meeting agenda failed", app)
    return items + _hooks(shop, start, end)
