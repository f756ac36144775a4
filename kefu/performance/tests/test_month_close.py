from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from kefu.core.errors import InvalidInput
from kefu.performance.choices import RecommendationStatus
from kefu.performance.closing import month_close
from kefu.performance.engine import Month
from kefu.performance.models import FineEntry, MonthClose, PointEntry, Recommendation
from kefu.performance.selectors import live_fines, month_outcome
from kefu.performance.services import fact_record, recommendation_decide
from kefu.performance.tests.db import OCTOBER, record, team
from kefu.performance.tests.support import local
from kefu.policy.selectors import policy_in_force

pytestmark = pytest.mark.django_db
CLAUSE = "S4.1 §1 交接"


def _fines(t):
    return [
        (f.agent.name, f.amount, f.clause, f.fact_ids)
        for f in FineEntry.objects.filter(shop=t.shop).order_by("id")
    ]


def test_close_writes_fines_with_version_clause_and_facts():
    t = team()
    xiaomei = t.agents[0]
    first = record(t, xiaomei, "handover_missing", 3)
    second = record(t, xiaomei, "handover_missing", 10)
    close = month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    version = policy_in_force(shop=t.shop, on=Month(2026, 10).last_day).version
    assert close.policy_version == version
    assert _fines(t) == [
        ("小美", Decimal("30.00"), CLAUSE, [first.pk]),
        ("小美", Decimal("50.00"), CLAUSE, [second.pk]),
    ]
    assert {f.policy_version_id for f in FineEntry.objects.all()} == {version.pk}
    entry = FineEntry.objects.order_by("id").first()
    assert entry.explanation.endswith(f"（{CLAUSE}）")
    assert set(close.summary) == {str(a.pk) for a in t.agents}


def test_second_close_is_refused_and_changes_nothing():
    t = team()
    record(t, t.agents[0], "handover_missing", 3)
    month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    record(t, t.agents[0], "handover_missing", 4)
    with pytest.raises(InvalidInput) as caught:
        month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    assert (
        caught.value.message == "2026年10月已结算；如需更改，请做更正结算（会列出差异并写冲销记录）"
    )
    assert MonthClose.objects.count() == 1
    assert FineEntry.objects.count() == 1


def test_correction_adds_new_lines_and_reverses_withdrawn_ones():
    t = team()
    xiaomei = t.agents[0]
    first = record(t, xiaomei, "handover_missing", 3)
    record(t, xiaomei, "cleaning_not_done", 5)
    month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    # The attendance capability withdraws the cleaning fact; a second handover is found.
    from kefu.performance.models import Fact

    Fact.objects.filter(key="cleaning_not_done").delete()
    second = record(t, xiaomei, "handover_missing", 10)
    correction = month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor, correction=True)
    assert [(d["change"], d["agent"], d["value"]) for d in correction.differences] == [
        ("+", "小美", "50"),
        ("-", "小美", "50.00"),
    ]
    assert _fines(t)[2:] == [
        ("小美", Decimal("50.00"), CLAUSE, [second.pk]),
        ("小美", Decimal("-50.00"), "S4.1 §13", _fines(t)[1][3]),
    ]
    reversal = FineEntry.objects.get(amount=Decimal("-50.00"))
    assert reversal.reverses.clause == "S4.1 §13"
    assert reversal.close == correction
    assert [(f.amount, f.fact_ids) for f in live_fines(shop=t.shop, month=Month(2026, 10))] == [
        (Decimal("30.00"), [first.pk]),
        (Decimal("50.00"), [second.pk]),
    ]
    _, outcome = month_outcome(shop=t.shop, month=Month(2026, 10))
    assert outcome.agent(str(xiaomei.pk)).fines_total == Decimal("80.00")


def test_correction_of_an_open_month_is_refused():
    t = team()
    with pytest.raises(InvalidInput, match="2026年10月尚未结算，无需更正"):
        month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor, correction=True)
    assert MonthClose.objects.count() == 0


def test_two_failing_months_recommend_dismissal_through_the_previous_close():
    t = team("taobao-s4-points")
    xiaomei = t.agents[0]
    for month, days in (("2026-09", (1, 2, 3)), (OCTOBER, (5, 6, 7))):
        for day in days:
            fact_record(
                shop=t.shop,
                agent=xiaomei,
                key="absenteeism",
                occurred_at=local(Month.parse(month).first_day.replace(day=day), "10:00"),
            )
        close = month_close(shop=t.shop, month=month, acting_user=t.supervisor)
    points = PointEntry.objects.filter(agent=xiaomei, month=OCTOBER).order_by("id")
    assert [(p.points, p.clause) for p in points] == [
        (Decimal("-20.00"), "S4.5 重度1"),
        (Decimal("-20.00"), "S4.5 重度1"),
        (Decimal("-20.00"), "S4.5 重度1"),
        (Decimal("5.00"), "S4.5 加分5"),
    ]
    assert close.summary[str(xiaomei.pk)]["score"] == "45"
    assert close.summary[str(xiaomei.pk)]["failed"] is True
    fine = FineEntry.objects.get(agent=xiaomei, month=OCTOBER, rule="points.below")
    assert (fine.amount, fine.clause) == (
        Decimal("100.00"),
        "S4.5 (二)(2)(e) 考核分不达60分扣100元/月",
    )
    rec = Recommendation.objects.get()
    assert (rec.month, rec.consequence, rec.status) == (OCTOBER, "dismissal", "open")
    assert rec.explanation.startswith("连续2个月考评不及格：建议辞退")


def test_recommendation_decision_is_kept():
    t = team()
    xiaomei = t.agents[0]
    for day in (3, 4, 5, 6):
        record(t, xiaomei, "handover_missing", day)  # the 4th: withhold the month's pay
    month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    rec = Recommendation.objects.get()
    assert (rec.consequence, rec.status) == ("withhold_month_pay", RecommendationStatus.OPEN)
    recommendation_decide(
        shop=t.shop, recommendation=rec, accept=False, note="初犯", acting_user=t.supervisor
    )
    rec.refresh_from_db()
    assert (rec.status, rec.decision_note, rec.decided_by) == (
        RecommendationStatus.DISMISSED,
        "初犯",
        t.supervisor,
    )
    with pytest.raises(InvalidInput, match="该建议已处理（已驳回）"):
        recommendation_decide(shop=t.shop, recommendation=rec, accept=True, acting_user=None)


def test_a_month_not_over_is_not_closed():
    t = team()
    today = timezone.localdate(timezone=t.shop.tzinfo)
    with pytest.raises(InvalidInput, match="还没有结束，月底之后才能结算"):
        month_close(shop=t.shop, month=Month.of(today), acting_user=t.supervisor)
    assert MonthClose.objects.count() == 0


def test_correction_lists_a_changed_score():
    t = team("taobao-s4-points")
    xiaomei = t.agents[0]
    month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    record(t, xiaomei, "messy_desk", 6)
    correction = month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor, correction=True)
    assert [(d["kind"], d["change"], d["agent"]) for d in correction.differences] == [
        ("积分", "+", "小美"),
        ("考评分", "±", "小美"),
    ]
    assert correction.differences[1]["explanation"] == "考评分 105 → 103"
