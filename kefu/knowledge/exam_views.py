"""Exam pages: the supervisor builds, opens and marks an exam and reads its results; agents
take it in the browser."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kefu.core.access import Capability, shop_object_or_404
from kefu.core.errors import InvalidInput
from kefu.knowledge import exam_selectors, exam_services, selectors
from kefu.knowledge.choices import ExamStatus, QuestionKind
from kefu.knowledge.forms import ExamForm, QuestionForm
from kefu.knowledge.models import Answer, Attempt, Exam, Question
from kefu.knowledge.views import acting_user, is_manager, show_error
from kefu.web.shop_views import ShopRequest, shop_view


def _exam(request: ShopRequest, exam_id: int) -> Exam:
    return shop_object_or_404(Exam.objects.all(), shop=request.shop, pk=exam_id)


def _to_exam(request: ShopRequest, exam: Exam) -> HttpResponse:
    return redirect("knowledge:exam", shop_id=request.shop.pk, exam_id=exam.pk)


@shop_view(Capability.VIEW_DASHBOARD)
def exam_list(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    manager = is_manager(request)
    agent = selectors.agent_of(shop=shop, user=request.user)
    listed = exam_selectors.exams(shop=shop)
    if not manager:
        listed = listed.exclude(status=ExamStatus.DRAFT)
    mine = {a.exam_id: a for a in Attempt.objects.filter(shop=shop, agent=agent)} if agent else {}
    rows = [(exam, mine.get(exam.pk)) for exam in listed]
    context = {
        "shop": shop,
        "rows": rows,
        "manager": manager,
        "agent": agent,
        "form": ExamForm(shop=shop),
        "facts": exam_selectors.exam_facts(shop=shop)[:20] if manager else [],
    }
    return render(request, "knowledge/exam_list.html", context)


@shop_view(Capability.MANAGE_TEAM)
@require_POST
def exam_create(request: ShopRequest) -> HttpResponse:
    form = ExamForm(request.POST, shop=request.shop)
    try:
        if not form.is_valid():
            raise InvalidInput("请填写考试名称")
        exam = exam_services.exam_create(
            shop=request.shop, acting_user=acting_user(request), **form.cleaned_data
        )
    except InvalidInput as exc:
        show_error(request, exc)
        return redirect("knowledge:exams", shop_id=request.shop.pk)
    return _to_exam(request, exam)


@shop_view(Capability.MANAGE_TEAM)
def exam_detail(request: ShopRequest, exam_id: int) -> HttpResponse:
    shop = request.shop
    exam = _exam(request, exam_id)
    context = {
        "shop": shop,
        "exam": exam,
        "questions": exam_selectors.questions(shop=shop, exam=exam),
        "attempts": exam_selectors.attempts(shop=shop, exam=exam),
        "results": exam_selectors.question_results(shop=shop, exam=exam),
        "form": QuestionForm(),
        "total": sum(q.marks for q in exam.questions.all()),
    }
    return render(request, "knowledge/exam_detail.html", context)


@shop_view(Capability.MANAGE_TEAM)
def question_add(request: ShopRequest, exam_id: int) -> HttpResponse:
    exam = _exam(request, exam_id)
    if request.method != "POST":  # after the lookup: another shop's object is 404 first
        return HttpResponseNotAllowed(["POST"])
    form = QuestionForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput("请填写题型、题目和分值（1-100）")
        exam_services.question_add(
            shop=request.shop,
            exam=exam,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            marks=form.cleaned_data["marks"],
            choices=form.choices(),
            reference=form.cleaned_data["reference"],
            acting_user=acting_user(request),
        )
    except InvalidInput as exc:
        show_error(request, exc)
    else:
        messages.success(request, "已添加题目")
    return _to_exam(request, exam)


@shop_view(Capability.MANAGE_TEAM)
def question_from_policy(request: ShopRequest, exam_id: int) -> HttpResponse:
    exam = _exam(request, exam_id)
    if request.method != "POST":  # after the lookup: another shop's object is 404 first
        return HttpResponseNotAllowed(["POST"])
    try:
        exam_services.question_add_from_policy(
            shop=request.shop, exam=exam, acting_user=acting_user(request)
        )
    except InvalidInput as exc:
        show_error(request, exc)
    else:
        messages.success(request, "已按管理制度生成一道禁用语题")
    return _to_exam(request, exam)


@shop_view(Capability.MANAGE_TEAM)
def question_delete(request: ShopRequest, exam_id: int, question_id: int) -> HttpResponse:
    exam = _exam(request, exam_id)
    question = shop_object_or_404(
        Question.objects.filter(exam=exam), shop=request.shop, pk=question_id
    )
    if request.method != "POST":  # after the lookup: another shop's object is 404 first
        return HttpResponseNotAllowed(["POST"])
    try:
        exam_services.question_delete(
            shop=request.shop, question=question, acting_user=acting_user(request)
        )
    except InvalidInput as exc:
        show_error(request, exc)
    return _to_exam(request, exam)


@shop_view(Capability.MANAGE_TEAM)
def exam_status(request: ShopRequest, exam_id: int) -> HttpResponse:
    """Open (`action=open`) or close (`action=close`) the exam."""
    exam = _exam(request, exam_id)
    if request.method != "POST":  # after the lookup: another shop's object is 404 first
        return HttpResponseNotAllowed(["POST"])
    change = exam_services.exam_open if request.POST.get("action") == "open" else None
    change = change or exam_services.exam_close
    try:
        change(shop=request.shop, exam=exam, acting_user=acting_user(request))
    except InvalidInput as exc:
        show_error(request, exc)
    else:
        messages.success(request, f"考试{exam.get_status_display()}")
    return _to_exam(request, exam)


@dataclass(frozen=True)
class PaperRow:
    number: int
    question: Question
    answer: Answer | None
    posted_text: str
    posted_choices: list[str]
    """What the agent entered before a failed submit, so the paper is not lost."""


def _answers(request: ShopRequest, questions: list[Question]) -> dict[int, list[int] | str]:
    answers: dict[int, list[int] | str] = {}
    for question in questions:
        key = f"q{question.pk}"
        if question.kind == QuestionKind.SHORT:
            answers[question.pk] = request.POST.get(key, "").strip()
        else:
            chosen = [v for v in request.POST.getlist(key) if v.isdigit()]
            answers[question.pk] = [int(v) for v in chosen]
    return answers


@shop_view(Capability.VIEW_DASHBOARD)
def exam_take(request: ShopRequest, exam_id: int) -> HttpResponse:
    """The agent's exam paper; after submitting, their own result."""
    shop = request.shop
    exam = _exam(request, exam_id)
    agent = selectors.agent_of(shop=shop, user=request.user)
    questions = list(exam_selectors.questions(shop=shop, exam=exam))
    attempt = exam_selectors.attempt_of(shop=shop, exam=exam, agent=agent) if agent else None
    if request.method == "POST" and agent is not None and attempt is None:
        try:
            attempt = exam_services.attempt_submit(
                shop=shop,
                exam=exam,
                agent=agent,
                answers=_answers(request, questions),
                acting_user=acting_user(request),
            )
        except InvalidInput as exc:
            show_error(request, exc)
        else:
            messages.success(request, "答卷已提交")
            return redirect("knowledge:exam_take", shop_id=shop.pk, exam_id=exam.pk)
    answers = (
        {a.question_id: a for a in attempt.answers.prefetch_related("choices")} if attempt else {}
    )
    rows = [
        PaperRow(
            number=number,
            question=question,
            answer=answers.get(question.pk),
            posted_text=request.POST.get(f"q{question.pk}", ""),
            posted_choices=request.POST.getlist(f"q{question.pk}"),
        )
        for number, question in enumerate(questions, start=1)
    ]
    context = {
        "shop": shop,
        "exam": exam,
        "rows": rows,
        "agent": agent,
        "attempt": attempt,
        # Correct answers are shown once the exam is closed, so they do not pass to colleagues
        # who have not taken it yet.
        "reveal": exam.status == ExamStatus.CLOSED,
    }
    return render(request, "knowledge/exam_take.html", context)


