"""Writes of rosters: generate a month with the solver, edit a cell (re-checked), publish.

Leave, swap and cover requests are in `request_services`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as DjangoUser
from django.db import transaction

from kefu.core import clock
from kefu.core.audit import audit_record
from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.policy.selectors import parse_version, policy_in_force
from kefu.rota.choices import RosterStatus
from kefu.rota.inputs import month_bounds, month_input, month_parse, shift_templates_of
from kefu.rota.models import Roster, RosterShift
from kefu.rota.solver import RosterSolution, Status, Violation, check_roster, solve
from kefu.staff.models import Agent

User = AbstractBaseUser | AnonymousUser | None

RUNNING = "RUNNING"
"""solver_status while a Huey worker generates the roster."""
INLINE_SECONDS = 10
"""A policy time limit up to this many seconds is solved within the request; a longer one in a
Huey task while the page polls."""
SOLVER_WORKERS = 2


def violation_json(violation: Violation) -> dict[str, Any]:
    return {
        "rule": violation.rule,
        "zh": violation.zh,
        "en": violation.en,
        "agent_id": int(violation.agent_id) if violation.agent_id else None,
        "day": violation.day.isoformat() if violation.day else None,
        "shift": violation.shift,
        "short": violation.short,
    }


def _solution_fields(solution: RosterSolution) -> dict[str, Any]:
    return {
        "solver_status": str(solution.status),
        "objective": solution.objective,
        "penalties": {
            name: {"count": p.count, "weight": p.weight, "cost": p.cost}
            for name, p in solution.penalties.items()
        },
        "explanations": [
            {
                "zh": e.zh,
                "en": e.en,
                "rule": e.rule,
                "day": e.day.isoformat() if e.day else None,
                "shift": e.shift,
                "short": e.short,
            }
            for e in solution.explanations
        ],
        "solver_seconds": round(solution.seconds, 2),
    }


def roster_generation_start(*, shop: Shop, month: str, acting_user: User) -> Roster:
    """The month's draft roster row, marked as being generated (before a Huey task runs).
    A published roster is never regenerated."""
    year, number = month_parse(month)
    first, _ = month_bounds(year, number)
    in_force = policy_in_force(shop=shop, on=first)
    with transaction.atomic():
        roster = Roster.objects.select_for_update().filter(shop=shop, month=month).first()
        if roster is not None and roster.status == RosterStatus.PUBLISHED:
            raise InvalidInput(f"{month} 的排班表已发布，不能重新生成")
        if roster is None:
            roster = Roster(shop=shop, month=month)
        roster.policy_version = in_force.version
        roster.shift_templates = shift_templates_of(in_force.policy.schedule)
        roster.solver_status = RUNNING
        roster.generated_by = acting_user if isinstance(acting_user, DjangoUser) else None
        roster.save()
    return roster


def roster_generate(
    *,
    shop: Shop,
    month: str,
    acting_user: User,
    time_limit_seconds: float | None = None,
    workers: int = SOLVER_WORKERS,
) -> Roster:
    """Solve the month under the policy in force on its first day and store the roster as a
    draft (replacing an earlier draft). No roster found: the draft keeps no cells and
    `explanations` says why, in words. Time limit: the policy's, unless given."""
    roster = roster_generation_start(shop=shop, month=month, acting_user=acting_user)
    year, number = roster.year_month
    data = month_input(
        shop=shop, year=year, month=number, version=roster.policy_version, exclude_roster=roster
    )
    if not data.agents:
        roster.solver_status = str(Status.INFEASIBLE)
        roster.explanations = [
            {
                "zh": "本店没有在岗客服，无法排班",
                "en": "The shop has no active agents",
                "rule": "team",
            }
        ]
        roster.save(update_fields=["solver_status", "explanations"])
        return roster
    solution = solve(data.problem, workers=workers, time_limit_seconds=time_limit_seconds)
    with transaction.atomic():
        for name, value in _solution_fields(solution).items():
            setattr(roster, name, value)
        roster.generated_at = clock.now()
        roster.status = RosterStatus.DRAFT
        RosterShift.objects.filter(roster=roster).delete()
        RosterShift.objects.bulk_create(
            RosterShift(
                shop=shop,
                roster=roster,
                agent=data.agents[agent_id],
                local_date=day,
                shift_key=key,
            )
            for (agent_id, day), key in sorted(solution.assignment.items())
            if key is not None
        )
        roster.violations = (
            [violation_json(v) for v in check_roster(data.problem, solution.assignment)]
            if solution.assignment
            else []
        )
        roster.save()
        audit_record(
            shop=shop,
            actor=acting_user,
            action="roster.generate",
            object_type="rota.Roster",
            object_id=roster.pk,
            new_value={
                "month": month,
                "solver_status": roster.solver_status,
                "objective": roster.objective,
                "policy_version": roster.policy_version.number,
            },
        )
    return roster


