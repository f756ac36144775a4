"""Writes to meetings 例会: the schedule from the policy, agenda, attendance (absence without
approved leave is the fact `meeting_missed`), minutes and action items."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max

from kefu.core import clock
from kefu.core.audit import audit_record
from kefu.core.errors import InvalidInput, NotFound
from kefu.core.models import Shop
from kefu.meetings import agenda as agenda_builder
from kefu.meetings.choices import (
    ActionStatus,
    AgendaSource,
    AttendanceStatus,
    MeetingStatus,
)
from kefu.meetings.models import ActionItem, AgendaItem, Meeting, MeetingAttendance
from kefu.meetings.selectors import approved_leave_days, shop_agents
from kefu.performance.services import fact_record
from kefu.policy.selectors import policy_in_force
from kefu.staff.models import Agent

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FACT_MISSED = "meeting_missed"


def _audit(shop: Shop, user: User | None, verb: str, meeting: Meeting, **values: object) -> None:
    audit_record(
        shop=shop,
        actor=user,
        action=verb,
        object_type="meeting",
        object_id=meeting.pk,
        new_value=values or None,
    )


def _own(shop: Shop, meeting: Meeting) -> None:
    if meeting.shop_id != shop.pk:
        raise InvalidInput("例会不属于本店")


def _title(day: dt.date) -> str:
    return f"{day.month}月{day.day}日部门例会"


def _create(
    *, shop: Shop, starts_at: dt.datetime, clause: str, acting_user: User | None
) -> Meeting:
    day = starts_at.astimezone(shop.tzinfo).date()
    if Meeting.objects.filter(shop=shop, local_date=day).exists():
        raise InvalidInput(f"{day.isoformat()} 已经安排了例会")
    try:
        version = policy_in_force(shop=shop, on=day).version
    except NotFound:
        version = None
    meeting = Meeting.objects.create(
        shop=shop,
        title=_title(day),
        starts_at=starts_at,
        local_date=day,
        clause=clause,
        policy_version=version,
    )
    _audit(shop, acting_user, "meeting.schedule", meeting, starts_at=starts_at.isoformat())
    return meeting


@transaction.atomic
def meeting_schedule(
    *, shop: Shop, starts_at: dt.datetime, acting_user: User | None, clause: str = ""
) -> Meeting:
    """A meeting at `starts_at` (aware). A time already past is refused."""
    if starts_at.tzinfo is None:
        starts_at = starts_at.replace(tzinfo=shop.tzinfo)
    if starts_at <= clock.now():
        local = starts_at.astimezone(shop.tzinfo)
        raise InvalidInput(
            f"例会时间 {local:%Y-%m-%d %H:%M} 已经过去：只能安排今后的例会（过去的会议不能补排）"
        )
    return _create(shop=shop, starts_at=starts_at, clause=clause, acting_user=acting_user)


@transaction.atomic
def meetings_generate(
    *, shop: Shop, weeks: int, acting_user: User | None, now: dt.datetime | None = None
) -> list[Meeting]:
    """The meetings of the next `weeks` weeks at the policy's weekday and time
    (`weekly_summary.meeting`, e.g. S4.2 Sunday 14:30), each dated by the policy in force on
    its day. Days that already have a meeting are kept; a time already past is skipped."""
    if not 1 <= weeks <= 12:
        raise InvalidInput("一次最多生成 12 周的例会")
    now = now or clock.now()
    today = now.astimezone(shop.tzinfo).date()
    created: list[Meeting] = []
    for offset in range(weeks * 7):
        day = today + dt.timedelta(days=offset)
        try:
            policy = policy_in_force(shop=shop, on=day).policy
        except NotFound as exc:
            raise InvalidInput(exc.message) from exc
        meeting = policy.weekly_summary.meeting
        if meeting is None:
            if offset == 0:
                raise InvalidInput("本店管理制度没有规定例会时间（weekly_summary.meeting）")
            continue
        if WEEKDAYS[day.weekday()] != meeting.weekday:
            continue
        hour, minute = (int(x) for x in meeting.time.split(":"))
        starts_at = dt.datetime.combine(day, dt.time(hour % 24, minute), tzinfo=shop.tzinfo)
        if starts_at <= now or Meeting.objects.filter(shop=shop, local_date=day).exists():
            continue
        created.append(
            _create(shop=shop, starts_at=starts_at, clause=meeting.clause, acting_user=acting_user)
        )
    return created


@transaction.atomic
def agenda_assemble(*, shop: Shop, meeting: Meeting, acting_user: User | None) -> list[AgendaItem]:
    """(Re)build the generated part of the agenda: open action items of earlier meetings
    (overdue first), then the weekly report's items. Free items written by hand stay."""
    _own(shop, meeting)
    meeting.agenda.exclude(source=AgendaSource.FREE).delete()
    start = meeting.agenda.aggregate(n=Max("position"))["n"] or 0
    items = agenda_builder.generated_items(shop=shop, meeting=meeting)
    rows = AgendaItem.objects.bulk_create(
        AgendaItem(
            shop=shop,
            meeting=meeting,
            position=start + index,
            source=item.source,
            text=item.text,
            ref=item.ref,
        )
        for index, item in enumerate(items, start=1)
    )
    _audit(shop, acting_user, "meeting.agenda", meeting, items=len(rows))
    return rows


