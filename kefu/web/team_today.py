"""The supervisor's 'team today' on the dashboard: what waits to be worked now (buyers, cases,
reviews, complaints, quality hits), who is on duty, and the last day with KPIs. Each figure is
read from its own app's selector, so the dashboard says what the pages it links to say."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kefu.aftersales.choices import CaseStatus
from kefu.aftersales.selectors import cases, cases_overdue
from kefu.complaints.selectors import complaints_for
from kefu.conversations.kpi_selectors import Totals, day_totals, last_day_kpi
from kefu.conversations.models import Message
from kefu.conversations.waiting_selectors import ImportReach, buyers_waiting, chats_import_reach
from kefu.core.models import Shop
from kefu.orders.models import Order
from kefu.quality.choices import HitStatus
from kefu.quality.selectors import quality_hits
from kefu.reviews.selectors import review_counts
from kefu.rota.selectors import agents_on_duty


@dataclass(frozen=True)
class LastKpiDay:
    day: dt.date
    totals: Totals


@dataclass(frozen=True)
class TeamToday:
    on_duty: int
    buyers_waiting: int
    chats: ImportReach
    """How far the chat imports reach: 0 waiting means little when they end days ago."""
    cases_open: int
    cases_overdue: int
    reviews_todo: int
    reviews_phone_due: int
    complaints_open: int
    quality_open: int
    last_kpi: LastKpiDay | None


def team_today(*, shop: Shop, now: dt.datetime) -> TeamToday:
    last_row = last_day_kpi(shop=shop, until=now.astimezone(shop.tzinfo).date())
    reviews = review_counts(shop=shop)
    return TeamToday(
        on_duty=len(agents_on_duty(shop=shop, at=now)),
        buyers_waiting=len(buyers_waiting(shop=shop, now=now)),
        chats=chats_import_reach(shop=shop, now=now),
        cases_open=cases(shop=shop).exclude(status=CaseStatus.RESOLVED).count(),
        cases_overdue=cases_overdue(shop=shop, now=now).count(),
        reviews_todo=reviews.todo,
        reviews_phone_due=reviews.phone_due,
        complaints_open=complaints_for(shop=shop, state="open").count(),
        quality_open=quality_hits(shop=shop, status=HitStatus.OPEN).count(),
        last_kpi=(
            LastKpiDay(day=last_row.local_date, totals=day_totals(last_row))
            if last_row is not None
            else None
        ),
    )


def shop_has_business_data(*, shop: Shop) -> bool:
    """Whether any platform export (orders or chats) has been imported for the shop."""
    return Order.objects.filter(shop=shop).exists() or Message.objects.filter(shop=shop).exists()
