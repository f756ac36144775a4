"""The evaluation page 考评录入: the supervisor enters the month's hundred-point part scores
per agent (S4.5) and records warnings (S3, S4.5). Thin: form in, one service call, redirect."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kefu.core.access import Capability
from kefu.core.errors import KefuError
from kefu.performance.engine import AgentOutcome, Month
from kefu.performance.evaluation import (
    RETURN_VISIT,
    part_scores_set,
    scale_parts,
    survey_scores,
    warning_issue,
)
from kefu.performance.models import AgentWarning
from kefu.performance.month_run import month_rules_run, parse_month
from kefu.performance.selectors import part_scores
from kefu.policy.describe_text import SCALE_PARTS
from kefu.policy.selectors import policy_in_force
from kefu.staff.models import Agent, Assignment
from kefu.web.shop_views import ShopRequest, shop_view


def _user(request: ShopRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _month(value: str | None) -> Month:
    if value:
        try:
            return parse_month(value)
        except KefuError:
            pass
    return Month.of(timezone.localdate()).previous()


def _url(request: ShopRequest, month: Month) -> str:
    page = reverse("performance:evaluation", kwargs={"shop_id": request.shop.pk})
    return f"{page}?month={month}"


def _result(outcome: AgentOutcome | None) -> dict[str, object] | None:
    """The month's score as the rules give it now (parts, additions and deductions) and what
    follows from it: the fine under the pass mark, recommendations over several months."""
    if outcome is None:
        return None
    return {
        "score": outcome.score,
        "parts_total": sum(outcome.part_scores.values(), Decimal(0)),
        "explanation": outcome.score_explanation,
        "failed": outcome.failed,
        "below": [f.explanation for f in outcome.fines if f.rule == "points.below"],
        "consequences": [
            r.explanation for r in outcome.recommendations if r.rule.startswith("points.")
        ],
    }


@shop_view(Capability.MANAGE_TEAM)
def evaluation(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    month = _month(request.GET.get("month"))
    agents = [
        a.agent
        for a in Assignment.objects.filter(shop=shop, active=True)
        .select_related("agent")
        .order_by("agent__name", "agent_id")
    ]
    parts: dict[str, Decimal] = {}
    survey: dict[str, Decimal] = {}
    try:
        policy = policy_in_force(shop=shop, on=month.last_day).policy
        parts = scale_parts(policy)
        survey = survey_scores(shop=shop, month=month, policy=policy)
    except KefuError as exc:
        messages.error(request, exc.message)
    entered = part_scores(shop=shop, month=month)
    outcomes: dict[str, AgentOutcome] = {}
    if parts:
        try:
            outcomes = dict(month_rules_run(shop=shop, month=month)[1].agents)
        except KefuError as exc:
            messages.error(request, exc.message)
    rows = [
        {
            "agent": agent,
            "outcome": _result(outcomes.get(str(agent.pk))),
            "parts": [
                {
                    "key": part,
                    "label": SCALE_PARTS.get(part, part),
                    "full": full,
                    "value": entered.get(str(agent.pk), {}).get(part),
                    "survey": survey.get(str(agent.pk)) if part == RETURN_VISIT else None,
                }
                for part, full in parts.items()
            ],
        }
        for agent in agents
    ]
    return render(
        request,
        "performance/evaluation.html",
        {
            "month": month,
            "previous_month": month.previous(),
            "next_month": month.next(),
            "parts": [(p, SCALE_PARTS.get(p, p), full) for p, full in parts.items()],
            "rows": rows,
            "agents": agents,
            "warnings": AgentWarning.objects.filter(shop=shop)
            .select_related("agent", "issued_by")
            .order_by("-issued_on", "-id")[:100],
            "today": timezone.localdate().isoformat(),
        },
    )


@shop_view(Capability.MANAGE_TEAM)
@require_POST
def scores_save(request: ShopRequest) -> HttpResponse:
    month = _month(request.POST.get("month"))
    # Any agent id may be posted: the service refuses one not serving this shop.
    agent = Agent.objects.filter(pk=int(request.POST.get("agent") or 0)).first()
    try:
        if agent is None:
            raise KefuError("请选择客服")
        policy = policy_in_force(shop=request.shop, on=month.last_day).policy
        scores: dict[str, Decimal | None] = {}
        for part in scale_parts(policy):
            raw = request.POST.get(f"part_{part}", "").strip()
            try:
                scores[part] = Decimal(raw) if raw else None
            except InvalidOperation as exc:
                raise KefuError(f"「{SCALE_PARTS.get(part, part)}」不是数字：{raw}") from exc
        part_scores_set(
            shop=request.shop, agent=agent, month=month, scores=scores, acting_user=_user(request)
        )
    except KefuError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已保存{agent.name}的{month.label}考评分项")
    return redirect(_url(request, month))


@shop_view(Capability.MANAGE_TEAM)
@require_POST
def warning_add(request: ShopRequest) -> HttpResponse:
    agent = Agent.objects.filter(pk=int(request.POST.get("agent") or 0)).first()
    try:
        if agent is None:
            raise KefuError("请选择客服")
        try:
            on = dt.date.fromisoformat(request.POST.get("on", ""))
        except ValueError as exc:
            raise KefuError("请填写日期") from exc
        warning = warning_issue(
            shop=request.shop,
            agent=agent,
            on=on,
            note=request.POST.get("note", "").strip(),
            acting_user=_user(request),
        )
    except KefuError as exc:
        messages.error(request, exc.message)
        return redirect(_url(request, _month(request.POST.get("month"))))
    messages.success(request, f"已记录警告：{agent.name} {on.isoformat()}")
    return redirect(_url(request, Month.parse(warning.month)))
