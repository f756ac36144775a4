"""Writes of the worklog: handover entries and their acknowledgement, weekly summaries (draft,
submit, read) and daily records. The facts of what is missing are in `facts`."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from kefu.attendance import roster
from kefu.attendance.engine import PUNCH_WINDOW
from kefu.conversations.models import Buyer
from kefu.core.audit import audit_record
from kefu.core.clock import now
from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.orders.models import Order
from kefu.staff.models import Agent, Assignment
from kefu.worklog.choices import SummaryStatus
from kefu.worklog.engine import monday_of, summary_chars
from kefu.worklog.models import DailyRecord, HandoverAck, HandoverEntry, WeeklySummary

_SPLIT = re.compile(r"[\s,，;；、]+")


def _actor(user: User | None) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated else None


def _require_on_shop(shop: Shop, agent: Agent) -> None:
    if not Assignment.objects.filter(shop=shop, agent=agent).exists():
        raise InvalidInput(f"客服「{agent.name}」不在本店")


def split_list(text: str) -> list[str]:
    """'123, 456；789' -> ['123', '456', '789'] (order kept, duplicates dropped)."""
    return list(dict.fromkeys(p for p in _SPLIT.split(text.strip()) if p))


def shift_at(*, shop: Shop, agent: Agent, at: dt.datetime) -> tuple[dt.date, str]:
    """The date and key of the agent's shift an entry written at `at` belongs to: the shift
    whose hours (with the punch window around them) hold `at`; else the local date."""
    local = at.astimezone(shop.tzinfo).date()
    shifts = roster.shifts_for(
        shop=shop, start=local - dt.timedelta(days=1), end=local, agent_id=agent.pk
    )
    for shift in sorted(shifts, key=lambda s: s.starts_at, reverse=True):
        if shift.starts_at - PUNCH_WINDOW <= at <= shift.ends_at + PUNCH_WINDOW:
            return shift.local_date, shift.shift_key
    return local, ""


@transaction.atomic
def handover_write(
    *,
    shop: Shop,
    author: Agent,
    text: str,
    order_nos: list[str] | None = None,
    buyer_nicks: list[str] | None = None,
    references: str = "",
    acting_user: User | None,
    at: dt.datetime | None = None,
) -> HandoverEntry:
    """The leaving agent writes an entry for the next shift. Orders are linked by number (an
    order not imported yet is kept as a number); buyers by nickname."""
    _require_on_shop(shop, author)
    text = text.strip()
    if not text:
        raise InvalidInput("交接内容不能为空")
    at = at or now()
    order_nos = list(dict.fromkeys(n.strip() for n in order_nos or [] if n.strip()))
    buyer_nicks = list(dict.fromkeys(n.strip() for n in buyer_nicks or [] if n.strip()))
    for nick in buyer_nicks:
        if len(nick) > 100:
            raise InvalidInput(f"买家昵称太长（最多 100 字）：{nick[:20]}…")
    shift_date, shift_key = shift_at(shop=shop, agent=author, at=at)
    entry = HandoverEntry.objects.create(
        shop=shop,
        author=author,
        written_at=at,
        shift_date=shift_date,
        shift_key=shift_key,
        text=text,
        order_nos=order_nos,
        buyer_nicks=buyer_nicks,
        references=references.strip(),
        created_by=_actor(acting_user),
    )
    entry.orders.set(Order.objects.filter(shop=shop, order_no__in=order_nos))
    entry.buyers.set(
        [Buyer.objects.get_or_create(shop=shop, nickname=nick)[0] for nick in buyer_nicks]
    )
    audit_record(
        shop=shop,
        actor=_actor(acting_user),
        action="handover.write",
        object_type="handover_entry",
        object_id=entry.pk,
        new_value={"author": author.pk, "orders": order_nos, "buyers": buyer_nicks},
    )
    return entry


@transaction.atomic
def handover_acknowledge(
    *,
    shop: Shop,
    entry: HandoverEntry,
    agent: Agent,
    acting_user: User | None,
    at: dt.datetime | None = None,
) -> HandoverAck:
    """The arriving agent confirms having read the entry (again: nothing changes)."""
    if entry.shop_id != shop.pk:
        raise InvalidInput("该交接记录不属于本店")
    _require_on_shop(shop, agent)
    if entry.author_id == agent.pk:
        raise InvalidInput("这是你自己写的交接，由接班的同事确认")
    ack, created = HandoverAck.objects.get_or_create(
        shop=shop, entry=entry, agent=agent, defaults={"acknowledged_at": at or now()}
    )
    if created:
        audit_record(
            shop=shop,
            actor=_actor(acting_user),
            action="handover.acknowledge",
            object_type="handover_entry",
            object_id=entry.pk,
            new_value={"agent": agent.pk},
        )
    return ack


@transaction.atomic
def weekly_summary_save(
    *,
    shop: Shop,
    agent: Agent,
    week_start: dt.date,
    text: str,
    submit: bool,
    acting_user: User | None,
    at: dt.datetime | None = None,
) -> WeeklySummary:
    """Save a draft, or submit. A submitted summary is final. A short one may be submitted
    (the supervisor sees its length; the facts job records it as short)."""
    _require_on_shop(shop, agent)
    if week_start != monday_of(week_start):
        raise InvalidInput(f"{week_start.isoformat()} 不是周一")
    summary, _ = WeeklySummary.objects.select_for_update().get_or_create(
        shop=shop, agent=agent, week_start=week_start
    )
    if summary.status == SummaryStatus.SUBMITTED:
        raise InvalidInput("本周总结已提交，不能再修改")
    if submit and summary_chars(text) == 0:
        raise InvalidInput("总结是空的，不能提交")
    summary.text = text
    if submit:
        summary.status = SummaryStatus.SUBMITTED
        summary.submitted_at = at or now()
    summary.save()
    if submit:
        audit_record(
            shop=shop,
            actor=_actor(acting_user),
            action="weekly_summary.submit",
            object_type="weekly_summary",
            object_id=summary.pk,
            new_value={"week": week_start.isoformat(), "chars": summary_chars(text)},
        )
    return summary


def weekly_summary_mark_read(
    *, shop: Shop, summary: WeeklySummary, acting_user: User | None
) -> WeeklySummary:
    if summary.shop_id != shop.pk:
        raise InvalidInput("该总结不属于本店")
    if summary.read_at is None:
        summary.read_by = _actor(acting_user)
        summary.read_at = now()
        summary.save(update_fields=["read_by", "read_at"])
    return summary


TEXT_ITEMS = (
    "buyer_ids",
    "product_problems",
    "logistics_problems",
    "service_problems",
    "shipments_by_category",
    "returns_by_category",
)


@transaction.atomic
def daily_record_save(
    *,
    shop: Shop,
    agent: Agent,
    local_date: dt.date,
    values: dict[str, Any],
    prefilled: dict[str, Any] | None = None,
    acting_user: User | None,
    at: dt.datetime | None = None,
) -> DailyRecord:
    """Save (and submit) an agent's record of a day. `values` holds the items the policy asks
    for; counts must not be negative."""
    _require_on_shop(shop, agent)
    record, _ = DailyRecord.objects.select_for_update().get_or_create(
        shop=shop, agent=agent, local_date=local_date
    )
    for key in ("buyers_received", "buyers_converted"):
        if key in values:
            value = values[key]
            if value is not None and int(value) < 0:
                raise InvalidInput("人数不能为负")
            setattr(record, key, value)
    if "converted_amount" in values:
        amount = values["converted_amount"]
        if amount is not None and Decimal(amount) < 0:
            raise InvalidInput("成交金额不能为负")
        record.converted_amount = amount
    for key in TEXT_ITEMS:
        if key in values:
            setattr(record, key, (values[key] or "").strip())
    if prefilled is not None:
        record.prefilled = {
            k: str(v) if isinstance(v, Decimal) else v for k, v in prefilled.items()
        }
    record.submitted_at = at or now()
    record.save()
    audit_record(
        shop=shop,
        actor=_actor(acting_user),
        action="daily_record.save",
        object_type="daily_record",
        object_id=record.pk,
        new_value={"date": local_date.isoformat()},
    )
    return record
