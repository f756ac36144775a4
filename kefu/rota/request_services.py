"""Leave 请假, swap 调班 and cover 替班 requests: submitted by an agent (or for them), decided
by the supervisor. An approved request edits the month's roster:

- leave: the agent's shifts on those days are removed; a named colleague takes them over;
- swap: the agent and the colleague exchange their shifts on those days;
- cover: the colleague works the agent's shift, the agent is off.

A swap across two days (`counterpart_date`) is one day each; the two days may fall in
different months, and then both months' rosters change together (both must exist) and each is
re-checked against its own month.

A swap or cover that makes either agent break a hard rule (no day shift after a night, rest
days, days in a row...) is refused with the reason. The monthly allowance of swap days 调休
(S3: 4) is checked first (`swap_allowance`). A head count or online-hours gap left by an
approved request is sent to the supervisors as a coverage-gap notice (S4.4 makes the
supervisor accountable)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as DjangoUser
from django.db import transaction

from kefu.core import clock
from kefu.core.access import Capability, shop_members_who_can
from kefu.core.audit import audit_record
from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.notify.services import notice_send
from kefu.rota.choices import RequestKind, RequestStatus
from kefu.rota.inputs import month_text
from kefu.rota.models import Request, Roster, RosterShift
from kefu.rota.services import roster_check, violation_json
from kefu.rota.solver import Violation
from kefu.rota.swap_allowance import (
    is_cross_day_swap,
    requests_rules,
    swap_allowance_check,
)
from kefu.staff.models import Agent, Assignment

User = AbstractBaseUser | AnonymousUser | None
LONGEST_REQUEST_DAYS = 31


def request_submit(
    *,
    shop: Shop,
    agent: Agent,
    kind: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    shift_key: str = "",
    counterpart: Agent | None = None,
    counterpart_date: dt.date | None = None,
    reason: str = "",
    acting_user: User,
) -> Request:
    """A pending request. Refused at once, with the reason: a day in the past, less notice than
    the policy asks, a colleague missing (swap, cover, or leave when the policy wants the
    covering colleague named) or not of this shop. A swap across two days names the
    colleague's day (`counterpart_date`): one day each, in the same month or not."""
    if kind not in RequestKind.values:
        raise InvalidInput(f"未知的申请类型：{kind}")
    end_date = end_date or start_date
    if end_date < start_date:
        raise InvalidInput("结束日期早于开始日期")
    if (end_date - start_date).days >= LONGEST_REQUEST_DAYS:
        raise InvalidInput(f"一次申请最多 {LONGEST_REQUEST_DAYS} 天")
    today = clock.shop_today(tz=shop.timezone)
    label = RequestKind(kind).label
    if start_date < today:
        raise InvalidInput(f"不能为过去的日期（{start_date}）申请{label}")
    rules = requests_rules(shop, start_date)
    if (start_date - today).days < rules.notice_days:
        raise InvalidInput(f"{label}须提前 {rules.notice_days} 天申请（制度）")
    if counterpart_date == start_date:
        counterpart_date = None  # the same day: an ordinary swap
    if counterpart_date is not None:
        if kind != RequestKind.SWAP:
            raise InvalidInput("只有调班可以写对方的日期")
        if end_date != start_date:
            raise InvalidInput("跨日调班只能换一天：开始日期与结束日期须相同")
        if counterpart_date < today:
            raise InvalidInput(f"不能为过去的日期（{counterpart_date}）申请调班")
        if (counterpart_date - today).days < rules.notice_days:
            raise InvalidInput(f"调班须提前 {rules.notice_days} 天申请（制度）")
    members = set(Assignment.objects.filter(shop=shop).values_list("agent_id", flat=True))
    if agent.pk not in members:
        raise InvalidInput("申请人不是本店客服")
    needs_colleague = kind in (RequestKind.SWAP, RequestKind.COVER) or (
        kind == RequestKind.LEAVE and rules.cover_named
    )
    if needs_colleague and counterpart is None:
        raise InvalidInput(f"{label}须写明替班或调班的同事")
    if counterpart is not None:
        if counterpart.pk == agent.pk:
            raise InvalidInput("对方不能是申请人自己")
        if counterpart.pk not in members:
            raise InvalidInput("对方不是本店客服")
    with transaction.atomic():
        request = Request.objects.create(
            shop=shop,
            kind=kind,
            agent=agent,
            start_date=start_date,
            end_date=end_date,
            shift_key=shift_key,
            counterpart=counterpart,
            counterpart_date=counterpart_date,
            reason=reason.strip(),
            submitted_by=acting_user if isinstance(acting_user, DjangoUser) else None,
        )
        audit_record(
            shop=shop,
            actor=acting_user,
            action="request.submit",
            object_type="rota.Request",
            object_id=request.pk,
            new_value={
                "kind": kind,
                "start": str(start_date),
                "end": str(end_date),
                "counterpart_date": str(counterpart_date) if counterpart_date else None,
            },
        )
    return request