@transaction.atomic
def agenda_add(*, shop: Shop, meeting: Meeting, text: str, acting_user: User | None) -> AgendaItem:
    _own(shop, meeting)
    text = text.strip()
    if not text:
        raise InvalidInput("请填写议题")
    last = meeting.agenda.aggregate(n=Max("position"))["n"] or 0
    item = AgendaItem.objects.create(shop=shop, meeting=meeting, position=last + 1, text=text)
    _audit(shop, acting_user, "meeting.agenda_add", meeting, text=text)
    return item


@transaction.atomic
def attendance_record(
    *,
    shop: Shop,
    meeting: Meeting,
    agent: Agent,
    status: AttendanceStatus | str,
    acting_user: User | None,
    note: str = "",
) -> MeetingAttendance:
    """Record one agent's attendance once the meeting has started. Absent on a day of approved
    leave (the roster's) is recorded as leave. Absent without approved leave is the fact
    `meeting_missed` (S4.5 中度6); once recorded it cannot be changed here."""
    _own(shop, meeting)
    status = AttendanceStatus(status)
    if meeting.status == MeetingStatus.CANCELLED:
        raise InvalidInput("例会已取消，不记录出勤")
    if meeting.starts_at > clock.now():
        raise InvalidInput("例会还没有开始，开会后再记录出勤")
    if agent.pk not in {a.pk for a in shop_agents(shop=shop)}:
        raise InvalidInput(f"{agent.name} 不是本店在岗客服")
    existing = MeetingAttendance.objects.filter(meeting=meeting, agent=agent).first()
    if existing is not None and existing.status == AttendanceStatus.ABSENT:
        raise InvalidInput(f"{agent.name} 已记为缺席并计入积分事实，不能再改")
    if status == AttendanceStatus.ABSENT and meeting.local_date in approved_leave_days(
        shop=shop, agent=agent, start=meeting.local_date, end=meeting.local_date
    ):
        status, note = AttendanceStatus.LEAVE, note or "排班中有已批准的请假"
    row, _created = MeetingAttendance.objects.update_or_create(
        shop=shop, meeting=meeting, agent=agent, defaults={"status": status, "note": note.strip()}
    )
    if status == AttendanceStatus.ABSENT:
        try:
            item = policy_in_force(shop=shop, on=meeting.local_date).policy.points.item(FACT_MISSED)
        except NotFound:
            item = None
        clause = item.clause if item is not None else ""
        fact_record(
            shop=shop,
            agent=agent,
            key=FACT_MISSED,
            occurred_at=meeting.starts_at,
            local_date=meeting.local_date,
            source="meeting",
            source_ref=str(row.pk),
            evidence={
                "meeting": meeting.pk,
                "title": meeting.title,
                "starts_at": meeting.starts_at.isoformat(),
                "clause": clause,
                "note": row.note,
            },
            acting_user=acting_user,
        )
    if meeting.status == MeetingStatus.SCHEDULED:
        meeting.status, meeting.held_at = MeetingStatus.HELD, clock.now()
        meeting.save(update_fields=["status", "held_at"])
    _audit(shop, acting_user, "meeting.attendance", meeting, agent=agent.pk, status=status)
    return row


@transaction.atomic
def minutes_save(
    *, shop: Shop, meeting: Meeting, minutes: str, acting_user: User | None
) -> Meeting:
    _own(shop, meeting)
    meeting.minutes = minutes.strip()
    meeting.save(update_fields=["minutes"])
    _audit(shop, acting_user, "meeting.minutes", meeting, chars=len(meeting.minutes))
    return meeting


@transaction.atomic
def meeting_cancel(*, shop: Shop, meeting: Meeting, acting_user: User | None) -> Meeting:
    _own(shop, meeting)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise InvalidInput("只有待召开的例会可以取消")
    meeting.status = MeetingStatus.CANCELLED
    meeting.save(update_fields=["status"])
    _audit(shop, acting_user, "meeting.cancel", meeting)
    return meeting


@transaction.atomic
def action_add(
    *,
    shop: Shop,
    meeting: Meeting,
    text: str,
    agent: Agent,
    due_date: dt.date,
    acting_user: User | None,
) -> ActionItem:
    """An action item of the minutes, assigned to an agent with a due date (not before the
    meeting's day)."""
    _own(shop, meeting)
    text = text.strip()
    if not text:
        raise InvalidInput("请填写待办事项")
    if agent.pk not in {a.pk for a in shop_agents(shop=shop)}:
        raise InvalidInput(f"{agent.name} 不是本店在岗客服")
    if due_date < meeting.local_date:
        raise InvalidInput(f"截止日期 {due_date.isoformat()} 早于例会日期")
    action = ActionItem.objects.create(
        shop=shop, meeting=meeting, text=text, agent=agent, due_date=due_date
    )
    _audit(shop, acting_user, "meeting.action_add", meeting, item=action.pk, agent=agent.pk)
    return action


@transaction.atomic
def action_set_done(
    *, shop: Shop, action: ActionItem, done: bool, acting_user: User | None
) -> ActionItem:
    if action.shop_id != shop.pk:
        raise InvalidInput("待办不属于本店")
    action.status = ActionStatus.DONE if done else ActionStatus.OPEN
    action.done_at = clock.now() if done else None
    action.save(update_fields=["status", "done_at"])
    _audit(shop, acting_user, "meeting.action_done", action.meeting, item=action.pk, done=done)
    return action
