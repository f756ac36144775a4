"""Overdue after-sales cases: when an open case passes its first-action deadline (no first
contact by `first_action_due`) or its resolve deadline (`resolve_due`), the case's agent and
the shop's supervisors get one notice per deadline per case (kefu.notify). The deadlines are
the ones the case took from the policy's case path when it was opened.

The periodic job `config.schedule.aftersales_overdue` calls `cases_overdue_notify_all` every few
minutes; a deadline already noticed is never noticed again (the case keeps when it was)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.aftersales.choices import CaseStatus, EventKind
from kefu.aftersales.models import Case, CaseEvent
from kefu.core import clock
from kefu.core.choices import Role
from kefu.core.models import Membership, Shop
from kefu.notify.choices import NoticeKind
from kefu.notify.services import notice_send

FIRST_ACTION = "first_action"
RESOLVE = "resolve"


@dataclass(frozen=True)
class OverdueNotice:
    case_id: int
    deadline: str  # first_action | resolve
    due: dt.datetime
    recipients: int


def _recipients(shop: Shop, case: Case) -> list[AbstractBaseUser]:
    """The case's agent (when they have a login in the shop) and the shop's supervisors."""
    members = Membership.objects.filter(shop=shop).select_related("user")
    users: list[AbstractBaseUser] = [
        m.user for m in members.filter(role=Role.SUPERVISOR).order_by("user_id")
    ]
    agent_user_id = case.agent.user_id if case.agent is not None else None
    if agent_user_id is not None:
        owner = members.filter(user_id=agent_user_id).first()
        if owner is not None:
            users.insert(0, owner.user)
    return users


def _notice(shop: Shop, case: Case, deadline: str, now: dt.datetime) -> OverdueNotice | None:
    """Claim the deadline's notice on the case (a conditional update, so two workers never both
    send it), then send it and log it on the case, all in one transaction."""
    field = f"{deadline}_overdue_noticed_at"
    due = case.first_action_due if deadline == FIRST_ACTION else case.resolve_due
    with transaction.atomic():
        claimed = Case.objects.filter(pk=case.pk, **{f"{field}__isnull": True}).update(
            **{field: now}
        )
        if not claimed:
            return None
        local_due = due.astimezone(shop.tzinfo).strftime("%m-%d %H:%M")
        what = _("首次联系期限") if deadline == FIRST_ACTION else _("解决期限")
        who = case.agent.name if case.agent is not None else _("未指定")
        recipients = _recipients(shop, case)
        notice_send(
            shop=shop,
            recipients=recipients,
            kind=NoticeKind.WARNING,
            title=_("售后超期：#%(id)s %(label)s") % {"id": case.pk, "label": case.label},
            body=_("%(what)s %(due)s 已过（买家 %(buyer)s，订单 %(order)s，负责客服 %(agent)s）")
            % {
                "what": what,
                "due": local_due,
                "buyer": case.buyer_nick or "—",
                "order": case.order_no or "—",
                "agent": who,
            },
            link=reverse("aftersales:case", kwargs={"shop_id": shop.pk, "case_id": case.pk}),
        )
        CaseEvent.objects.create(
            shop_id=case.shop_id,
            case=case,
            kind=EventKind.OVERDUE,
            text=_("%(what)s %(due)s 已过，已通知负责客服和主管")
            % {"what": what, "due": local_due},
            data={"deadline": deadline, "due": due.isoformat(), "recipients": len(recipients)},
            at=now,
        )
    return OverdueNotice(case_id=case.pk, deadline=deadline, due=due, recipients=len(recipients))


def cases_overdue_notify(*, shop: Shop, now: dt.datetime | None = None) -> list[OverdueNotice]:
    """Notice every open case of the shop past a deadline not noticed before: the first-action
    deadline while nobody has contacted the buyer, the resolve deadline while it is unresolved."""
    now = now or clock.now()
    first_late = Q(
        first_action_at__isnull=True,
        first_action_due__lte=now,
        first_action_overdue_noticed_at__isnull=True,
    )
    resolve_late = Q(resolve_due__lte=now, resolve_overdue_noticed_at__isnull=True)
    candidates = (
        Case.objects.filter(shop=shop)
        .exclude(status=CaseStatus.RESOLVED)
        .filter(first_late | resolve_late)
        .select_related("agent")
        .order_by("opened_at", "id")
    )
    sent: list[OverdueNotice] = []
    for case in candidates:
        if (
            case.first_action_at is None
            and case.first_action_due <= now
            and case.first_action_overdue_noticed_at is None
        ):
            notice = _notice(shop, case, FIRST_ACTION, now)
            if notice is not None:
                sent.append(notice)
        if case.resolve_due <= now and case.resolve_overdue_noticed_at is None:
            notice = _notice(shop, case, RESOLVE, now)
            if notice is not None:
                sent.append(notice)
    return sent


def cases_overdue_notify_all(*, now: dt.datetime | None = None) -> int:
    """Every shop with an open case past a deadline: the periodic job's one call."""
    now = now or clock.now()
    shop_ids = (
        Case.objects.exclude(status=CaseStatus.RESOLVED)
        .filter(
            Q(first_action_due__lte=now, first_action_at__isnull=True) | Q(resolve_due__lte=now)
        )
        .order_by()
        .values_list("shop_id", flat=True)
        .distinct()
    )
    count = 0
    for shop in Shop.objects.filter(pk__in=list(shop_ids)).order_by("pk"):
        count += len(cases_overdue_notify(shop=shop, now=now))
    return count
