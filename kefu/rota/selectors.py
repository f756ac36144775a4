"""Reads of rosters: the shifts scheduled for a shop's agents, who is on duty, the month grid.

`ScheduledShift`, `shifts_scheduled` and `agents_on_duty` are the roster's interface for the
other apps (attendance, reminders): import these names."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from kefu.core.models import Shop
from kefu.rota.choices import RequestKind, RequestStatus, RosterStatus
from kefu.rota.models import Request, Roster, RosterShift


@dataclass(frozen=True)
class ScheduledShift:
    """One agent's shift on one local date, with its times in the shop's zone. A shift crossing
    midnight ends on the next day but belongs to `local_date` (the day it starts)."""

    agent_id: int
    local_date: dt.date
    shift_key: str
    label: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    parts: tuple[tuple[dt.datetime, dt.datetime], ...]
    """The working parts [start, end); two parts make a split shift."""
    night: bool

    @property
    def minutes(self) -> int:
        return sum(int((end - start).total_seconds()) // 60 for start, end in self.parts)


def at_minutes(day: dt.date, minutes: int, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """The local wall-clock time `minutes` after the midnight starting `day` (may be next day)."""
    naive = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes)
    return naive.replace(tzinfo=tz)


def scheduled_shift(
    *, agent_id: int, day: dt.date, key: str, template: dict[str, Any], tz: zoneinfo.ZoneInfo
) -> ScheduledShift:
    spans = [(int(a), int(b)) for a, b in template.get("parts") or []]
    parts = tuple((at_minutes(day, a, tz), at_minutes(day, b, tz)) for a, b in spans)
    if not parts:  # a key the roster's templates do not know: a whole-day placeholder
        parts = ((at_minutes(day, 0, tz), at_minutes(day, 0, tz)),)
    return ScheduledShift(
        agent_id=agent_id,
        local_date=day,
        shift_key=key,
        label=str(template.get("label") or key),
        starts_at=parts[0][0],
        ends_at=parts[-1][1],
        parts=parts,
        night=bool(template.get("night", False)),
    )


def _to_scheduled(rows: Iterable[RosterShift], shop: Shop) -> list[ScheduledShift]:
    tz = shop.tzinfo
    return [
        scheduled_shift(
            agent_id=row.agent_id,
            day=row.local_date,
            key=row.shift_key,
            template=row.roster.template(row.shift_key),
            tz=tz,
        )
        for row in rows
    ]


def shifts_scheduled(
    *,
    shop: Shop,
    start: dt.date,
    end: dt.date,
    agent_id: int | None = None,
    published_only: bool = True,
) -> list[ScheduledShift]:
    """The shifts of local dates `start` to `end`, both included, ordered by start time then
    agent. Only published rosters unless `published_only` is False."""
    rows = RosterShift.objects.filter(
        shop=shop, local_date__gte=start, local_date__lte=end
    ).select_related("roster")
    if published_only:
        rows = rows.filter(roster__status=RosterStatus.PUBLISHED)
    if agent_id is not None:
        rows = rows.filter(agent_id=agent_id)
    shifts = _to_scheduled(rows, shop)
    return sorted(shifts, key=lambda s: (s.starts_at, s.agent_id, s.local_date))


def agents_on_duty(*, shop: Shop, at: dt.datetime) -> list[int]:
    """Agent ids working a part of a published shift at this instant (a shift started the day
    before and running past midnight counts), sorted."""
    local = at.astimezone(shop.tzinfo)
    day = local.date()
    shifts = shifts_scheduled(shop=shop, start=day - dt.timedelta(days=1), end=day)
    return sorted(
        {s.agent_id for s in shifts if any(begin <= local < end for begin, end in s.parts)}
    )


def rosters_of(*, shop: Shop, published_only: bool = False) -> QuerySet[Roster]:
    rosters = Roster.objects.filter(shop=shop)
    if published_only:
        rosters = rosters.filter(status=RosterStatus.PUBLISHED)
    return rosters.order_by("-month")


def roster_of_month(*, shop: Shop, month: str) -> Roster | None:
    return Roster.objects.filter(shop=shop, month=month).first()


def approved_leave(*, shop: Shop, start: dt.date, end: dt.date) -> dict[int, set[dt.date]]:
    """Agent id -> days of approved leave (and covered days) between start and end, inclusive."""
    result: dict[int, set[dt.date]] = {}
    rows = Request.objects.filter(
        shop=shop,
        status=RequestStatus.APPROVED,
        kind__in=[RequestKind.LEAVE, RequestKind.COVER],
        start_date__lte=end,
        end_date__gte=start,
    )
    for request in rows:
        for day in request.days():
            if start <= day <= end:
                result.setdefault(request.agent_id, set()).add(day)
    return result
