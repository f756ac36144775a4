"""The review follow-up's URL objects for tests/test_tenancy.py."""

from __future__ import annotations

import datetime as dt

from kefu.core.models import Shop
from kefu.reviews.models import Review
from kefu.staff.models import Assignment


def shop_objects(*, shop: Shop, assignment: Assignment) -> dict[str, int]:
    review = Review.objects.create(
        shop=shop,
        platform_review_id="1-1",
        order_no="1",
        buyer_nick="买家",
        rating="bad",
        content="质量太差",
        rated_at=dt.datetime(2026, 1, 2, 10, 0, tzinfo=dt.UTC),
        severity="severe",
        source="csv",
    )
    return {"review_id": review.pk}