@shop_view(Capability.MANAGE_TEAM)
def attempt_mark(request: ShopRequest, exam_id: int, attempt_id: int) -> HttpResponse:
    """The supervisor reads one paper and marks its short answers."""
    exam = _exam(request, exam_id)
    attempt = shop_object_or_404(
        Attempt.objects.filter(exam=exam).select_related("agent"),
        shop=request.shop,
        pk=attempt_id,
    )
    if request.method == "POST":
        marks: dict[int, Decimal] = {}
        try:
            for key in request.POST:
                value = request.POST.get(key, "").strip()
                if key.startswith("m") and key[1:].isdigit() and value:
                    marks[int(key[1:])] = Decimal(value)
            exam_services.attempt_mark(
                shop=request.shop, attempt=attempt, marks=marks, acting_user=acting_user(request)
            )
        except InvalidOperation:
            messages.error(request, "分数必须是数字")
        except InvalidInput as exc:
            show_error(request, exc)
        else:
            messages.success(request, f"已评分：{attempt.score} 分")
            return _to_exam(request, exam)
    answers = attempt.answers.select_related("question").prefetch_related(
        "choices", "question__choices"
    )
    context = {"shop": request.shop, "exam": exam, "attempt": attempt, "answers": answers}
    return render(request, "knowledge/attempt_mark.html", context)
