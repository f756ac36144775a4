"""The demo shop's buyers: groups computed, return visits scheduled day by day over the last
weeks and most of them recorded (so last month's satisfaction per agent is there), a few notes on
the best buyers. Deterministic for a seed."""

from __future__ import annotations

import datetime as dt
import random

from kefu.buyers.choices import Channel, Group, VisitOutcome, VisitStatus
from kefu.buyers.groups import groups_recompute
from kefu.buyers.models import BuyerNote, ReturnVisit
from kefu.buyers.selectors import group_members
from kefu.buyers.visit_services import (
    return_visit_record,
    return_visits_mark_missed,
    return_visits_schedule,
)
from kefu.core.models import Shop
from kefu.staff.models import Agent

DEMO_DAYS = 45
NOTES = ("老客户，发顺丰", "喜欢新品，上新先通知", "收货地址常换，下单后核对地址")
SCORES = (5, 5, 5, 4, 4, 4, 4, 3, 2)


def buyers_demo_seed(*, shop: Shop, today: dt.date, seed: int = 6) -> int:
    """Returns the number of visits recorded."""
    rng = random.Random(seed)
    agents = list(
        Agent.objects.filter(assignments__shop=shop, assignments__active=True).order_by("pk")
    )
    recorded = 0
    for offset in range(DEMO_DAYS, 0, -1):
        day = today - dt.timedelta(days=offset)
        return_visits_schedule(shop=shop, on=day)
        for visit in ReturnVisit.objects.filter(shop=shop, status=VisitStatus.DUE, due_on=day):
            if rng.random() < 0.15:
                continue  # left undone: missed after the grace days
            reached = rng.random() < 0.9
            if visit.agent is None and agents:
                visit.agent = rng.choice(agents)  # the supervisor hands it out
            at = dt.datetime.combine(day, dt.time(15, rng.randint(0, 59)), tzinfo=shop.tzinfo)
            return_visit_record(
                shop=shop,
                visit=visit,
                channel=rng.choice([Channel.CHAT, Channel.PHONE]),
                outcome=VisitOutcome.SATISFIED if reached else VisitOutcome.NO_ANSWER,
                satisfaction=rng.choice(SCORES) if reached else None,
                acting_user=None,
                at=at,
            )
            recorded += 1
        return_visits_mark_missed(shop=shop, on=day)
    return_visits_schedule(shop=shop, on=today)
    now = dt.datetime.combine(today, dt.time(9), tzinfo=shop.tzinfo)
    groups_recompute(shop=shop, now=now)
    for buyer, text in zip(group_members(shop=shop, group=Group.VIP)[:3], NOTES, strict=False):
        BuyerNote.objects.get_or_create(
            shop=shop, buyer=buyer, text=text, defaults={"author_name": "主管"}
        )
    return recorded