def _apply(request: Request, rosters: dict[str, Roster], days: list[dt.date]) -> None:
    """Edit the rosters' cells for the approved request (`rosters` by month: one, or the two
    of a swap across two months)."""
    cross = is_cross_day_swap(request)
    cells = {
        (row.agent_id, row.local_date): row
        for row in RosterShift.objects.filter(
            roster__in=list(rosters.values()),
            local_date__in=days + ([request.counterpart_date] if cross else []),
            agent_id__in=[request.agent_id, request.counterpart_id or 0],
        )
    }

    def put(agent_id: int, day: dt.date, key: str | None) -> None:
        cell = cells.get((agent_id, day))
        roster = rosters[month_text(day)]
        if key is None:
            if cell is not None:
                cell.delete()
        elif cell is None:
            RosterShift.objects.create(
                shop_id=roster.shop_id,
                roster=roster,
                agent_id=agent_id,
                local_date=day,
                shift_key=key,
            )
        elif cell.shift_key != key:
            cell.shift_key = key
            cell.save(update_fields=["shift_key"])

    if cross:
        _swap_across_days(request, cells, put)
        return
    for day in days:
        mine = cells.get((request.agent_id, day))
        other_id = request.counterpart_id
        theirs = cells.get((other_id, day)) if other_id else None
        my_key = mine.shift_key if mine else None
        their_key = theirs.shift_key if theirs else None
        if request.kind == RequestKind.SWAP and other_id:
            put(request.agent_id, day, their_key)
            put(other_id, day, my_key)
        else:  # leave or cover: the agent is off; a named colleague takes the shift
            put(request.agent_id, day, None)
            if other_id and my_key is not None and their_key is None:
                put(other_id, day, my_key)


def _swap_across_days(
    request: Request,
    cells: dict[tuple[int, dt.date], RosterShift],
    put: Callable[[int, dt.date, str | None], None],
) -> None:
    """The colleague takes the agent's shift of `start_date`, the agent the colleague's shift
    of `counterpart_date`; each must be free on the day they take."""
    mine_day, their_day = request.start_date, request.counterpart_date
    other_id = request.counterpart_id
    if their_day is None or other_id is None:
        return
    me, them = request.agent.name, request.counterpart.name if request.counterpart else ""
    mine = cells.get((request.agent_id, mine_day))
    theirs = cells.get((other_id, their_day))
    if mine is None:
        raise _Refused(f"{me} {cn_day(mine_day)} 没有班次可调", rule=False)
    if theirs is None:
        raise _Refused(f"{them} {cn_day(their_day)} 没有班次可调", rule=False)
    if (other_id, mine_day) in cells:
        raise _Refused(f"{them} {cn_day(mine_day)} 已有班次，不能再上{me}的班", rule=False)
    if (request.agent_id, their_day) in cells:
        raise _Refused(f"{me} {cn_day(their_day)} 已有班次，不能再上{them}的班", rule=False)
    mine_key, their_key = mine.shift_key, theirs.shift_key
    put(request.agent_id, mine_day, None)
    put(other_id, mine_day, mine_key)
    put(other_id, their_day, None)
    put(request.agent_id, their_day, their_key)


