"""The optional `ratings` and `keywords` of reviews.severity_rules: they validate, a wrong rating
is an error, and the import grades by them."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from kefu.core.models import Shop
from kefu.policy.documents import load_preset
from kefu.policy.schema.cases import SeverityRule
from kefu.policy.services import policy_adopt
from kefu.reviews.models import Review
from kefu.reviews.services import reviews_import


def test_severity_rule_keys() -> None:
    rule = SeverityRule(level="severe", when="提到退货", ratings=["bad"], keywords=["退货"])
    assert (rule.ratings, rule.keywords) == (["bad"], ["退货"])
    assert SeverityRule(level="light", when="其他").keywords == []
    with pytest.raises(ValidationError):
        SeverityRule(level="severe", when="x", ratings=["terrible"])  # type: ignore[list-item]


@pytest.mark.django_db
def test_import_grades_by_the_shops_own_rules(shop: Shop) -> None:
    policy = load_preset("dongyao-s4")
    reviews = policy.reviews.model_copy(
        update={
            "severity_rules": [
                SeverityRule(
                    level="severe", when="差评或提到退货", ratings=["bad"], keywords=["退货"]
                ),
                SeverityRule(level="light", when="中评", ratings=["neutral"]),
            ]
        }
    )
    policy_adopt(
        shop=shop,
        document=policy.model_copy(update={"reviews": reviews}),
        effective_from=dt.date(2026, 3, 1),
        acting_user=None,
    )
    csv = (
        "订单号,买家,评价结果,评价内容,评价时间\n"
        "1,a,好评,我要退货,2026-03-02 10:00\n"
        "2,b,中评,物流慢,2026-03-02 10:00\n"
        "3,c,好评,假货,2026-03-02 10:00\n"  # the default severe words are replaced
        "4,d,中评,物流慢,2026-02-27 10:00\n"  # before the new rules: the preset's defaults
    )
    reviews_import(shop=shop, data=csv.encode(), filename="r.csv", acting_user=None)
    graded = dict(Review.objects.filter(shop=shop).values_list("order_no", "severity"))
    assert graded == {"1": "severe", "2": "light", "3": "", "4": "medium"}
