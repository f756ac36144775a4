"""The buyers app's URL objects for tests/test_tenancy.py: one of each per shop."""

from __future__ import annotations

import datetime as dt

from kefu.buyers.models import ReturnVisit
from kefu.conversations.models import Buyer
from kefu.core.models import Shop
from kefu.staff.models import Assignment


def shop_objects(*, shop: Shop, assignment: Assignment) -> dict[str, int]:
    buyer, _ = Buyer.objects.get_or_create(shop=shop, nickname="回访买家")
    visit = ReturnVisit.objects.create(
        shop=shop, buyer=buyer, due_on=dt.date(2026, 1, 1), agent=assignment.agent
    )
    return {"buyer_id": buyer.pk, "visit_id": visit.pk}
