"""The worklog's URL objects for the tenancy walk (tests/test_tenancy.py)."""

from __future__ import annotations

import datetime as dt

from kefu.core.models import Shop
from kefu.staff.models import Assignment
from kefu.worklog.choices import SummaryStatus
from kefu.worklog.models import HandoverEntry, WeeklySummary


def shop_objects(*, shop: Shop, assignment: Assignment) -> dict[str, int]:
    at = dt.datetime(2026, 1, 5, 17, 0, tzinfo=shop.tzinfo)
    entry = HandoverEntry.objects.create(
        shop=shop,
        author=assignment.agent,
        written_at=at,
        shift_date=at.date(),
        text="买家催发货，明早联系仓库",
    )
    summary = WeeklySummary.objects.create(
        shop=shop,
        agent=assignment.agent,
        week_start=dt.date(2026, 1, 5),
        text="本周接待顺利",
        status=SummaryStatus.SUBMITTED,
        submitted_at=at,
    )
    return {"entry_id": entry.pk, "summary_id": summary.pk}
