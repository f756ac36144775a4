"""Pages of points and fines: the month (ledgers, recommendations, the close) and the incident
catalogue where a supervisor records incidents. Thin: forms in, one service call, redirect."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kefu.core.access import Capability, can
from kefu.core.errors import KefuError
from kefu.performance import selectors, services
from kefu.performance.closing import month_close
from kefu.performance.engine import Month
from kefu.performance.models import Fact, Incident, Recommendation
from kefu.performance.month_run import parse_month
from kefu.performance.whatif import month_whatif
from kefu.policy.schema.vocab import FACTS
from kefu.policy.selectors import policy_in_force
from kefu.staff.models import Agent, Assignment
from kefu.web.actions import whatif_render
from kefu.web.shop_views import ShopRequest, shop_view

FACTS_SHOWN = 500
"""The month page lists at most this many facts (a day's KPI facts are already counted rows)."""


def _user(request: ShopRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _month(request: ShopRequest, value: str | None) -> Month:
    """The month asked for, or the last full month in the shop's zone (the one to close)."""
    if value:
        try:
            return parse_month(value)
        except KefuError:
            messages.error(request, f"月份格式应为 YYYY-MM：{value}")
    return Month.of(timezone.localdate()).previous()


def _month_url(request: ShopRequest, month: Month) -> str:
    return f"{reverse('performance:month', kwargs={'shop_id': request.shop.pk})}?month={month}"


def _own_agent(request: ShopRequest) -> Agent | None:
    return Agent.objects.filter(user_id=request.user.pk or 0).first()


@shop_view(Capability.VIEW_DASHBOARD)
def month_page(request: ShopRequest) -> HttpResponse:
    """The month's ledgers. Team viewers see everyone; an agent sees only their own lines."""
    shop = request.shop
    month = _month(request, request.GET.get("month"))
    closes = list(selectors.month_closes(shop=shop, month=month).order_by("-id"))
    points = selectors.ledger_points(shop=shop, month=month).order_by("agent__name", "id")
    fines = selectors.ledger_fines(shop=shop, month=month).order_by("agent__name", "id")
    awards = selectors.ledger_awards(shop=shop, month=month).order_by("agent__name", "id")
    recs = selectors.recommendations(shop=shop, month=month).order_by("agent__name", "id")
    agents = Agent.objects.filter(pk__in=[int(a) for a in (closes[0].summary if closes else {})])
    facts = Fact.objects.filter(
        shop=shop, local_date__gte=month.first_day, local_date__lte=month.last_day
    ).select_related("agent")
    if not can(role=request.role, capability=Capability.VIEW_TEAM):
        own = _own_agent(request)
        own_id = own.pk if own is not None else 0
        points = points.filter(agent_id=own_id)
        facts = facts.filter(agent_id=own_id)
        fines = fines.filter(agent_id=own_id)
        awards = awards.filter(agent_id=own_id)
        # Recommendations are for the supervisor to decide, not shown to the agent.
        recs = recs.none()
        agents = agents.filter(pk=own_id)
    # Withdrawn facts name the agents and who withdrew them: for team viewers only.
    voided = (
        selectors.facts_voided_list(shop=shop, month=month)
        if can(role=request.role, capability=Capability.VIEW_TEAM)
        else []
    )
    summary = []
    if closes:
        for agent in agents.order_by("name", "id"):
            row = closes[0].summary[str(agent.pk)]
            summary.append(
                {
                    "agent": agent,
                    "score": Decimal(row["score"]),
                    "points_total": Decimal(row["points_total"]),
                    "fines_total": Decimal(row["fines_total"]),
                    "failed": row["failed"],
                    "explanation": row["score_explanation"],
                }
            )
    return render(
        request,
        "performance/month.html",
        {
            "month": month,
            "previous_month": month.previous(),
            "next_month": month.next(),
            "closes": closes,
            "summary": summary,
            "points": points,
            "fines": fines,
            "awards": awards,
            "recommendations": recs,
            "facts": facts.order_by("occurred_at", "id")[:FACTS_SHOWN],
            "voided_facts": voided[:FACTS_SHOWN],
            "voided_count": len(voided),
            "can_manage": can(role=request.role, capability=Capability.MANAGE_TEAM),
            # The differences of a correction name other agents: for team viewers only.
            "can_view_team": can(role=request.role, capability=Capability.VIEW_TEAM),
        },
    )


@shop_view(Capability.MANAGE_TEAM)  # outermost, so another shop's URL is 404 before 405
@require_POST
def close(request: ShopRequest) -> HttpResponse:
    month = _month(request, request.POST.get("month"))
    correction = request.POST.get("correction") == "1"
    try:
        run = month_close(
            shop=request.shop, month=month, acting_user=_user(request), correction=correction
        )
    except KefuError as exc:
        messages.error(request, exc.message)
    else:
        if correction:
            messages.success(request, f"{month.label}更正结算完成：{len(run.differences)} 处差异")
        else:
            messages.success(request, f"{month.label}已结算")
    return redirect(_month_url(request, month))


@shop_view(Capability.MANAGE_TEAM)
@require_POST
def recommendation_decide(request: ShopRequest) -> HttpResponse:
    try:
        rec_id = int(request.POST.get("recommendation", ""))
    except ValueError as exc:
        raise Http404("No such recommendation") from exc
    rec = (
        Recommendation.objects.filter(shop=request.shop, pk=rec_id).select_related("agent").first()
    )
    if rec is None:
        raise Http404("No such recommendation")
    try:
        services.recommendation_decide(
            shop=request.shop,
            recommendation=rec,
            accept=request.POST.get("decision") == "accept",
            note=request.POST.get("note", "").strip(),
            acting_user=_user(request),
        )
    except KefuError as exc:
        messages.error(request, exc.message)
    return redirect(_month_url(request, Month.parse(rec.month)))


def _catalogue_context(request: ShopRequest) -> dict[str, object]:
    today = timezone.localdate()
    try:
        policy = policy_in_force(shop=request.shop, on=today).policy
        groups = selectors.catalogue_groups(policy)
    except KefuError as exc:
        messages.error(request, exc.message)
        groups = []
    incidents = Incident.objects.filter(shop=request.shop).select_related("agent", "recorded_by")
    return {
        "groups": groups,
        "agents": [
            a.agent
            for a in Assignment.objects.filter(shop=request.shop, active=True)
            .select_related("agent")
            .order_by("agent__name")
        ],
        "incidents": incidents[:50],
        "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "can_manage": can(role=request.role, capability=Capability.MANAGE_TEAM),
    }


@shop_view(Capability.VIEW_TEAM)
def incidents(request: ShopRequest) -> HttpResponse:
    return render(request, "performance/incidents.html", _catalogue_context(request))


def _decimal(value: str, what: str) -> Decimal | None:
    if not value.strip():
        return None
    try:
        return Decimal(value.strip())
    except InvalidOperation as exc:
        raise KefuError(f"{what}不是数字：{value}") from exc


@shop_view(Capability.MANAGE_TEAM)
@require_POST
def incident_add(request: ShopRequest) -> HttpResponse:
    url = reverse("performance:incidents", kwargs={"shop_id": request.shop.pk})
    post = request.POST
    try:
        # Any agent id may be posted: the service refuses one not serving this shop.
        agent = Agent.objects.filter(pk=int(post.get("agent") or 0)).first()
        if agent is None:
            raise KefuError("请选择客服")
        try:
            when = dt.datetime.fromisoformat(post.get("occurred_at", ""))
        except ValueError as exc:
            raise KefuError("请填写发生时间") from exc
        services.incident_record(
            shop=request.shop,
            agent=agent,
            item=post.get("item", ""),
            occurred_at=timezone.make_aware(when) if timezone.is_naive(when) else when,
            points=_decimal(post.get("points", ""), "分值"),
            amount=_decimal(post.get("amount", ""), "金额"),
            note=post.get("note", "").strip(),
            acting_user=_user(request),
        )
    except KefuError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已记录：{agent.name} · {FACTS.get(post['item'], '')}")
    return redirect(url)


@shop_view(Capability.VIEW_TEAM)
def whatif(request: ShopRequest) -> HttpResponse:
    """The month under another preset, beside the policy in force; writes nothing."""
    month = _month(request, request.GET.get("month"))
    return whatif_render(
        request,
        "performance/whatif.html",
        month,
        lambda preset: month_whatif(shop=request.shop, month=month, preset=preset),
    )