def roster_assignment(roster: Roster) -> dict[tuple[str, dt.date], str | None]:
    return {
        (str(agent_id), day): key
        for agent_id, day, key in RosterShift.objects.filter(roster=roster).values_list(
            "agent_id", "local_date", "shift_key"
        )
    }


def roster_check(*, roster: Roster) -> list[Violation]:
    """Every hard rule the roster as it stands breaks (leave approved since included)."""
    year, number = roster.year_month
    data = month_input(
        shop=roster.shop,
        year=year,
        month=number,
        version=roster.policy_version,
        exclude_roster=roster,
    )
    assignment = roster_assignment(roster)
    for agent_id in data.agents:
        for day in data.problem.days:
            assignment.setdefault((agent_id, day), None)
    # Agents who left keep their cells but are not checked.
    known = {k: v for k, v in assignment.items() if k[0] in data.agents}
    return check_roster(data.problem, known)


def roster_recheck(*, roster: Roster) -> list[Violation]:
    """Check and store the result on the roster."""
    found = roster_check(roster=roster)
    roster.violations = [violation_json(v) for v in found]
    roster.save(update_fields=["violations"])
    return found


def roster_cell_set(
    *,
    shop: Shop,
    roster: Roster,
    agent: Agent,
    day: dt.date,
    shift_key: str | None,
    acting_user: User,
) -> list[Violation]:
    """Set one cell (a shift key, or None for a day off), re-check the rules and return what
    this agent or this day now breaks (the roster keeps the full list)."""
    if roster.shop_id != shop.pk:
        raise InvalidInput("排班表不属于本店")
    year, number = roster.year_month
    first, last = month_bounds(year, number)
    if not first <= day <= last:
        raise InvalidInput(f"{day} 不在 {roster.month} 内")
    if shift_key is not None and shift_key not in roster.shift_templates:
        known = "、".join(roster.shift_templates)
        raise InvalidInput(f"未知班次：{shift_key}（可选：{known}）")
    if roster.solver_status == RUNNING:
        raise InvalidInput("排班表正在生成，请稍后再改")
    with transaction.atomic():
        cell = RosterShift.objects.filter(roster=roster, agent=agent, local_date=day).first()
        old = cell.shift_key if cell else None
        if shift_key is None:
            if cell is not None:
                cell.delete()
        elif cell is None:
            RosterShift.objects.create(
                shop=shop, roster=roster, agent=agent, local_date=day, shift_key=shift_key
            )
        else:
            cell.shift_key = shift_key
            cell.save(update_fields=["shift_key"])
        found = roster_recheck(roster=roster)
        audit_record(
            shop=shop,
            actor=acting_user,
            action="roster.cell_set",
            object_type="rota.Roster",
            object_id=roster.pk,
            path=f"{agent.pk}/{day.isoformat()}",
            old_value=old,
            new_value=shift_key,
            note="; ".join(v.zh for v in found if _touches(v, agent, day)),
        )
    return [v for v in found if _touches(v, agent, day)]


def _touches(violation: Violation, agent: Agent, day: dt.date) -> bool:
    if violation.agent_id is not None:
        return violation.agent_id == str(agent.pk)
    return violation.day in (day, day + dt.timedelta(days=1))


def roster_publish(*, shop: Shop, roster: Roster, acting_user: User) -> Roster:
    """Agents see the roster from now on. A roster with no cells (none found) cannot be
    published; one that breaks rules can, and the audit note lists what it breaks."""
    if roster.shop_id != shop.pk:
        raise InvalidInput("排班表不属于本店")
    if roster.status == RosterStatus.PUBLISHED:
        raise InvalidInput(f"{roster.month} 的排班表已发布")
    if roster.solver_status == RUNNING:
        raise InvalidInput("排班表正在生成，请稍后再发布")
    if not RosterShift.objects.filter(roster=roster).exists():
        raise InvalidInput("排班表是空的，不能发布")
    with transaction.atomic():
        roster.status = RosterStatus.PUBLISHED
        roster.published_at = clock.now()
        roster.save(update_fields=["status", "published_at"])
        audit_record(
            shop=shop,
            actor=acting_user,
            action="roster.publish",
            object_type="rota.Roster",
            object_id=roster.pk,
            new_value={"month": roster.month},
            note="; ".join(v["zh"] for v in roster.violations),
        )
    return roster


def roster_policy_seconds(*, roster: Roster) -> int | None:
    """The policy's solver time limit for this roster, if it sets one."""
    rule = parse_version(roster.policy_version).schedule.rule("solver_time_limit")
    seconds = getattr(rule, "seconds", None)
    return int(seconds) if seconds is not None else None
