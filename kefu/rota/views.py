"""Roster pages: the month grid (generate, edit a cell, publish, export), requests, my shifts.
Supervisors see drafts and edit; agents see only published rosters and their own requests."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kefu.core.access import Capability, can, shop_object_or_404
from kefu.core.clock import shop_today
from kefu.core.errors import InvalidInput
from kefu.rota import request_services, services
from kefu.rota.choices import RequestStatus, RosterStatus
from kefu.rota.export import roster_xlsx
from kefu.rota.forms import CellForm, DecideForm, GenerateForm, RequestForm, shop_agents
from kefu.rota.grid import month_grid
from kefu.rota.inputs import month_parse, month_text, previous_month
from kefu.rota.models import Request, Roster, RosterShift
from kefu.rota.selectors import roster_of_month, shifts_scheduled
from kefu.rota.tasks import roster_generate_task
from kefu.staff.models import Agent
from kefu.web.shop_views import ShopRequest, shop_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MY_DAYS = 14
"""Days ahead shown on "my next shifts"."""


def acting_user(request: ShopRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def is_manager(request: ShopRequest) -> bool:
    return can(role=request.role, capability=Capability.MANAGE_TEAM)


def own_agent(request: ShopRequest) -> Agent | None:
    """The signed-in user's agent profile, if they serve this shop."""
    return (
        Agent.objects.filter(user_id=request.user.pk, assignments__shop=request.shop).first()
        if request.user.is_authenticated
        else None
    )


def _visible_roster(request: ShopRequest, roster_id: int) -> Roster:
    roster = shop_object_or_404(Roster.objects.all(), shop=request.shop, pk=roster_id)
    if roster.status != RosterStatus.PUBLISHED and not is_manager(request):
        raise Http404("No such roster")
    return roster


def _month_url(shop_id: int, month: str) -> str:
    return reverse("rota:month", kwargs={"shop_id": shop_id}) + f"?month={month}"


