"""The monthly allowance of swap days 调休 (S3: four a month): what a request uses of it and
whether approving it goes beyond it. Swap and cover days count in the month they fall in; a
swap across two days counts for each party in the month of the day they give away; a day of
leave uses one up when the policy says leave offsets swaps, and leave beyond the allowance is
approved but recorded as over it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kefu.core.models import Shop
from kefu.policy.schema.schedule import Requests
from kefu.policy.selectors import policy_in_force
from kefu.rota.choices import RequestKind, RequestStatus
from kefu.rota.inputs import month_bounds, month_text
from kefu.rota.models import Request
from kefu.staff.models import Agent


def requests_rules(shop: Shop, day: dt.date) -> Requests:
    return policy_in_force(shop=shop, on=day).policy.schedule.requests


def is_cross_day_swap(request: Request) -> bool:
    return request.kind == RequestKind.SWAP and request.counterpart_date is not None


def swap_days_used(*, shop: Shop, agent: Agent, month: str, offsets: bool) -> int:
    """Approved swap and cover days of the agent in the month, and leave days when leave
    offsets swaps (S3). A swap across two days counts for each party in the month of the day
    they give away: the agent's start date, the colleague's `counterpart_date`."""
    first, last = month_bounds(*(int(x) for x in month.split("-")))
    kinds = [RequestKind.SWAP, RequestKind.COVER] + ([RequestKind.LEAVE] if offsets else [])
    used = 0
    for request in Request.objects.filter(
        shop=shop,
        agent=agent,
        status=RequestStatus.APPROVED,
        kind__in=kinds,
        start_date__lte=last,
        end_date__gte=first,
    ):
        used += sum(1 for day in request.days() if first <= day <= last)
    used += Request.objects.filter(
        shop=shop,
        counterpart=agent,
        status=RequestStatus.APPROVED,
        kind=RequestKind.SWAP,
        counterpart_date__gte=first,
        counterpart_date__lte=last,
    ).count()
    return used


@dataclass
class AllowanceVerdict:
    """`refusal` when the request goes beyond the allowance (a swap or cover); else the days of
    leave `over` it and the notes saying so."""

    refusal: str = ""
    notes: list[str] = field(default_factory=list)
    over: int = 0


def swap_allowance_check(
    *, shop: Shop, request: Request, by_month: dict[str, list[dt.date]]
) -> AllowanceVerdict:
    """The request's days (`by_month`) against the allowance of the policy in force on its
    first day; a swap across two days against each party's month."""
    if is_cross_day_swap(request):
        return AllowanceVerdict(refusal=_cross_allowance_refusal(shop, request))
    rules = requests_rules(shop, request.start_date)
    verdict = AllowanceVerdict()
    if rules.swap_days_per_month is None:
        return verdict
    if request.kind == RequestKind.LEAVE and not rules.leave_offsets_swap:
        return verdict
    for month, days in by_month.items():
        used = swap_days_used(
            shop=shop, agent=request.agent, month=month, offsets=rules.leave_offsets_swap
        )
        left = max(0, rules.swap_days_per_month - used)
        if len(days) <= left:
            continue
        if request.kind != RequestKind.LEAVE:
            return AllowanceVerdict(
                refusal=f"{month} 调休额度 {rules.swap_days_per_month} 天已用 {used} 天，"
                f"本次 {len(days)} 天超出额度"
            )
        verdict.over += len(days) - left
        verdict.notes.append(
            f"{month} 调休额度 {rules.swap_days_per_month} 天已用 {used} 天，"
            f"超出 {len(days) - left} 天"
            + ("按缺勤计" if rules.extra_leave_counts_as_absence else "")
        )
    return verdict


def _cross_allowance_refusal(shop: Shop, request: Request) -> str:
    """Why a swap across two days goes beyond a swap-day allowance, or "": each party uses one
    swap day in the month of the day they give away, under that day's policy."""
    parties = [(request.agent, request.start_date)]
    if request.counterpart is not None and request.counterpart_date is not None:
        parties.append((request.counterpart, request.counterpart_date))
    for who, day in parties:
        rules = requests_rules(shop, day)
        if rules.swap_days_per_month is None:
            continue
        month = month_text(day)
        used = swap_days_used(shop=shop, agent=who, month=month, offsets=rules.leave_offsets_swap)
        if used + 1 > rules.swap_days_per_month:
            return (
                f"{who.name} {month} 调休额度 {rules.swap_days_per_month} 天已用 {used} 天，"
                "本次 1 天超出额度"
            )
    return ""
