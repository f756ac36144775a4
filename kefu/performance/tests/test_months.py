"""Rules over several months read the previous months' outcomes."""

from __future__ import annotations

from decimal import Decimal

from kefu.performance.engine import Month, month_rules_apply
from kefu.performance.tests.support import fact
from kefu.policy.documents import load_preset

PDD = load_preset("pdd-s3")
S45 = load_preset("taobao-s4-points")


def months(policy, per_month, **kwargs):
    """Run the months in turn, each with the outcomes before it; `per_month` maps a Month to
    its facts (and optionally `warnings`)."""
    outcomes = []
    for month, facts in per_month.items():
        warnings = kwargs.get("warnings", {}).get(month)
        outcome = month_rules_apply(
            policy=policy,
            facts=facts,
            month=month,
            agents=["a"],
            part_scores=kwargs.get("scores"),
            previous=outcomes,
            warnings_issued=warnings,
        )
        outcomes.append(outcome)
    return outcomes


def absent_once(month):
    # S3: absenteeism 5 points: the month ends at 5, "at or below 5".
    return [fact("a", "absenteeism", month.first_day.replace(day=10))]


def test_s3_three_low_months_in_a_row_recommend_severe_punishment():
    jan, feb, mar = Month(2026, 1), Month(2026, 2), Month(2026, 3)
    outcomes = months(PDD, {m: absent_once(m) for m in (jan, feb, mar)})
    assert [o.agent("a").low for o in outcomes] == [True, True, True]
    assert [r.consequence for r in outcomes[1].agent("a").recommendations] == ["verbal_warning"]
    march = outcomes[2].agent("a")
    assert [r.consequence for r in march.recommendations] == ["verbal_warning", "severe_punishment"]
    assert march.recommendations[1].explanation == (
        "连续3个月积分不高于5分：建议严厉处罚"
        "（S3 §3 连续3个月等于或低于5分严厉处罚（原文“58分”按5分理解））"
    )


def test_s3_a_good_month_or_a_missing_month_breaks_the_run():
    jan, feb, mar = Month(2026, 1), Month(2026, 2), Month(2026, 3)
    outcomes = months(PDD, {jan: absent_once(jan), feb: [], mar: absent_once(mar)})
    assert outcomes[2].agent("a").recommended("severe_punishment") == ()
    # December and January low, February not recorded at all: March starts a new run.
    dec = Month(2025, 12)
    history = months(PDD, {dec: absent_once(dec), jan: absent_once(jan)})
    march = month_rules_apply(policy=PDD, facts=absent_once(mar), month=mar, previous=history)
    assert march.agent("a").recommended("severe_punishment") == ()


def failing(month):
    # 0 on team task and return visit: 20 + 20 = 40, +5 zero complaints = 45, under 60.
    return {"a": {"team_task": Decimal(0), "return_visit": Decimal(0)}}


def test_s45_two_failing_months_in_a_row_recommend_dismissal():
    feb, mar = Month(2026, 2), Month(2026, 3)
    outcomes = months(S45, {feb: [], mar: []}, scores=failing(None))
    assert [o.agent("a").score for o in outcomes] == [Decimal(45), Decimal(45)]
    assert outcomes[0].agent("a").recommendations == ()
    march = outcomes[1].agent("a")
    assert [r.consequence for r in march.recommendations] == ["dismissal"]
    assert march.recommendations[0].explanation == (
        "连续2个月考评不及格：建议辞退（S4.5 (二)(2)(e) 连续2个月综合考评不及格）"
    )
    assert march.fines_total == Decimal(100)  # the failing month's fine is still due


def test_s45_three_warnings_recommend_dismissal_when_the_third_is_issued():
    jan, feb, mar = Month(2026, 1), Month(2026, 2), Month(2026, 3)
    warnings = {jan: {"a": 1}, feb: {"a": 1}, mar: {"a": 1}}
    outcomes = months(S45, {jan: [], feb: [], mar: []}, warnings=warnings)
    assert [len(o.agent("a").recommended("dismissal")) for o in outcomes] == [0, 0, 1]
    assert (
        outcomes[2]
        .agent("a")
        .recommendations[0]
        .explanation.startswith("累计3次警告处分：建议辞退")
    )
    # A month without a new warning raises nothing new.
    april = month_rules_apply(
        policy=S45, facts=[], month=Month(2026, 4), agents=["a"], previous=outcomes
    )
    assert april.agent("a").recommendations == ()
