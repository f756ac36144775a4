"""The complaint register's URL objects for tests/test_tenancy.py."""

from __future__ import annotations

import datetime as dt

from kefu.complaints.models import Complaint
from kefu.core.models import Shop
from kefu.staff.models import Assignment


def shop_objects(*, shop: Shop, assignment: Assignment) -> dict[str, int]:
    complaint = Complaint.objects.create(
        shop=shop,
        received_at=dt.datetime(2026, 1, 2, 10, 0, tzinfo=dt.UTC),
        channel="chat",
        subject="态度差",
        content="客服不理人",
        agent=assignment.agent,
    )
    return {"complaint_id": complaint.pk}
