"""The buyers app's daily work for one shop (called by config/schedule.py)."""

from __future__ import annotations

from kefu.buyers.groups import groups_recompute
from kefu.buyers.visit_services import return_visits_mark_missed, return_visits_schedule
from kefu.core.clock import shop_today
from kefu.core.models import Shop


def buyers_daily(*, shop: Shop) -> None:
    """Recompute the groups, schedule today's return visits, mark the missed ones."""
    today = shop_today(tz=shop.timezone)
    groups_recompute(shop=shop)
    return_visits_schedule(shop=shop, on=today)
    return_visits_mark_missed(shop=shop, on=today)
