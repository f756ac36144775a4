"""Writes to exams: building one, opening it, agents' answers, hand marking, and the facts a
marked attempt becomes (exam_full_marks, exam_below_60) for the points engine."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from kefu.core.audit import audit_record
from kefu.core.clock import shop_today
from kefu.core.errors import InvalidInput, NotFound
from kefu.core.models import Shop
from kefu.knowledge.choices import AttemptStatus, ExamStatus, QuestionKind
from kefu.knowledge.models import (
    Answer,
    Attempt,
    Choice,
    Exam,
    ExamFact,
    Product,
    Question,
)
from kefu.performance.services import fact_record
from kefu.policy.selectors import policy_in_force
from kefu.staff.models import Agent, Assignment

FULL_MARKS = Decimal(100)
# The vocabulary's fact is "客服考试低于60分" (exam_below_60): when the policy has no `exams`
# section, 100 and 60 (the facts' own definitions) are the thresholds.
BELOW = Decimal(60)
FACT_FULL_MARKS = "exam_full_marks"
FACT_BELOW_60 = "exam_below_60"


def _audit(shop: Shop, user: User | None, action: str, exam: Exam, **values: object) -> None:
    audit_record(
        shop=shop,
        actor=user,
        action=action,
        object_type="exam",
        object_id=exam.pk,
        new_value=values or None,
    )


@transaction.atomic
def exam_create(
    *, shop: Shop, title: str, product: Product | None = None, acting_user: User | None
) -> Exam:
    title = title.strip()
    if not title:
        raise InvalidInput("请填写考试名称，如“10月商品知识考试”")
    if product is not None and product.shop_id != shop.pk:
        raise InvalidInput("商品不属于本店")
    exam = Exam.objects.create(shop=shop, title=title, product=product)
    _audit(shop, acting_user, "exam.create", exam, title=title)
    return exam


def _choice_problem(kind: str, choices: list[tuple[str, bool]]) -> str | None:
    if kind == QuestionKind.SHORT:
        return None
    if len(choices) < 2:
        return "选择题至少要有两个选项"
    correct = sum(1 for _, is_correct in choices if is_correct)
    if correct == 0:
        return "这道题没有正确答案：请至少标出一个正确选项"
    if kind == QuestionKind.SINGLE and correct > 1:
        return f"单选题只能有一个正确答案，现在标了 {correct} 个；多个正确答案请选“多选题”"
    return None


@transaction.atomic
def question_add(
    *,
    shop: Shop,
    exam: Exam,
    kind: QuestionKind | str,
    text: str,
    marks: int,
    choices: list[tuple[str, bool]] | None = None,
    reference: str = "",
    acting_user: User | None,
) -> Question:
    """Add a question to a draft exam. `choices` are (text, correct) for choice questions."""
    if exam.shop_id != shop.pk:
        raise InvalidInput("考试不属于本店")
    if exam.status != ExamStatus.DRAFT:
        raise InvalidInput("考试已开始，不能再改题目")
    kind = QuestionKind(kind)
    text = text.strip()
    if not text:
        raise InvalidInput("请填写题目")
    if marks < 1:
        raise InvalidInput("每题至少 1 分")
    cleaned = [(c.strip(), ok) for c, ok in choices or [] if c.strip()]
    problem = _choice_problem(kind, cleaned)
    if problem:
        raise InvalidInput(problem)
    question = Question.objects.create(
        shop=shop, exam=exam, kind=kind, text=text, marks=marks, reference=reference.strip()
    )
    if kind != QuestionKind.SHORT:
        Choice.objects.bulk_create(
            Choice(shop=shop, question=question, text=c, correct=ok) for c, ok in cleaned
        )
    _audit(shop, acting_user, "exam.question_add", exam, question=question.pk, text=text)
    return question


@transaction.atomic
def question_add_from_policy(*, shop: Shop, exam: Exam, acting_user: User | None) -> Question:
    """A rules question written from the policy in force: which of these are the shop's banned
    phrases (all of them correct) among its courtesy words (all wrong)."""
    try:
        quality = policy_in_force(shop=shop, on=shop_today(tz=shop.timezone)).policy.quality
    except NotFound as exc:
        raise InvalidInput(exc.message) from exc
    if quality.banned is None:
        raise InvalidInput("本店管理制度没有禁用语，无法生成这道题")
    banned = quality.banned.phrases[:4]
    courtesy = [p for p in quality.required_courtesy.phrases if p not in banned][:4]
    # Interleaved so the correct options are not simply the first ones.
    options: list[tuple[str, bool]] = []
    for index in range(max(len(banned), len(courtesy))):
        if index < len(courtesy):
            options.append((courtesy[index], False))
        if index < len(banned):
            options.append((banned[index], True))
    return question_add(
        shop=shop,
        exam=exam,
        kind=QuestionKind.MULTIPLE,
        text=f"以下哪些是本店禁止对顾客说的话？（{quality.banned.clause}）",
        marks=10,
        choices=options,
        acting_user=acting_user,
    )


@transaction.atomic
def question_delete(*, shop: Shop, question: Question, acting_user: User | None) -> None:
    if question.shop_id != shop.pk or question.exam.status != ExamStatus.DRAFT:
        raise InvalidInput("考试已开始，不能再改题目")
    _audit(shop, acting_user, "exam.question_delete", question.exam, text=question.text)
    question.delete()


@transaction.atomic
def exam_open(*, shop: Shop, exam: Exam, acting_user: User | None) -> Exam:
    """Open a draft for the agents. Every choice question must have its correct answer."""
    if exam.shop_id != shop.pk or exam.status != ExamStatus.DRAFT:
        raise InvalidInput("只有草稿状态的考试可以开始")
    questions = list(exam.questions.prefetch_related("choices"))
    if not questions:
        raise InvalidInput("考试还没有题目，请先添加题目")
    for number, question in enumerate(questions, start=1):
        pairs = [(c.text, c.correct) for c in question.choices.all()]
        problem = _choice_problem(question.kind, pairs)
        if problem:
            raise InvalidInput(f"第{number}题：{problem}")
    exam.status = ExamStatus.OPEN
    exam.opened_at = timezone.now()
    exam.save(update_fields=["status", "opened_at"])
    _audit(shop, acting_user, "exam.open", exam)
    return exam


@transaction.atomic
def exam_close(*, shop: Shop, exam: Exam, acting_user: User | None) -> Exam:
    if exam.shop_id != shop.pk or exam.status != ExamStatus.OPEN:
        raise InvalidInput("只有进行中的考试可以结束")
    exam.status = ExamStatus.CLOSED
    exam.save(update_fields=["status"])
    _audit(shop, acting_user, "exam.close", exam)
    return exam


def _total(exam: Exam) -> int:
    return sum(q.marks for q in exam.questions.all())


@transaction.atomic
def attempt_submit(
    *,
    shop: Shop,
    exam: Exam,
    agent: Agent,
    answers: dict[int, list[int] | str],
    acting_user: User | None,
) -> Attempt:
    """Store an agent's answers (by question id: choice ids, or the text of a short answer).
    Choice questions are marked at once (a multiple choice scores only when exactly the
    correct options are chosen); with no short answers the attempt is final at once."""
    if exam.shop_id != shop.pk or exam.status != ExamStatus.OPEN:
        raise InvalidInput("这场考试现在不能作答")
    if not Assignment.objects.filter(shop=shop, agent=agent, active=True).exists():
        raise InvalidInput(f"{agent.name} 不是本店在岗客服")
    if Attempt.objects.filter(exam=exam, agent=agent).exists():
        raise InvalidInput("你已经交过这场考试的答卷")
    questions = list(exam.questions.prefetch_related("choices"))
    unanswered = [n for n, q in enumerate(questions, start=1) if not answers.get(q.pk)]
    if unanswered:
        raise InvalidInput(f"还有题目没有作答：第 {'、'.join(map(str, unanswered))} 题")
    attempt = Attempt.objects.create(shop=shop, exam=exam, agent=agent)
    for question in questions:
        given = answers[question.pk]
        if question.kind == QuestionKind.SHORT:
            Answer.objects.create(shop=shop, attempt=attempt, question=question, text=str(given))
            continue
        options = {c.pk: c for c in question.choices.all()}
        chosen = {int(c) for c in given} if isinstance(given, list) else set()
        if not chosen <= options.keys() or (
            question.kind == QuestionKind.SINGLE and len(chosen) != 1
        ):
            raise InvalidInput(f"第 {questions.index(question) + 1} 题的选项无效")
        right = {pk for pk, c in options.items() if c.correct}
        answer = Answer.objects.create(
            shop=shop,
            attempt=attempt,
            question=question,
            marks=Decimal(question.marks) if chosen == right else Decimal(0),
        )
        answer.choices.set([options[pk] for pk in chosen])
    audit_record(
        shop=shop,
        actor=acting_user,
        action="exam.submit",
        object_type="exam",
        object_id=exam.pk,
        new_value={"agent": agent.pk, "attempt": attempt.pk},
    )
    if not any(q.kind == QuestionKind.SHORT for q in questions):
        _finalise(shop=shop, attempt=attempt)
    return attempt


@transaction.atomic
def attempt_mark(
    *, shop: Shop, attempt: Attempt, marks: dict[int, Decimal], acting_user: User | None
) -> Attempt:
    """The supervisor marks the short answers (by question id); the attempt becomes final."""
    if attempt.shop_id != shop.pk:
        raise InvalidInput("答卷不属于本店")
    if attempt.status == AttemptStatus.MARKED:
        raise InvalidInput("这份答卷已经评过分了")
    for answer in attempt.answers.select_related("question"):
        if answer.question.kind != QuestionKind.SHORT:
            continue
        given = marks.get(answer.question_id)
        if given is None:
            raise InvalidInput(f"请为简答题“{answer.question.text[:20]}”打分")
        if not given.is_finite() or given != given.quantize(Decimal("0.1")):
            raise InvalidInput("得分最多保留一位小数，如 7.5")
        if not Decimal(0) <= given <= answer.question.marks:
            raise InvalidInput(
                f"简答题“{answer.question.text[:20]}”的得分应在 0 到 {answer.question.marks} 之间"
            )
        answer.marks = given
        answer.save(update_fields=["marks"])
    _audit(shop, acting_user, "exam.mark", attempt.exam, attempt=attempt.pk)
    return _finalise(shop=shop, attempt=attempt)


def _finalise(*, shop: Shop, attempt: Attempt) -> Attempt:
    total = _total(attempt.exam)
    earned = sum((a.marks or Decimal(0) for a in attempt.answers.all()), Decimal(0))
    score = (earned * FULL_MARKS / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    attempt.score = score
    attempt.status = AttemptStatus.MARKED
    attempt.marked_at = timezone.now()
    attempt.save(update_fields=["score", "status", "marked_at"])
    _record_fact(shop=shop, attempt=attempt)
    return attempt


def _record_fact(*, shop: Shop, attempt: Attempt) -> ExamFact | None:
    """Full marks or under the pass mark is a fact, stamped with the policy version in force
    and the clause of its catalogue item when the policy prices it. The thresholds are the
    policy's `exams` section (S4.5: 100 and 60), else the facts' own 100 and 60. The fact is
    also written to the performance ledger (source "exam", source_ref the attempt id), which
    the points engine prices."""
    assert attempt.score is not None
    # The fact belongs to the day the agent sat the exam (in the shop's zone), not the day it
    # was marked: October's exam marked on 2 November still counts for October.
    on = attempt.submitted_at.astimezone(shop.tzinfo).date()
    try:
        in_force = policy_in_force(shop=shop, on=on)
    except NotFound:
        in_force = None
    exams = in_force.policy.exams if in_force is not None else None
    full_marks = exams.full_marks if exams is not None else FULL_MARKS
    pass_mark = exams.pass_mark if exams is not None else BELOW
    if attempt.score >= full_marks:
        fact = FACT_FULL_MARKS
    elif attempt.score < pass_mark:
        fact = FACT_BELOW_60
    else:
        return None
    if in_force is None:
        version, clause = None, ""
    else:
        item = in_force.policy.points.item(fact)
        version, clause = in_force.version, item.clause if item is not None else ""
    row = ExamFact.objects.create(
        shop=shop,
        agent=attempt.agent,
        exam=attempt.exam,
        attempt=attempt,
        fact=fact,
        score=attempt.score,
        on=on,
        policy_version=version,
        clause=clause,
    )
    fact_record(
        shop=shop,
        agent=attempt.agent,
        key=fact,
        occurred_at=attempt.submitted_at,
        local_date=on,
        source="exam",
        source_ref=str(attempt.pk),
        evidence={
            "exam": attempt.exam_id,
            "exam_title": attempt.exam.title,
            "attempt": attempt.pk,
            "score": str(attempt.score),
            "full_marks": str(full_marks),
            "pass_mark": str(pass_mark),
            "clause": clause,
        },
    )
    return row
