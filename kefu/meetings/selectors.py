"""Reads of the meetings app, always scoped by shop."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from kefu.core.errors import NotFound
from kefu.core.models import Shop
from kefu.meetings.choices import ActionStatus
from kefu.meetings.models import ActionItem, DutyAssignment, Incident, Meeting
from kefu.policy.selectors import policy_in_force
from kefu.staff.models import Agent, Assignment


def shop_agents(*, shop: Shop) -> list[Agent]:
    """The shop's active agents (an active assignment), by name."""
    ids = Assignment.objects.filter(shop=shop, active=True).values("agent_id")
    return list(Agent.objects.filter(pk__in=ids).order_by("name", "pk"))


def approved_leave_days(*, shop: Shop, agent: Agent, start: dt.date, end: dt.date) -> set[dt.date]:
    """Days of approved leave from the roster app (kefu.rota) when it is installed."""
    if not apps.is_installed("kefu.rota"):
        return set()
    from kefu.rota.selectors import approved_leave

    return approved_leave(shop=shop, start=start, end=end).get(agent.pk, set())


def meetings(*, shop: Shop) -> QuerySet[Meeting]:
    return Meeting.objects.filter(shop=shop).order_by("-starts_at", "-id")


def open_actions_before(*, shop: Shop, meeting: Meeting) -> QuerySet[ActionItem]:
    """Open action items of earlier meetings, by due date."""
    return (
        ActionItem.objects.filter(
            shop=shop, status=ActionStatus.OPEN, meeting__starts_at__lt=meeting.starts_at
        )
        .select_related("agent", "meeting")
        .order_by("due_date", "id")
    )


def actions_of_agent(*, shop: Shop, agent: Agent) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.filter(shop=shop, agent=agent)
        .select_related("meeting")
        .order_by("status", "due_date", "id")
    )


def duty_month(*, shop: Shop, start: dt.date, end: dt.date) -> QuerySet[DutyAssignment]:
    return (
        DutyAssignment.objects.filter(shop=shop, local_date__gte=start, local_date__lte=end)
        .select_related("agent", "swapped_from")
        .prefetch_related("findings")
        .order_by("local_date", "timing", "task_key")
    )


def duty_counts(*, shop: Shop, start: dt.date, end: dt.date) -> dict[str, int]:
    """Duties per agent name in the period (the fairness table)."""
    counts: dict[str, int] = {}
    for duty in duty_month(shop=shop, start=start, end=end):
        counts[duty.agent.name] = counts.get(duty.agent.name, 0) + 1
    return dict(sorted(counts.items()))


def incidents(*, shop: Shop) -> QuerySet[Incident]:
    return Incident.objects.filter(shop=shop).select_related("reported_by")


def agent_of(*, shop: Shop, user: AbstractBaseUser | AnonymousUser) -> Agent | None:
    """The signed-in user's agent record when they serve this shop, else None."""
    if not user.is_authenticated:
        return None
    assignment = (
        Assignment.objects.filter(shop=shop, agent__user_id=user.pk, active=True)
        .select_related("agent")
        .first()
    )
    return assignment.agent if assignment is not None else None


WEEKDAY_NAMES = {
    "mon": "周一",
    "tue": "周二",
    "wed": "周三",
    "thu": "周四",
    "fri": "周五",
    "sat": "周六",
    "sun": "周日",
}


def meeting_schedule_text(*, shop: Shop, on: dt.date | None = None) -> str:
    """The policy's meeting time in words (每周日 14:30（S4.2 ...）), or "" without one."""
    from kefu.core import clock

    try:
        policy = policy_in_force(shop=shop, on=on or clock.shop_today(tz=shop.timezone)).policy
    except NotFound:
        return ""
    meeting = policy.weekly_summary.meeting
    if meeting is None:
        return ""
    return f"每{WEEKDAY_NAMES[meeting.weekday]} {meeting.time}（{meeting.clause}）"


def duties_of_agent(*, shop: Shop, agent: Agent) -> QuerySet[DutyAssignment]:
    """The agent's duties from a week ago on (to confirm and to see what is coming)."""
    from kefu.core import clock

    since = clock.shop_today(tz=shop.timezone) - dt.timedelta(days=7)
    return duty_month(shop=shop, start=since, end=since + dt.timedelta(days=45)).filter(agent=agent)
