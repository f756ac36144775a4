"""The roster as the classifier reads it: the one place attendance and the worklog touch
kefu.rota (published shifts, approved leave, swap days), turned into the engine's dataclasses.
Tests replace `shifts_for` and `absences_for` here when they need a roster without one."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from kefu.attendance.engine import Absence, Shift
from kefu.core.models import Shop
from kefu.rota import selectors as rota


def shifts_for(
    *, shop: Shop, start: dt.date, end: dt.date, agent_id: int | None = None
) -> list[Shift]:
    """Published shifts of local dates start..end (inclusive), as the engine's Shift."""
    return [
        Shift(
            agent_id=str(s.agent_id),
            local_date=s.local_date,
            shift_key=s.shift_key,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            label=s.label,
            night=s.night,
            parts=s.parts if len(s.parts) > 1 else (),
        )
        for s in rota.shifts_scheduled(shop=shop, start=start, end=end, agent_id=agent_id)
        if s.ends_at > s.starts_at  # a placeholder cell with no hours is not a shift to attend
    ]


def absences_for(*, shop: Shop, start: dt.date, end: dt.date) -> dict[str, Absence]:
    """Approved leave (and covered) days, swap days, and the leave days beyond the swap
    allowance (a leave request's `over_allowance` last days), per agent id."""
    from kefu.rota.choices import RequestKind, RequestStatus
    from kefu.rota.models import Request

    leave: dict[str, set[dt.date]] = defaultdict(set)
    for agent_id, leave_days in rota.approved_leave(shop=shop, start=start, end=end).items():
        leave[str(agent_id)] |= leave_days
    swap: dict[str, set[dt.date]] = defaultdict(set)
    over: dict[str, set[dt.date]] = defaultdict(set)
    rows = Request.objects.filter(
        shop=shop, status=RequestStatus.APPROVED, start_date__lte=end, end_date__gte=start
    )
    for request in rows:
        days = request.days()
        if request.kind == RequestKind.SWAP and request.counterpart_date is not None:
            # Across two days: each gave away the shift of one day.
            for who, day in (
                (request.agent_id, request.start_date),
                (request.counterpart_id, request.counterpart_date),
            ):
                if who is not None and start <= day <= end:
                    swap[str(who)].add(day)
        elif request.kind == RequestKind.SWAP:
            for who in (request.agent_id, request.counterpart_id):
                if who is not None:
                    swap[str(who)] |= {d for d in days if start <= d <= end}
        elif request.kind == RequestKind.LEAVE and request.over_allowance:
            over[str(request.agent_id)] |= {
                d for d in days[-request.over_allowance :] if start <= d <= end
            }
    agents = set(leave) | set(swap) | set(over)
    return {
        a: Absence(
            leave=frozenset(leave[a]), swap=frozenset(swap[a]), over_allowance=frozenset(over[a])
        )
        for a in agents
    }


def on_duty(*, shop: Shop, at: dt.datetime) -> list[int]:
    """Agent ids working a published shift at this instant."""
    return list(rota.agents_on_duty(shop=shop, at=at))