@shop_view(Capability.VIEW_DASHBOARD)
def month_view(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    today = shop_today(tz=shop.timezone)
    month = request.GET.get("month") or month_text(today)
    try:
        year, number = month_parse(month)
    except InvalidInput:
        year, number = today.year, today.month
        month = month_text(today)
    manager = is_manager(request)
    roster = roster_of_month(shop=shop, month=month)
    if roster is not None and roster.status != RosterStatus.PUBLISHED and not manager:
        roster = None
    running = roster is not None and roster.solver_status == services.RUNNING
    has_cells = roster is not None and RosterShift.objects.filter(roster=roster).exists()
    grid = month_grid(shop=shop, roster=roster) if roster is not None and has_cells else None
    before = previous_month(year, number)
    after = (year + 1, 1) if number == 12 else (year, number + 1)
    context = {
        "shop": shop,
        "month": month,
        "month_label": f"{year}年{number}月",
        "previous": f"{before[0]:04d}-{before[1]:02d}",
        "next": f"{after[0]:04d}-{after[1]:02d}",
        "roster": roster,
        "grid": grid,
        "running": running,
        "manager": manager,
    }
    return render(request, "rota/month.html", context)


@shop_view(Capability.MANAGE_TEAM)
@require_POST
def generate(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    form = GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "月份格式应为 YYYY-MM")
        return redirect("rota:month", shop_id=shop.pk)
    month = form.cleaned_data["month"]
    user = acting_user(request)
    try:
        roster = services.roster_generation_start(shop=shop, month=month, acting_user=user)
        seconds = services.roster_policy_seconds(roster=roster)
        if seconds is not None and seconds <= services.INLINE_SECONDS:
            roster = services.roster_generate(shop=shop, month=month, acting_user=user)
            _generated_message(request, roster)
        else:
            roster_generate_task(shop.pk, month, user.pk if user else None)
    except InvalidInput as exc:
        messages.error(request, exc.message)
    return redirect(_month_url(shop.pk, month))


def _generated_message(request: ShopRequest, roster: Roster) -> None:
    if roster.explanations:
        messages.error(request, "无法排出符合制度的排班表，原因见下方")
    else:
        messages.success(request, f"已生成 {roster.month} 排班草稿（{roster.solver_status_label}）")


@shop_view(Capability.MANAGE_TEAM)
def status(request: ShopRequest, roster_id: int) -> HttpResponse:
    """Polled by htmx while a worker generates: refreshes the page once it is done."""
    roster = shop_object_or_404(Roster.objects.all(), shop=request.shop, pk=roster_id)
    response = render(request, "rota/_status.html", {"roster": roster, "shop": request.shop})
    if roster.solver_status != services.RUNNING:
        response["HX-Refresh"] = "true"
    return response


@shop_view(Capability.MANAGE_TEAM)
def cell(request: ShopRequest, roster_id: int) -> HttpResponse:
    """GET: the editor of one cell; POST: set it, and show what it broke."""
    shop = request.shop
    roster = shop_object_or_404(Roster.objects.all(), shop=shop, pk=roster_id)
    form = CellForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        if request.method == "POST":
            return HttpResponse("参数错误", status=400)
        return render(request, "rota/_cell_editor.html", {"shop": shop, "roster": roster})
    agent = shop_object_or_404(
        shop_agents(shop), shop=shop, pk=form.cleaned_data["agent"], field="assignments__shop"
    )
    day: dt.date = form.cleaned_data["day"]
    broke = None
    error = ""
    if request.method == "POST":
        key = form.cleaned_data["shift"] or None
        try:
            broke = services.roster_cell_set(
                shop=shop,
                roster=roster,
                agent=agent,
                day=day,
                shift_key=key,
                acting_user=acting_user(request),
            )
        except InvalidInput as exc:
            error = exc.message
    current = (
        RosterShift.objects.filter(roster=roster, agent=agent, local_date=day)
        .values_list("shift_key", flat=True)
        .first()
    )
    grid = month_grid(shop=shop, roster=roster, agent_id=agent.pk)
    row = grid.rows[0] if grid.rows else None
    context = {
        "shop": shop,
        "roster": roster,
        "agent": agent,
        "day": day,
        "current": current,
        "templates": roster.ordered_templates(),
        "broke": broke,
        "error": error,
        "posted": request.method == "POST",
        "row": row,
        "cell": next((c for c in row.cells if c.day == day), None) if row else None,
    }
    return render(request, "rota/_cell_editor.html", context)


@shop_view(Capability.MANAGE_TEAM)
def publish(request: ShopRequest, roster_id: int) -> HttpResponse:
    roster = shop_object_or_404(Roster.objects.all(), shop=request.shop, pk=roster_id)
    if request.method != "POST":  # after the lookup: another shop's object is 404 first
        return HttpResponseNotAllowed(["POST"])
    try:
        services.roster_publish(shop=request.shop, roster=roster, acting_user=acting_user(request))
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{roster.month} 排班表已发布，客服可以查看")
    return redirect(_month_url(request.shop.pk, roster.month))


@shop_view(Capability.VIEW_DASHBOARD)
def export(request: ShopRequest, roster_id: int) -> HttpResponse:
    roster = _visible_roster(request, roster_id)
    grid = month_grid(shop=request.shop, roster=roster)
    response = HttpResponse(roster_xlsx(grid, shop_name=request.shop.name), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="roster-{roster.month}.xlsx"'
    return response


@shop_view(Capability.VIEW_DASHBOARD)
def request_list(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    manager = is_manager(request)
    own = own_agent(request)
    form = RequestForm(
        request.POST if request.method == "POST" else None,
        shop=shop,
        own=None if manager else own,
    )
    if request.method == "POST":
        if not manager and own is None:
            messages.error(request, "你的账号没有关联客服档案，不能提交申请")
        elif form.is_valid():
            values = form.cleaned_data
            try:
                request_services.request_submit(
                    shop=shop,
                    agent=values["agent"],
                    kind=values["kind"],
                    start_date=values["start_date"],
                    end_date=values["end_date"],
                    counterpart=values["counterpart"],
                    counterpart_date=values["counterpart_date"],
                    reason=values["reason"],
                    acting_user=acting_user(request),
                )
            except InvalidInput as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "申请已提交，等待主管审批")
                return redirect("rota:requests", shop_id=shop.pk)
    rows = Request.objects.filter(shop=shop).select_related("agent", "counterpart", "decided_by")
    if not manager:
        rows = rows.filter(agent=own) if own is not None else rows.none()
    context = {
        "shop": shop,
        "form": form,
        "requests": rows[:200],
        "manager": manager,
        "can_submit": manager or own is not None,
        "pending": RequestStatus.PENDING,
    }
    return render(request, "rota/requests.html", context)


@shop_view(Capability.MANAGE_TEAM)
def request_decide(request: ShopRequest, request_id: int) -> HttpResponse:
    item = shop_object_or_404(Request.objects.all(), shop=request.shop, pk=request_id)
    if request.method != "POST":  # after the lookup: another shop's object is 404 first
        return HttpResponseNotAllowed(["POST"])
    form = DecideForm(request.POST)
    form.is_valid()
    try:
        decided = request_services.request_decide(
            shop=request.shop,
            request=item,
            approve=bool(form.cleaned_data.get("approve")),
            reason=form.cleaned_data.get("reason", ""),
            acting_user=acting_user(request),
        )
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        text = (
            f"{decided.agent.name} 的{decided.get_kind_display()}：{decided.get_status_display()}"
        )
        if decided.decision_reason:
            text += f"（{decided.decision_reason}）"
        if decided.status == RequestStatus.APPROVED:
            messages.success(request, text)
        else:
            messages.warning(request, text)
    return redirect("rota:requests", shop_id=request.shop.pk)


@shop_view(Capability.VIEW_DASHBOARD)
def mine(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    own = own_agent(request)
    today = shop_today(tz=shop.timezone)
    shifts = (
        shifts_scheduled(
            shop=shop, start=today, end=today + dt.timedelta(days=MY_DAYS - 1), agent_id=own.pk
        )
        if own is not None
        else []
    )
    context = {"shop": shop, "own": own, "shifts": shifts, "days": MY_DAYS}
    return render(request, "rota/mine.html", context)
