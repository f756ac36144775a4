"""A marked attempt becomes a fact of the performance ledger (source "exam"), with the
thresholds of the policy's `exams` section."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kefu.core.models import Shop
from kefu.knowledge import exam_services
from kefu.knowledge.choices import QuestionKind
from kefu.knowledge.models import Exam, ExamFact
from kefu.knowledge.tests.test_exams import _exam, _right_answers
from kefu.performance.models import Fact
from kefu.policy.selectors import policy_in_force
from kefu.policy.services import policy_adopt_preset, policy_set_value
from kefu.staff.models import Agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def points_shop(shop: Shop) -> Shop:
    policy_adopt_preset(
        shop=shop, preset="taobao-s4-points", effective_from=dt.date(2026, 2, 1), acting_user=None
    )
    return shop


def test_full_marks_is_a_performance_fact_with_its_evidence(
    points_shop: Shop, agent: Agent
) -> None:
    exam = _exam(points_shop)
    attempt = exam_services.attempt_submit(
        shop=points_shop, exam=exam, agent=agent, answers=_right_answers(exam), acting_user=None
    )
    fact = Fact.objects.get()
    assert (fact.agent, fact.key, fact.source, fact.source_ref, fact.quantity) == (
        agent,
        "exam_full_marks",
        "exam",
        str(attempt.pk),
        1,
    )
    assert fact.local_date == attempt.submitted_at.astimezone(points_shop.tzinfo).date()
    assert fact.evidence == {
        "exam": exam.pk,
        "exam_title": "10月考试",
        "attempt": attempt.pk,
        "score": "100.0",
        "full_marks": "100",
        "pass_mark": "60",
        "clause": "S4.5 加分2",
    }


def test_under_the_pass_mark_after_hand_marking_is_a_fact(points_shop: Shop, agent: Agent) -> None:
    exam = _exam(points_shop, short=True)
    answers = _right_answers(exam)
    single = exam.questions.get(kind=QuestionKind.SINGLE)
    answers[single.pk] = [single.choices.get(correct=False).pk]
    attempt = exam_services.attempt_submit(
        shop=points_shop, exam=exam, agent=agent, answers=answers, acting_user=None
    )
    assert Fact.objects.count() == 0  # the short answer is not marked yet
    short = exam.questions.get(kind=QuestionKind.SHORT)
    exam_services.attempt_mark(
        shop=points_shop, attempt=attempt, marks={short.pk: Decimal("9.5")}, acting_user=None
    )
    fact = Fact.objects.get()
    assert (fact.key, fact.source_ref, fact.evidence["score"]) == (
        "exam_below_60",
        str(attempt.pk),
        "9.5",
    )


def _with_thresholds(shop: Shop, *, full_marks: int, pass_mark: int) -> None:
    for path, value in (("exams.full_marks", full_marks), ("exams.pass_mark", pass_mark)):
        policy_set_value(
            shop=shop, path=path, value=value, effective_from=dt.date(2026, 2, 1), acting_user=None
        )


def test_the_thresholds_come_from_the_policy(points_shop: Shop, agent: Agent) -> None:
    _with_thresholds(points_shop, full_marks=95, pass_mark=80)
    exam: Exam = _exam(points_shop, short=True)
    attempt = exam_services.attempt_submit(
        shop=points_shop, exam=exam, agent=agent, answers=_right_answers(exam), acting_user=None
    )
    short = exam.questions.get(kind=QuestionKind.SHORT)
    exam_services.attempt_mark(
        shop=points_shop, attempt=attempt, marks={short.pk: Decimal("45")}, acting_user=None
    )
    # 95 is full marks under this policy.
    assert (ExamFact.objects.get().fact, Fact.objects.get().key) == (
        "exam_full_marks",
        "exam_full_marks",
    )
    assert Fact.objects.get().evidence["full_marks"] == "95"


def test_between_the_thresholds_no_fact(points_shop: Shop, agent: Agent) -> None:
    _with_thresholds(points_shop, full_marks=100, pass_mark=80)
    exam = _exam(points_shop, short=True)
    attempt = exam_services.attempt_submit(
        shop=points_shop, exam=exam, agent=agent, answers=_right_answers(exam), acting_user=None
    )
    short = exam.questions.get(kind=QuestionKind.SHORT)
    exam_services.attempt_mark(
        shop=points_shop, attempt=attempt, marks={short.pk: Decimal("30")}, acting_user=None
    )
    # 80 is not under the pass mark of 80.
    assert (ExamFact.objects.count(), Fact.objects.count()) == (0, 0)


def test_the_s45_preset_prices_both_exam_facts(points_shop: Shop) -> None:
    policy = policy_in_force(shop=points_shop, on=dt.date(2026, 2, 1)).policy
    assert policy.exams is not None
    assert (policy.exams.full_marks, policy.exams.pass_mark) == (Decimal(100), Decimal(60))
    full, below = policy.points.item("exam_full_marks"), policy.points.item("exam_below_60")
    assert full is not None and below is not None
    assert (full.severity, full.points.render(), full.clause) == ("bonus", 5, "S4.5 加分2")
    assert (below.severity, below.points.render(), below.clause) == ("medium", 10, "S4.5 中度7")
