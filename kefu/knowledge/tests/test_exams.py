from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.knowledge import exam_selectors, exam_services
from kefu.knowledge.choices import AttemptStatus, ExamStatus, QuestionKind
from kefu.knowledge.models import Attempt, Exam, ExamFact
from kefu.policy.models import PolicyVersion
from kefu.policy.services import policy_adopt_preset
from kefu.staff.models import Agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def points_shop(shop: Shop) -> Shop:
    """The shop under S4.5, whose points catalogue prices exam results."""
    policy_adopt_preset(
        shop=shop, preset="taobao-s4-points", effective_from=dt.date(2026, 2, 1), acting_user=None
    )
    return shop


def _exam(shop: Shop, *, short: bool = False) -> Exam:
    exam = exam_services.exam_create(shop=shop, title="10月考试", acting_user=None)
    exam_services.question_add(
        shop=shop,
        exam=exam,
        kind=QuestionKind.SINGLE,
        text="买家嫌贵，先说什么？",
        marks=50,
        choices=[("活动价和优惠券", True), ("爱买不买", False)],
        acting_user=None,
    )
    exam_services.question_add(
        shop=shop,
        exam=exam,
        kind=QuestionKind.MULTIPLE if not short else QuestionKind.SHORT,
        text="哪些是礼貌用语？",
        marks=50,
        choices=[("您好", True), ("谢谢", True), ("不知道", False)] if not short else None,
        reference="您好、谢谢",
        acting_user=None,
    )
    return exam_services.exam_open(shop=shop, exam=exam, acting_user=None)


def _right_answers(exam: Exam) -> dict[int, list[int] | str]:
    return {
        q.pk: [c.pk for c in q.choices.all() if c.correct] or "您好、谢谢"
        for q in exam.questions.all()
    }


def test_a_choice_question_without_a_correct_answer_is_refused(shop: Shop) -> None:
    exam = exam_services.exam_create(shop=shop, title="考试", acting_user=None)
    with pytest.raises(InvalidInput) as caught:
        exam_services.question_add(
            shop=shop,
            exam=exam,
            kind=QuestionKind.SINGLE,
            text="?",
            marks=10,
            choices=[("a", False), ("b", False)],
            acting_user=None,
        )
    assert caught.value.message == "这道题没有正确答案：请至少标出一个正确选项"
    with pytest.raises(InvalidInput, match="单选题只能有一个正确答案，现在标了 2 个"):
        exam_services.question_add(
            shop=shop,
            exam=exam,
            kind=QuestionKind.SINGLE,
            text="?",
            marks=10,
            choices=[("a", True), ("b", True)],
            acting_user=None,
        )


def test_an_exam_without_questions_cannot_open(shop: Shop) -> None:
    exam = exam_services.exam_create(shop=shop, title="考试", acting_user=None)
    with pytest.raises(InvalidInput, match="考试还没有题目"):
        exam_services.exam_open(shop=shop, exam=exam, acting_user=None)


def test_full_marks_becomes_a_fact_with_the_catalogue_clause(
    points_shop: Shop, agent: Agent
) -> None:
    exam = _exam(points_shop)
    attempt = exam_services.attempt_submit(
        shop=points_shop, exam=exam, agent=agent, answers=_right_answers(exam), acting_user=None
    )
    assert (attempt.status, attempt.score) == (AttemptStatus.MARKED, Decimal("100.0"))
    fact = ExamFact.objects.get()
    assert (fact.agent, fact.fact, fact.score, fact.clause) == (
        agent,
        "exam_full_marks",
        Decimal("100.0"),
        "S4.5 加分2",
    )
    assert fact.policy_version == PolicyVersion.objects.get(shop=points_shop, number=2)


def test_a_wrong_multiple_choice_scores_nothing_and_under_60_is_a_fact(
    points_shop: Shop, agent: Agent
) -> None:
    exam = _exam(points_shop)
    answers = _right_answers(exam)
    multiple = exam.questions.get(kind=QuestionKind.MULTIPLE)
    answers[multiple.pk] = [multiple.choices.get(text="您好").pk]  # one of two: no marks
    attempt = exam_services.attempt_submit(
        shop=points_shop, exam=exam, agent=agent, answers=answers, acting_user=None
    )
    assert attempt.score == Decimal("50.0")
    fact = ExamFact.objects.get()
    assert (fact.fact, fact.clause) == ("exam_below_60", "S4.5 中度7")


