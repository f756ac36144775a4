"""Reads of exams, always scoped by shop: the list, an agent's attempt, and the results per
question that show what the team does not know."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from kefu.core.models import Shop
from kefu.knowledge.choices import ExamStatus
from kefu.knowledge.models import Attempt, Exam, ExamFact, Question
from kefu.staff.models import Agent


def exams(*, shop: Shop) -> QuerySet[Exam]:
    return Exam.objects.filter(shop=shop).select_related("product")


def open_exams(*, shop: Shop) -> QuerySet[Exam]:
    return exams(shop=shop).filter(status=ExamStatus.OPEN)


def attempts(*, shop: Shop, exam: Exam) -> QuerySet[Attempt]:
    return Attempt.objects.filter(shop=shop, exam=exam).select_related("agent", "fact")


def attempt_of(*, shop: Shop, exam: Exam, agent: Agent) -> Attempt | None:
    return Attempt.objects.filter(shop=shop, exam=exam, agent=agent).first()


def questions(*, shop: Shop, exam: Exam) -> QuerySet[Question]:
    return Question.objects.filter(shop=shop, exam=exam).prefetch_related("choices")


def exam_facts(*, shop: Shop) -> QuerySet[ExamFact]:
    return ExamFact.objects.filter(shop=shop).select_related("agent", "exam")


@dataclass(frozen=True)
class QuestionResult:
    number: int
    question: Question
    answered: int
    full: int
    """Answers that earned the question's full marks."""

    @property
    def rate(self) -> int | None:
        """Percent of marked answers with full marks; None before any is marked."""
        return round(self.full * 100 / self.answered) if self.answered else None


def question_results(*, shop: Shop, exam: Exam) -> list[QuestionResult]:
    """Per question, how many marked answers got it right, weakest first."""
    results = []
    for number, question in enumerate(questions(shop=shop, exam=exam), start=1):
        marked = [a.marks for a in question.answers.all() if a.marks is not None]
        full = sum(1 for m in marked if m >= question.marks)
        results.append(QuestionResult(number, question, len(marked), full))
    return sorted(results, key=lambda r: (r.rate if r.rate is not None else 101, r.number))
