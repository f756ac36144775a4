"""S4.3's top overall score: the policy may weigh its four measures (`awards.overall_score`);
without weights they count equally."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kefu.conversations.models import AgentDayKpi
from kefu.performance.awards import overall_score
from kefu.performance.closing import month_close
from kefu.performance.models import AwardEntry
from kefu.performance.tests.db import OCTOBER, team
from kefu.performance.tests.support import preset_with
from kefu.policy.documents import PolicyError, load_preset, policy_from_data, policy_to_data
from kefu.policy.schema.awards import OverallScoreWeights
from kefu.policy.selectors import policy_in_force
from kefu.policy.services import policy_adopt

WEIGHTS = {
    "conversion": "0.4",
    "payment_rate": "0.2",
    "response_speed": "0.3",
    "service_language": "0.1",
    "clause": "店铺规定：转化率40%、付款率20%、响应速度30%、语气10%",
}
PARTS = {
    "conversion": Decimal("0.6"),
    "payment_rate": Decimal("0.75"),
    "fast_rate": Decimal("0.9"),
    "service_language": Decimal("1"),
}


def test_weighted_sum_is_exact() -> None:
    weights = OverallScoreWeights.model_validate(WEIGHTS)
    # 0.4 × 0.6 + 0.2 × 0.75 + 0.3 × 0.9 + 0.1 × 1 = 0.24 + 0.15 + 0.27 + 0.1 = 0.76
    assert overall_score(**PARTS, weights=weights) == Decimal("0.76")
    # No weights: the plain mean (0.6 + 0.75 + 0.9 + 1) / 4 = 0.8125
    assert overall_score(**PARTS) == Decimal("0.8125")
    assert overall_score(**{**PARTS, "payment_rate": None}, weights=weights) is None


def test_weights_that_do_not_add_up_to_one_are_refused_with_the_path() -> None:
    data = policy_to_data(load_preset("taobao-s4-standard"))
    data["awards"]["overall_score"] = {**WEIGHTS, "service_language": "0.2"}
    with pytest.raises(PolicyError) as caught:
        policy_from_data(data)
    assert caught.value.lines == [
        "awards.overall_score: the four weights must add up to 1, not 1.1"
    ]
    data["awards"]["overall_score"] = {**WEIGHTS, "conversion": "-0.1", "payment_rate": "0.7"}
    with pytest.raises(PolicyError) as caught:
        policy_from_data(data)
    assert caught.value.lines[0].startswith("awards.overall_score.conversion: ")


def test_the_policy_default_is_equal_weights() -> None:
    assert load_preset("taobao-s4-standard").awards.overall_score is None


@pytest.mark.django_db
def test_the_close_ranks_by_the_policy_weights() -> None:
    # 小美: conversion 6/10, payment 6/8, fast 45/50, no hits: equal 0.8125, weighted 0.76.
    # 小丽: conversion 8/10, payment 8/8, fast 20/50, no hits: equal 0.8,
    #       weighted 0.4 × 0.8 + 0.2 × 1 + 0.3 × 0.4 + 0.1 × 1 = 0.32 + 0.2 + 0.12 + 0.1 = 0.74.
    # Equal weights: 小美 first. Now shift weight to conversion and payment: 小丽 first.
    t = team("taobao-s4-standard", names=("小美", "小丽"))
    heavy = {**WEIGHTS, "conversion": "0.5", "payment_rate": "0.4", "response_speed": "0.05",
             "service_language": "0.05"}  # fmt: skip
    # 小美: 0.3 + 0.3 + 0.045 + 0.05 = 0.695; 小丽: 0.4 + 0.4 + 0.02 + 0.05 = 0.87.
    policy_adopt(
        shop=t.shop,
        document=preset_with("taobao-s4-standard", {"awards.overall_score": heavy}),
        effective_from=dt.date(2026, 10, 1),
        acting_user=None,
    )
    xiaomei, xiaoli = t.agents
    day = dt.date(2026, 10, 10)
    version = policy_in_force(shop=t.shop, on=day).version
    for agent, sales, paid, fast in ((xiaomei, "600.00", 6, 45), (xiaoli, "500.00", 8, 20)):
        AgentDayKpi.objects.create(
            shop=t.shop, agent=agent, local_date=day, policy_version=version,
            sales=Decimal(sales), orders=paid, computed_at=timezone.now(), inquiries=10,
            ordered_final=8, paid_final=paid, answered_rounds=50, fast_rounds=fast,
        )  # fmt: skip
    close = month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    overall = AwardEntry.objects.get(close=close, metric="overall_score")
    assert (overall.agent.name, overall.amount, overall.place) == ("小丽", Decimal("100.00"), 1)
    assert overall.explanation == (
        "本月综合评分最高第1名（0.87分）：奖励¥100"
        "（S4.3 §6(3) 转换率、付款率、响应速度、语气综合评分最高100元）"
    )
