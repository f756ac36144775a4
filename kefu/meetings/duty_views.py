"""Duty rota 值日 and incident log 突发事件 pages. Thin: one selector or service each."""

from __future__ import annotations

import calendar
import datetime as dt

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from kefu.core import clock
from kefu.core.access import Capability, shop_object_or_404
from kefu.core.errors import InvalidInput
from kefu.meetings import duty, incidents, selectors
from kefu.meetings.choices import FindingKind
from kefu.meetings.models import DutyAssignment, Incident
from kefu.meetings.views import acting_user, agent_of, is_manager, show_error
from kefu.web.shop_views import ShopRequest, shop_view


def _month(request: ShopRequest) -> tuple[str, dt.date, dt.date]:
    today = clock.shop_today(tz=request.shop.timezone)
    raw = request.GET.get("month") or request.POST.get("month") or f"{today:%Y-%m}"
    try:
        year, number = (int(x) for x in raw.split("-"))
        start = dt.date(year, number, 1)
    except ValueError:
        start = today.replace(day=1)
    end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return f"{start:%Y-%m}", start, end


def _to_month(request: ShopRequest, month: str) -> HttpResponse:
    url = reverse("meetings:duty", kwargs={"shop_id": request.shop.pk})
    return redirect(f"{url}?{urlencode({'month': month})}")


@shop_view(Capability.VIEW_DASHBOARD)
def duty_month(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    month, start, end = _month(request)
    rows = list(selectors.duty_month(shop=shop, start=start, end=end))
    previous = (start - dt.timedelta(days=1)).strftime("%Y-%m")
    following = (end + dt.timedelta(days=1)).strftime("%Y-%m")
    context = {
        "shop": shop,
        "month": month,
        "previous": previous,
        "following": following,
        "rows": rows,
        "counts": selectors.duty_counts(shop=shop, start=start, end=end),
        "manager": is_manager(request),
        "agent": agent_of(request),
        "today": clock.shop_today(tz=shop.timezone),
        "findings": FindingKind.choices,
    }
    return render(request, "meetings/duty_month.html", context)


@shop_view(Capability.MANAGE_TEAM)
@require_POST
def duty_generate(request: ShopRequest) -> HttpResponse:
    month, _start, _end = _month(request)
    try:
        created = duty.duty_generate(
            shop=request.shop, month=month, acting_user=acting_user(request)
        )
    except InvalidInput as exc:
        show_error(request, exc)
    else:
        messages.success(request, f"已排 {len(created)} 次值日")
    return _to_month(request, month)


def _duty(request: ShopRequest, duty_id: int) -> DutyAssignment:
    return shop_object_or_404(
        DutyAssignment.objects.select_related("agent"), shop=request.shop, pk=duty_id
    )


def _not_post(request: ShopRequest) -> HttpResponse | None:
    """Checked after the lookup: another shop's object is 404 first."""
    return HttpResponseNotAllowed(["POST"]) if request.method != "POST" else None


@shop_view(Capability.VIEW_DASHBOARD)
def duty_confirm(request: ShopRequest, duty_id: int) -> HttpResponse:
    row = _duty(request, duty_id)
    if (refused := _not_post(request)) is not None:
        return refused
    agent = agent_of(request)
    try:
        if agent is None:
            raise InvalidInput("只有当天值日的人可以确认")
        duty.duty_confirm(
            shop=request.shop, duty=row, agent=agent, acting_user=acting_user(request)
        )
    except InvalidInput as exc:
        show_error(request, exc)
    else:
        messages.success(request, "已确认完成值日")
    return _to_month(request, f"{row.local_date:%Y-%m}")


@shop_view(Capability.MANAGE_TEAM)
def duty_swap(request: ShopRequest, duty_id: int) -> HttpResponse:
    row = _duty(request, duty_id)
    if (refused := _not_post(request)) is not None:
        return refused
    try:
        other = DutyAssignment.objects.filter(
            shop=request.shop, pk=int(request.POST.get("other") or 0)
        ).first()
        if other is None:
            raise InvalidInput("请选择要交换的值日")
        duty.duty_swap(shop=request.shop, duty=row, other=other, acting_user=acting_user(request))
    except ValueError:
        messages.error(request, "请选择要交换的值日")
    except InvalidInput as exc:
        show_error(request, exc)
    else:
        messages.success(request, "已换班")
    return _to_month(request, f"{row.local_date:%Y-%m}")


@shop_view(Capability.MANAGE_TEAM)
def duty_finding(request: ShopRequest, duty_id: int) -> HttpResponse:
    row = _duty(request, duty_id)
    if (refused := _not_post(request)) is not None:
        return refused
    try:
        duty.duty_finding_record(
            shop=request.shop,
            duty=row,
            kind=request.POST.get("kind", ""),
            note=request.POST.get("note", ""),
            acting_user=acting_user(request),
        )
    except ValueError:
        messages.error(request, "请选择问题类型")
    except InvalidInput as exc:
        show_error(request, exc)
    else:
        messages.success(request, "已记录，计入积分事实")
    return _to_month(request, f"{row.local_date:%Y-%m}")


# --- incidents -----------------------------------------------------------------------------------


@shop_view(Capability.VIEW_DASHBOARD)
def incident_list(request: ShopRequest) -> HttpResponse:
    """The log, and (POST) a new incident: anyone of the shop who first knows records it."""
    shop = request.shop
    if request.method == "POST":
        try:
            raw = request.POST.get("occurred_at") or ""
            try:
                occurred_at = dt.datetime.fromisoformat(raw)
            except ValueError:
                raise InvalidInput("请填写发生时间") from None
            incident = incidents.incident_record(
                shop=shop,
                occurred_at=occurred_at,
                place=request.POST.get("place", ""),
                symptom=request.POST.get("symptom", ""),
                plan=request.POST.get("plan", ""),
                acting_user=acting_user(request),
            )
        except InvalidInput as exc:
            show_error(request, exc)
        else:
            return redirect("meetings:incident", shop_id=shop.pk, incident_id=incident.pk)
    context = {
        "shop": shop,
        "incidents": selectors.incidents(shop=shop)[:200],
        "manager": is_manager(request),
        "now": clock.shop_now(tz=shop.timezone),
    }
    return render(request, "meetings/incident_list.html", context)


@shop_view(Capability.VIEW_DASHBOARD)
def incident_detail(request: ShopRequest, incident_id: int) -> HttpResponse:
    """One incident and (POST, supervisor) its fault report."""
    shop = request.shop
    incident = shop_object_or_404(Incident.objects.all(), shop=shop, pk=incident_id)
    if request.method == "POST":
        if not is_manager(request):
            messages.error(request, "故障报告由主管填写")
        else:
            try:
                incidents.incident_report(
                    shop=shop,
                    incident=incident,
                    impact=request.POST.get("impact", ""),
                    cause=request.POST.get("cause", ""),
                    corrective_action=request.POST.get("corrective_action", ""),
                    acting_user=acting_user(request),
                )
            except InvalidInput as exc:
                show_error(request, exc)
            else:
                messages.success(request, "故障报告已保存")
        return redirect("meetings:incident", shop_id=shop.pk, incident_id=incident.pk)
    context = {"shop": shop, "incident": incident, "manager": is_manager(request)}
    return render(request, "meetings/incident_detail.html", context)