def cn_day(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def _key(violation: Violation) -> tuple[object, ...]:
    return (violation.rule, violation.agent_id, violation.day, violation.shift, violation.zh)


def request_decide(
    *, shop: Shop, request: Request, approve: bool, reason: str = "", acting_user: User
) -> Request:
    """Approve or refuse a pending request (see the module docstring for what approval does).
    Returns the request; `status` says what was decided, `decision_reason` why."""
    if request.shop_id != shop.pk:
        raise InvalidInput("申请不属于本店")
    if request.status != RequestStatus.PENDING:
        raise InvalidInput("该申请已处理")
    with transaction.atomic():
        request = Request.objects.select_for_update().get(pk=request.pk)
        if request.status != RequestStatus.PENDING:
            raise InvalidInput("该申请已处理")
        if approve:
            try:
                with transaction.atomic():  # a savepoint: a refused swap leaves no edit behind
                    _approve(shop, request, reason)
            except _Refused as refused:
                request.status = RequestStatus.REFUSED
                request.over_allowance = 0
                prefix = "违反排班规则，不能批准：" if refused.rule else "不能批准："
                request.decision_reason = f"{prefix}{refused}"
        else:
            request.status = RequestStatus.REFUSED
            request.decision_reason = reason.strip()
        request.decided_by = acting_user if isinstance(acting_user, DjangoUser) else None
        request.decided_at = clock.now()
        request.save()
        audit_record(
            shop=shop,
            actor=acting_user,
            action="request.decide",
            object_type="rota.Request",
            object_id=request.pk,
            new_value={"status": request.status, "over_allowance": request.over_allowance},
            note=request.decision_reason,
        )
    return request


def _approve(shop: Shop, request: Request, reason: str) -> None:
    notes: list[str] = [reason.strip()] if reason.strip() else []
    by_month: dict[str, list[dt.date]] = {}
    for day in request.days():
        by_month.setdefault(month_text(day), []).append(day)
    allowance = swap_allowance_check(shop=shop, request=request, by_month=by_month)
    if allowance.refusal:
        request.status = RequestStatus.REFUSED
        request.decision_reason = allowance.refusal
        return
    request.over_allowance += allowance.over
    notes += allowance.notes
    # The rosters edited together: one month at a time, or both months of a swap across two.
    groups: list[tuple[list[str], list[dt.date]]] = [([m], days) for m, days in by_month.items()]
    if is_cross_day_swap(request) and request.counterpart_date is not None:
        months = sorted({month_text(request.start_date), month_text(request.counterpart_date)})
        groups = [(months, [request.start_date])]
    gaps: list[Violation] = []
    involved = {str(request.agent_id), str(request.counterpart_id)}
    for months, days in groups:
        found = {m: Roster.objects.filter(shop=shop, month=m).first() for m in months}
        missing = [m for m, roster in found.items() if roster is None]
        if missing and len(months) > 1:
            named = "、".join(
                _cn_month(m, with_year=months[0][:4] != months[-1][:4]) for m in missing
            )
            raise _Refused(f"{named}的排班还没有生成，不能跨月调班", rule=False)
        if missing:
            continue  # no roster yet: approved leave and covers feed the solver
        rosters = {m: roster for m, roster in found.items() if roster is not None}
        before = {m: {_key(v) for v in roster_check(roster=r)} for m, r in rosters.items()}
        # The request becomes approved first so that its leave is part of the check.
        request.status = RequestStatus.APPROVED
        request.save(update_fields=["status"])
        _apply(request, rosters, days)
        broken: list[Violation] = []
        checked: dict[str, list[Violation]] = {}
        for month, roster in rosters.items():  # each month against its own problem
            after = checked[month] = roster_check(roster=roster)
            new = [v for v in after if _key(v) not in before[month]]
            broken += [v for v in new if v.agent_id in involved]
            gaps += [v for v in new if v.agent_id is None]
        if broken and request.kind in (RequestKind.SWAP, RequestKind.COVER):
            raise _Refused("；".join(v.zh for v in broken))
        for month, roster in rosters.items():
            roster.violations = [violation_json(v) for v in checked[month]]
            roster.save(update_fields=["violations"])
    request.status = RequestStatus.APPROVED
    if gaps:
        notes.append("排班缺口：" + "；".join(v.zh for v in gaps))
        _flag_gaps(shop, request, gaps)
    request.decision_reason = "；".join(notes)


def _cn_month(month: str, *, with_year: bool) -> str:
    year, number = (int(x) for x in month.split("-"))
    return f"{year}年{number}月" if with_year else f"{number}月"


class _Refused(Exception):
    def __init__(self, message: str, *, rule: bool = True) -> None:
        super().__init__(message)
        self.rule = rule


def _flag_gaps(shop: Shop, request: Request, gaps: list[Violation]) -> None:
    supervisors = shop_members_who_can(shop=shop, capability=Capability.MANAGE_TEAM)
    notice_send(
        shop=shop,
        recipients=supervisors,
        kind="coverage_gap",
        title=f"排班缺口：{request.agent.name} 的{request.get_kind_display()}已批准",
        body="\n".join(v.zh for v in gaps),
        link=f"/s/{shop.pk}/rota/requests/",
    )