def test_a_score_between_60_and_100_is_no_fact(shop: Shop, agent: Agent) -> None:
    exam = _exam(shop, short=True)
    attempt = exam_services.attempt_submit(
        shop=shop, exam=exam, agent=agent, answers=_right_answers(exam), acting_user=None
    )
    assert (attempt.status, attempt.score) == (AttemptStatus.SUBMITTED, None)
    short = exam.questions.get(kind=QuestionKind.SHORT)
    with pytest.raises(InvalidInput, match="得分应在 0 到 50 之间"):
        exam_services.attempt_mark(
            shop=shop, attempt=attempt, marks={short.pk: Decimal(51)}, acting_user=None
        )
    exam_services.attempt_mark(
        shop=shop, attempt=attempt, marks={short.pk: Decimal("30")}, acting_user=None
    )
    assert attempt.score == Decimal("80.0")
    assert not ExamFact.objects.exists()


def test_a_fact_without_a_catalogue_item_keeps_an_empty_clause(shop: Shop, agent: Agent) -> None:
    exam = _exam(shop)
    exam_services.attempt_submit(
        shop=shop, exam=exam, agent=agent, answers=_right_answers(exam), acting_user=None
    )
    assert ExamFact.objects.get().clause == ""


def test_unanswered_questions_and_second_attempts_are_refused(shop: Shop, agent: Agent) -> None:
    exam = _exam(shop)
    first = exam.questions.first()
    assert first is not None
    with pytest.raises(InvalidInput) as caught:
        exam_services.attempt_submit(
            shop=shop, exam=exam, agent=agent, answers={first.pk: []}, acting_user=None
        )
    assert caught.value.message == "还有题目没有作答：第 1、2 题"
    exam_services.attempt_submit(
        shop=shop, exam=exam, agent=agent, answers=_right_answers(exam), acting_user=None
    )
    with pytest.raises(InvalidInput, match="你已经交过这场考试的答卷"):
        exam_services.attempt_submit(
            shop=shop, exam=exam, agent=agent, answers=_right_answers(exam), acting_user=None
        )


def test_results_per_question_show_the_weakest_first(shop: Shop, agent: Agent) -> None:
    exam = _exam(shop)
    answers = _right_answers(exam)
    single = exam.questions.get(kind=QuestionKind.SINGLE)
    answers[single.pk] = [single.choices.get(correct=False).pk]
    exam_services.attempt_submit(
        shop=shop, exam=exam, agent=agent, answers=answers, acting_user=None
    )
    results = exam_selectors.question_results(shop=shop, exam=exam)
    assert [(r.number, r.answered, r.full, r.rate) for r in results] == [
        (1, 1, 0, 0),
        (2, 1, 1, 100),
    ]


def test_a_closed_exam_takes_no_answers(shop: Shop, agent: Agent) -> None:
    exam = _exam(shop)
    exam_services.exam_close(shop=shop, exam=exam, acting_user=None)
    assert exam.status == ExamStatus.CLOSED
    with pytest.raises(InvalidInput, match="这场考试现在不能作答"):
        exam_services.attempt_submit(
            shop=shop, exam=exam, agent=agent, answers=_right_answers(exam), acting_user=None
        )


def test_a_rules_question_is_written_from_the_policy(shop: Shop) -> None:
    exam = exam_services.exam_create(shop=shop, title="制度考试", acting_user=None)
    question = exam_services.question_add_from_policy(shop=shop, exam=exam, acting_user=None)
    assert question.text == "以下哪些是本店禁止对顾客说的话？（S4.3 §5.5 严禁使用以下词语）"
    assert [(c.text, c.correct) for c in question.choices.all()] == [
        ("您好", False),
        ("这不是我们的问题", True),
        ("请", False),
        ("不是我们的问题", True),
        ("谢谢", False),
        ("我们不负责", True),
        ("对不起", False),
        ("我们不补货了", True),
    ]


def test_the_fact_belongs_to_the_day_the_exam_was_sat(points_shop: Shop, agent: Agent) -> None:
    exam = _exam(points_shop, short=True)
    attempt = exam_services.attempt_submit(
        shop=points_shop, exam=exam, agent=agent, answers=_right_answers(exam), acting_user=None
    )
    # Sat at 23:30 on 31 January in Shanghai (15:30 UTC), marked later under February's policy.
    sat = dt.datetime(2026, 1, 31, 15, 30, tzinfo=dt.UTC)
    Attempt.objects.filter(pk=attempt.pk).update(submitted_at=sat)
    attempt.refresh_from_db()
    short = exam.questions.get(kind=QuestionKind.SHORT)
    with pytest.raises(InvalidInput, match="得分最多保留一位小数"):
        exam_services.attempt_mark(
            shop=points_shop, attempt=attempt, marks={short.pk: Decimal("7.25")}, acting_user=None
        )
    exam_services.attempt_mark(
        shop=points_shop, attempt=attempt, marks={short.pk: Decimal(0)}, acting_user=None
    )
    fact = ExamFact.objects.get()
    assert (fact.on, fact.fact, fact.clause) == (dt.date(2026, 1, 31), "exam_below_60", "")
    assert fact.policy_version == PolicyVersion.objects.get(shop=points_shop, number=1)
