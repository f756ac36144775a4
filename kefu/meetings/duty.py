"""Writes to the office duty rota 值日 (S4.1 §13, S4.2 §7): a fair month's rota, swaps made in
advance, confirmation by the person on duty, and the supervisor's findings (undone, lights and
air conditioning left on) as facts for points and fines."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter

from django.apps import apps
from django.contrib.auth.models import User
from django.db import transaction

from kefu.core import clock
from kefu.core.audit import audit_record
from kefu.core.errors import InvalidInput, NotFound
from kefu.core.models import Shop
from kefu.meetings.choices import DutyStatus, FindingKind
from kefu.meetings.models import DutyAssignment, DutyFinding
from kefu.meetings.selectors import shop_agents
from kefu.performance.services import fact_record
from kefu.policy.schema.training import Duty
from kefu.policy.selectors import policy_in_force
from kefu.staff.models import Agent

FINDING_FACTS = {FindingKind.UNDONE: "cleaning_not_done", FindingKind.LIGHTS: "lights_left_on"}


def _audit(
    shop: Shop, user: User | None, action: str, duty: DutyAssignment, **values: object
) -> None:
    audit_record(
        shop=shop,
        actor=user,
        action=action,
        object_type="duty",
        object_id=duty.pk,
        new_value=values or None,
    )


def _month_days(month: str) -> list[dt.date]:
    try:
        year, number = (int(x) for x in month.split("-"))
        last = calendar.monthrange(year, number)[1]
    except (ValueError, calendar.IllegalMonthError):
        raise InvalidInput(f"月份应写成 2026-10 这样，收到 {month!r}") from None
    return [dt.date(year, number, day) for day in range(1, last + 1)]


def _duty_policy(shop: Shop, on: dt.date) -> tuple[Duty, str]:
    try:
        duty = policy_in_force(shop=shop, on=on).policy.duty
    except NotFound as exc:
        raise InvalidInput(exc.message) from exc
    if duty is None:
        raise InvalidInput("本店管理制度没有值日安排（duty）：请先在制度中写明值日任务")
    return duty, duty.clause


def _working(
    shop: Shop, days: list[dt.date], agents: list[Agent]
) -> dict[dt.date, dict[str, list[int]]]:
    """Per day, the agent ids who can take an early and a late task. With a published roster
    (kefu.rota): early tasks go to those whose shift starts first that day, late tasks to those
    whose shift ends last, approved leave excluded. Without one: every active agent."""
    ids = [a.pk for a in agents]
    plain = {day: {"early": list(ids), "late": list(ids)} for day in days}
    if not apps.is_installed("kefu.rota"):
        return plain
    from kefu.rota.selectors import approved_leave, shifts_scheduled

    shifts = [
        s for s in shifts_scheduled(shop=shop, start=days[0], end=days[-1]) if s.agent_id in ids
    ]
    leave = approved_leave(shop=shop, start=days[0], end=days[-1])
    for day in days:
        away = {agent for agent, off in leave.items() if day in off}
        plain[day] = {
            "early": [i for i in ids if i not in away],
            "late": [i for i in ids if i not in away],
        }
    if not shifts:
        return plain
    result: dict[dt.date, dict[str, list[int]]] = {}
    for day in days:
        away = {agent for agent, off in leave.items() if day in off}
        today = [s for s in shifts if s.local_date == day and s.agent_id not in away]
        if not today:
            result[day] = {"early": [], "late": []}
            continue
        first = min(s.starts_at for s in today)
        last = max(s.ends_at for s in today)
        result[day] = {
            "early": sorted({s.agent_id for s in today if s.starts_at == first}),
            "late": sorted({s.agent_id for s in today if s.ends_at == last}),
        }
    return result


@transaction.atomic
def duty_generate(
    *, shop: Shop, month: str, acting_user: User | None, today: dt.date | None = None
) -> list[DutyAssignment]:
    """The month's rota from today on: every day, every task of the policy's `duty` gets one
    working agent. Fair, not round-robin: each slot goes to the eligible agent with the fewest
    duties this month so far (then fewest of that task, then the longest since their last
    duty, then by name), and one agent does not take two tasks of a day when someone else can.
    Days already on the rota are kept (re-running fills only the gaps)."""
    days = _month_days(month)
    today = today or clock.shop_today(tz=shop.timezone)
    duty, clause = _duty_policy(shop, max(days[0], min(today, days[-1])))
    agents = shop_agents(shop=shop)
    if not agents:
        raise InvalidInput("本店还没有在岗客服，无法排值日")
    names = {a.pk: a.name for a in agents}
    existing = list(DutyAssignment.objects.filter(shop=shop, local_date__range=(days[0], days[-1])))
    total: Counter[int] = Counter(d.agent_id for d in existing)
    per_task: Counter[tuple[int, str]] = Counter((d.agent_id, d.task_key) for d in existing)
    last_day: dict[int, dt.date] = {}
    for d in existing:
        last_day[d.agent_id] = max(last_day.get(d.agent_id, d.local_date), d.local_date)
    taken = {(d.local_date, d.task_key) for d in existing}
    working = _working(shop, days, agents)
    created: list[DutyAssignment] = []
    for day in days:
        if day < today:
            continue
        busy = {d.agent_id for d in existing if d.local_date == day}
        for task in duty.tasks:
            if (day, task.key) in taken:
                continue
            pool = working[day][task.timing]
            if not pool:
                continue
            free = [i for i in pool if i not in busy] or pool

            def rank(agent_id: int, key: str = task.key) -> tuple[int, int, dt.date, str, int]:
                return (
                    total[agent_id],
                    per_task[(agent_id, key)],
                    last_day.get(agent_id, dt.date.min),
                    names[agent_id],
                    agent_id,
                )

            chosen = min(free, key=rank)
            row = DutyAssignment.objects.create(
                shop=shop,
                local_date=day,
                task_key=task.key,
                task_label=task.label,
                timing=task.timing,
                agent_id=chosen,
                clause=clause,
            )
            created.append(row)
            total[chosen] += 1
            per_task[(chosen, task.key)] += 1
            last_day[chosen] = day
            busy.add(chosen)
    audit_record(
        shop=shop,
        actor=acting_user,
        action="duty.generate",
        object_type="shop",
        object_id=shop.pk,
        new_value={"month": month, "created": len(created)},
    )
    return created


def _open(shop: Shop, duty: DutyAssignment) -> None:
    if duty.shop_id != shop.pk:
        raise InvalidInput("值日不属于本店")


@transaction.atomic
def duty_swap(
    *,
    shop: Shop,
    duty: DutyAssignment,
    other: DutyAssignment,
    acting_user: User | None,
    today: dt.date | None = None,
) -> tuple[DutyAssignment, DutyAssignment]:
    """Two agents exchange their duties (of the same task or not). With the policy's
    `swap_in_advance`, both days must be after today (S4.1/S4.2: 需提前换好班)."""
    _open(shop, duty)
    _open(shop, other)
    if duty.agent_id == other.agent_id:
        raise InvalidInput("两次值日是同一个人，无需换班")
    today = today or clock.shop_today(tz=shop.timezone)
    policy, _clause = _duty_policy(shop, min(duty.local_date, other.local_date))
    for row in (duty, other):
        if row.status != DutyStatus.ASSIGNED or row.findings.exists():
            raise InvalidInput(f"{row.local_date} 的值日已完成或已检查，不能再换")
        if policy.swap_in_advance and row.local_date <= today:
            raise InvalidInput(
                f"值日需提前换班（{policy.clause}）：{row.local_date} 的值日已经不能再换"
            )
        if row.local_date < today:
            raise InvalidInput(f"{row.local_date} 已经过去，不能再换")
    clash = DutyAssignment.objects.filter(shop=shop)
    if clash.filter(local_date=other.local_date, agent=duty.agent).exclude(pk=other.pk).exists():
        raise InvalidInput(f"{duty.agent.name} 在 {other.local_date} 已有值日")
    if clash.filter(local_date=duty.local_date, agent=other.agent).exclude(pk=duty.pk).exists():
        raise InvalidInput(f"{other.agent.name} 在 {duty.local_date} 已有值日")
    first, second = duty.agent, other.agent
    duty.swapped_from, duty.agent = first, second
    other.swapped_from, other.agent = second, first
    duty.save(update_fields=["agent", "swapped_from"])
    other.save(update_fields=["agent", "swapped_from"])
    _audit(shop, acting_user, "duty.swap", duty, other=other.pk, agents=[first.pk, second.pk])
    return duty, other


@transaction.atomic
def duty_confirm(
    *, shop: Shop, duty: DutyAssignment, agent: Agent, acting_user: User | None
) -> DutyAssignment:
    """The person on duty confirms it is done, on the day or later."""
    _open(shop, duty)
    if duty.agent_id != agent.pk:
        raise InvalidInput("只有当天值日的人可以确认")
    if duty.local_date > clock.shop_today(tz=shop.timezone):
        raise InvalidInput(f"还没到值日那天（{duty.local_date}）")
    if duty.status == DutyStatus.CONFIRMED:
        return duty
    duty.status, duty.confirmed_at = DutyStatus.CONFIRMED, clock.now()
    duty.save(update_fields=["status", "confirmed_at"])
    _audit(shop, acting_user, "duty.confirm", duty)
    return duty


@transaction.atomic
def duty_finding_record(
    *,
    shop: Shop,
    duty: DutyAssignment,
    kind: FindingKind | str,
    note: str,
    acting_user: User | None,
) -> DutyFinding:
    """A supervisor's finding: the duty undone (`cleaning_not_done`, S4.5 轻度3, S4.1 §13) or
    windows, air conditioning or lights left on (`lights_left_on`, S4.5 中度2), a fact of the
    agent on duty with the finding as its evidence. One finding of each kind per duty."""
    _open(shop, duty)
    kind = FindingKind(kind)
    note = note.strip()
    if not note:
        raise InvalidInput("请写明检查情况（如：22:40 检查，空调未关）")
    if duty.local_date > clock.shop_today(tz=shop.timezone):
        raise InvalidInput("值日还没到，不能记录检查结果")
    if kind == FindingKind.LIGHTS and duty.timing != "late":
        raise InvalidInput("关窗、空调、灯是下班后值日的任务")
    if DutyFinding.objects.filter(duty=duty, kind=kind).exists():
        raise InvalidInput("这次值日已经记录过这个问题")
    finding = DutyFinding.objects.create(
        shop=shop, duty=duty, kind=kind, note=note, recorded_by=acting_user
    )
    fact_record(
        shop=shop,
        agent=duty.agent,
        key=FINDING_FACTS[kind],
        occurred_at=finding.recorded_at,
        local_date=duty.local_date,
        source="duty",
        source_ref=str(finding.pk),
        evidence={
            "duty": duty.pk,
            "date": duty.local_date.isoformat(),
            "task": duty.task_label,
            "finding": str(kind.label),
            "note": note,
            "confirmed_by_agent": duty.status == DutyStatus.CONFIRMED,
            "clause": duty.clause,
        },
        acting_user=acting_user,
    )
    _audit(shop, acting_user, "duty.finding", duty, kind=kind, note=note)
    return finding
