"""The roster app's URL objects for tests/test_tenancy.py: one of each per shop."""

from __future__ import annotations

import datetime as dt

from kefu.core.models import Shop
from kefu.policy.selectors import policy_in_force
from kefu.rota.models import Request, Roster, RosterShift
from kefu.staff.models import Assignment


def shop_objects(*, shop: Shop, assignment: Assignment) -> dict[str, int]:
    version = policy_in_force(shop=shop, on=dt.date(2026, 1, 1)).version
    roster = Roster.objects.create(
        shop=shop,
        month="2026-01",
        policy_version=version,
        shift_templates={"day": {"label": "白班", "parts": [[480, 1050]], "night": False}},
        solver_status="FEASIBLE",
    )
    RosterShift.objects.create(
        shop=shop,
        roster=roster,
        agent=assignment.agent,
        local_date=dt.date(2026, 1, 5),
        shift_key="day",
    )
    request = Request.objects.create(
        shop=shop,
        kind="leave",
        agent=assignment.agent,
        start_date=dt.date(2026, 1, 6),
        end_date=dt.date(2026, 1, 6),
    )
    return {"roster_id": roster.pk, "request_id": request.pk}
