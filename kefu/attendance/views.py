"""Attendance pages: the month grid (the team for a supervisor, one's own for an agent), the
clock-in buttons, the punch-file import, and recording the month's facts. Thin."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.attendance import selectors, services
from kefu.attendance.forms import PunchFileForm
from kefu.core.access import Capability, can
from kefu.core.clock import shop_now, shop_today
from kefu.core.errors import InvalidInput
from kefu.web.shop_views import ShopRequest, shop_view


def _user(request: ShopRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _month_of(request: ShopRequest) -> tuple[int, int]:
    today = shop_today(tz=request.shop.timezone)
    text = request.GET.get("month", "")
    try:
        year, month = (int(x) for x in text.split("-"))
        dt.date(year, month, 1)
    except ValueError:
        return today.year, today.month
    return year, month


def _shift_month(year: int, month: int, step: int) -> str:
    index = year * 12 + (month - 1) + step
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@shop_view(Capability.VIEW_DASHBOARD)
def month(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    year, mon = _month_of(request)
    team = can(role=request.role, capability=Capability.VIEW_TEAM)
    me = selectors.agent_of_user(shop=shop, user=request.user)
    if not team and me is None:
        return render(request, "attendance/month.html", {"shop": shop, "no_agent": True})
    grid = selectors.month_grid(shop=shop, year=year, month=mon, agent=None if team else me)
    last = selectors.last_punch(shop=shop, agent=me) if me is not None else None
    context = {
        "shop": shop,
        "grid": grid,
        "team": team,
        "me": me,
        "last_punch": last,
        "manager": can(role=request.role, capability=Capability.MANAGE_TEAM),
        "month_text": f"{year:04d}-{mon:02d}",
        "previous": _shift_month(year, mon, -1),
        "next": _shift_month(year, mon, 1),
        "imports": selectors.punch_imports(shop=shop)[:5] if team else [],
        "now": shop_now(tz=shop.timezone),
    }
    return render(request, "attendance/month.html", context)


@shop_view(Capability.VIEW_DASHBOARD)
@require_POST
def clock(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    agent = selectors.agent_of_user(shop=shop, user=request.user)
    if agent is None:
        messages.error(request, _("你的账号没有关联本店的客服，不能打卡"))
        return redirect("attendance:month", shop_id=shop.pk)
    try:
        punch = services.punch_clock(
            shop=shop,
            agent=agent,
            direction=request.POST.get("direction", ""),
            acting_user=_user(request),
        )
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        local = punch.at.astimezone(shop.tzinfo)
        label = _("上班打卡") if punch.direction == "in" else _("下班打卡")
        messages.success(request, f"{label}：{local:%H:%M:%S}")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("attendance:month", kwargs={"shop_id": shop.pk})
    return redirect(target or reverse("attendance:month", kwargs={"shop_id": shop.pk}))


@shop_view(Capability.MANAGE_TEAM)
def punch_import(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    form = PunchFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.punch_import(
                shop=shop, data=upload.read(), filename=upload.name, acting_user=_user(request)
            )
        except InvalidInput as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(
                request,
                _("已导入 %(file)s：%(rows)s 行，新增 %(added)s 条打卡")
                % {"file": batch.file_name, "rows": batch.rows, "added": batch.added},
            )
            return redirect("attendance:month", shop_id=shop.pk)
    context = {"shop": shop, "form": form, "imports": selectors.punch_imports(shop=shop)[:20]}
    return render(request, "attendance/import.html", context)


@shop_view(Capability.MANAGE_TEAM)
@require_POST
def facts_record(request: ShopRequest) -> HttpResponse:
    """Record the facts of a month's shifts so far (what the daily job does each night)."""
    shop = request.shop
    year, mon = _month_of(request)
    today = shop_today(tz=shop.timezone)
    last = min(selectors.month_bounds(year, mon)[1], today - dt.timedelta(days=1))
    if last < dt.date(year, mon, 1):
        messages.warning(request, _("这个月还没有已结束的班次"))
    else:
        count = services.attendance_facts_record(shop=shop, day=last)
        messages.success(request, _("已记录 %(n)s 条考勤事实") % {"n": count})
    url = reverse("attendance:month", kwargs={"shop_id": shop.pk})
    return redirect(f"{url}?month={year:04d}-{mon:02d}")
