"""Meeting pages 例会: list and schedule, one meeting (agenda, attendance, minutes, action
items). Thin: one selector or service each. Duty and incidents are in duty_views.py."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from kefu.core import clock
from kefu.core.access import Capability, can, shop_object_or_404
from kefu.core.errors import InvalidInput
from kefu.meetings import selectors, services
from kefu.meetings.choices import AttendanceStatus
from kefu.meetings.models import ActionItem, Meeting
from kefu.staff.models import Agent
from kefu.web.shop_views import ShopRequest, shop_view


def acting_user(request: ShopRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def is_manager(request: ShopRequest) -> bool:
    return can(role=request.role, capability=Capability.MANAGE_TEAM)


def show_error(request: ShopRequest, exc: InvalidInput) -> None:
    messages.error(request, exc.message)
    for detail in exc.details[1:]:
        messages.error(request, detail)


def agent_of(request: ShopRequest) -> Agent | None:
    return selectors.agent_of(shop=request.shop, user=request.user)


def _meeting(request: ShopRequest, meeting_id: int) -> Meeting:
    return shop_object_or_404(Meeting.objects.all(), shop=request.shop, pk=meeting_id)


def _to_meeting(request: ShopRequest, meeting: Meeting) -> HttpResponse:
    return redirect("meetings:meeting", shop_id=request.shop.pk, meeting_id=meeting.pk)


def _shop_agent(request: ShopRequest, raw: str | None) -> Agent:
    agents = {str(a.pk): a for a in selectors.shop_agents(shop=request.shop)}
    if raw not in agents:
        raise InvalidInput("请选择本店在岗客服")
    return agents[raw]


def _date(raw: str | None, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw or "")
    except ValueError:
        raise InvalidInput(f"请填写{what}（如 2026-10-12）") from None


@shop_view(Capability.VIEW_DASHBOARD)
def meeting_list(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    now = clock.now()
    listed = list(selectors.meetings(shop=shop)[:60])
    agent = agent_of(request)
    context = {
        "shop": shop,
        "manager": is_manager(request),
        "upcoming": sorted((m for m in listed if m.starts_at >= now), key=lambda m: m.starts_at),
        "past": [m for m in listed if m.starts_at < now],
        "schedule": selectors.meeting_schedule_text(shop=shop),
        "my_actions": selectors.actions_of_agent(shop=shop, agent=agent) if agent else [],
        "my_duties": selectors.duties_of_agent(shop=shop, agent=agent) if agent else [],
    }
    return render(request, "meetings/meeting_list.html", context)


@shop_view(Capability.MANAGE_TEAM)
@require_POST
def meetings_generate(request: ShopRequest) -> HttpResponse:
    try:
        weeks = int(request.POST.get("weeks") or 4)
        created = services.meetings_generate(
            shop=request.shop, weeks=weeks, acting_user=acting_user(request)
        )
    except ValueError:
        messages.error(request, "周数应为 1 到 12")
    except InvalidInput as exc:
        show_error(request, exc)
    else:
        messages.success(request, f"已安排 {len(created)} 次例会")
    return redirect("meetings:list", shop_id=request.shop.pk)


@shop_view(Capability.MANAGE_TEAM)
@require_POST
def meeting_schedule(request: ShopRequest) -> HttpResponse:
    try:
        raw = request.POST.get("starts_at") or ""
        try:
            starts_at = dt.datetime.fromisoformat(raw)
        except ValueError:
            raise InvalidInput("请填写例会的日期和时间") from None
        meeting = services.meeting_schedule(
            shop=request.shop, starts_at=starts_at, acting_user=acting_user(request)
        )
    except InvalidInput as exc:
        show_error(request, exc)
        return redirect("meetings:list", shop_id=request.shop.pk)
    return _to_meeting(request, meeting)


def _weekly_url(request: ShopRequest, meeting: Meeting) -> str:
    """The weekly meeting report (kefu.weekly) of the week before the meeting, if installed."""
    if not apps.is_installed("kefu.weekly") or not can(
        role=request.role, capability=Capability.VIEW_TEAM
    ):
        return ""
    try:
        url = reverse("weekly:report", kwargs={"shop_id": request.shop.pk})
    except NoReverseMatch:
        return ""
    week = meeting.local_date - dt.timedelta(days=7)
    return f"{url}?{urlencode({'week': week.isoformat()})}"


@shop_view(Capability.VIEW_DASHBOARD)
def meeting_detail(request: ShopRequest, meeting_id: int) -> HttpResponse:
    shop = request.shop
    meeting = _meeting(request, meeting_id)
    manager = is_manager(request)
    recorded = {row.agent_id: row for row in meeting.attendance.all()}
    agents = selectors.shop_agents(shop=shop)
    context = {
        "shop": shop,
        "meeting": meeting,
        "manager": manager,
        "agent": agent_of(request),
        "agenda": list(meeting.agenda.all()),
        "attendance": [(a, recorded.get(a.pk)) for a in agents],
        "statuses": AttendanceStatus.choices,
        "actions": list(meeting.actions.select_related("agent")),
        "agents": agents,
        "started": meeting.starts_at <= clock.now(),
        "weekly_url": _weekly_url(request, meeting),
        "today": clock.shop_today(tz=shop.timezone),
    }
    return render(request, "meetings/meeting_detail.html", context)


def _post(request: ShopRequest, meeting_id: int, action: str) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    if request.method != "POST":  # after the lookup: another shop's object is 404 first
        return HttpResponseNotAllowed(["POST"])
    user, post = acting_user(request), request.POST
    try:
        if action == "agenda":
            services.agenda_assemble(shop=request.shop, meeting=meeting, acting_user=user)
        elif action == "agenda_add":
            services.agenda_add(
                shop=request.shop, meeting=meeting, text=post.get("text", ""), acting_user=user
            )
        elif action == "attendance":
            services.attendance_record(
                shop=request.shop,
                meeting=meeting,
                agent=_shop_agent(request, post.get("agent")),
                status=post.get("status", ""),
                note=post.get("note", ""),
                acting_user=user,
            )
        elif action == "minutes":
            services.minutes_save(
                shop=request.shop,
                meeting=meeting,
                minutes=post.get("minutes", ""),
                acting_user=user,
            )
        elif action == "action_add":
            services.action_add(
                shop=request.shop,
                meeting=meeting,
                text=post.get("text", ""),
                agent=_shop_agent(request, post.get("agent")),
                due_date=_date(post.get("due_date"), "截止日期"),
                acting_user=user,
            )
        elif action == "cancel":
            services.meeting_cancel(shop=request.shop, meeting=meeting, acting_user=user)
    except (InvalidInput, ValueError) as exc:
        show_error(request, exc if isinstance(exc, InvalidInput) else InvalidInput("出勤状态无效"))
    return _to_meeting(request, meeting)


@shop_view(Capability.MANAGE_TEAM)
def meeting_agenda(request: ShopRequest, meeting_id: int) -> HttpResponse:
    return _post(request, meeting_id, "agenda")


@shop_view(Capability.MANAGE_TEAM)
def meeting_agenda_add(request: ShopRequest, meeting_id: int) -> HttpResponse:
    return _post(request, meeting_id, "agenda_add")


@shop_view(Capability.MANAGE_TEAM)
def meeting_attendance(request: ShopRequest, meeting_id: int) -> HttpResponse:
    return _post(request, meeting_id, "attendance")


@shop_view(Capability.MANAGE_TEAM)
def meeting_minutes(request: ShopRequest, meeting_id: int) -> HttpResponse:
    return _post(request, meeting_id, "minutes")


@shop_view(Capability.MANAGE_TEAM)
def meeting_action_add(request: ShopRequest, meeting_id: int) -> HttpResponse:
    return _post(request, meeting_id, "action_add")


@shop_view(Capability.MANAGE_TEAM)
def meeting_cancel(request: ShopRequest, meeting_id: int) -> HttpResponse:
    return _post(request, meeting_id, "cancel")


@shop_view(Capability.VIEW_DASHBOARD)
def action_done(request: ShopRequest, action_id: int) -> HttpResponse:
    """The agent it is assigned to, or a supervisor, marks an action item done (or reopens)."""
    action = shop_object_or_404(
        ActionItem.objects.select_related("meeting"), shop=request.shop, pk=action_id
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    agent = agent_of(request)
    if not is_manager(request) and (agent is None or agent.pk != action.agent_id):
        messages.error(request, "只能更新分配给自己的待办")
    else:
        services.action_set_done(
            shop=request.shop,
            action=action,
            done=request.POST.get("done", "1") == "1",
            acting_user=acting_user(request),
        )
    if request.POST.get("next") == "list":
        return redirect("meetings:list", shop_id=request.shop.pk)
    return _to_meeting(request, action.meeting)
