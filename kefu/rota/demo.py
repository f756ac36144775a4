"""Demo rosters: this month's and next month's, generated under the shop's policy and published,
with a short solver time limit so that loading the demo stays fast."""

from __future__ import annotations

import datetime as dt

from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.rota.inputs import month_text
from kefu.rota.models import Roster, RosterShift
from kefu.rota.services import roster_generate, roster_publish

DEMO_SECONDS = 3
"""Solver seconds per demo month (the policy's limit is for real use)."""


def roster_demo_publish(*, shop: Shop, today: dt.date) -> list[Roster]:
    """Generate and publish the rosters of today's month and the next; a month the team cannot
    cover stays a draft with its explanation."""
    first = today.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    rosters = []
    for day in (first, following):
        try:
            roster = roster_generate(
                shop=shop,
                month=month_text(day),
                acting_user=None,
                time_limit_seconds=DEMO_SECONDS,
                workers=1,
            )
            if RosterShift.objects.filter(roster=roster).exists():
                roster = roster_publish(shop=shop, roster=roster, acting_user=None)
        except InvalidInput:
            continue  # no policy in force that month, or already published
        rosters.append(roster)
    return rosters
