"""Writes of attendance: a web clock-in or clock-out, a punch-machine file imported, and the
facts of classified shifts recorded for points and pay."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from kefu.attendance import selectors
from kefu.attendance.choices import PunchDirection, PunchSource
from kefu.attendance.engine import AgentMonth, ShiftResult, month_last_day
from kefu.attendance.engine.punchfile import DOUBLE_PUNCH, PunchRow, rows_of_table, time_column
from kefu.attendance.models import Punch, PunchImport
from kefu.attendance.online import online_facts
from kefu.core.audit import audit_record
from kefu.core.clock import now
from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.orders.importers.reading import ImportFileError, read_table
from kefu.performance.models import Fact
from kefu.performance.services import fact_record, facts_withdraw
from kefu.staff.models import Agent, Assignment

FACT_SOURCE = "attendance"


def _actor(user: User | None) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated else None


@transaction.atomic
def punch_clock(
    *,
    shop: Shop,
    agent: Agent,
    direction: str,
    acting_user: User | None,
    at: dt.datetime | None = None,
) -> Punch:
    """The agent clocks in or out in the web UI (now, unless `at` is given by a test)."""
    if direction not in (PunchDirection.IN, PunchDirection.OUT):
        raise InvalidInput(f"未知的打卡方向 {direction!r}")
    if not Assignment.objects.filter(shop=shop, agent=agent).exists():
        raise InvalidInput(f"客服「{agent.name}」不在本店，不能在本店打卡")
    at = at or now()
    near = Punch.objects.filter(
        shop=shop, agent=agent, at__gt=at - DOUBLE_PUNCH, at__lt=at + DOUBLE_PUNCH
    ).first()
    if near is not None:
        raise InvalidInput(
            f"{int(DOUBLE_PUNCH.total_seconds())} 秒内已经打过卡"
            f"（{near.at.astimezone(shop.tzinfo):%H:%M:%S}），无需重复打卡"
        )
    punch = Punch.objects.create(
        shop=shop,
        agent=agent,
        at=at,
        source=PunchSource.WEB,
        direction=direction,
        device="web",
        created_by=_actor(acting_user),
    )
    audit_record(
        shop=shop,
        actor=_actor(acting_user),
        action=f"punch.clock_{direction}",
        object_type="punch",
        object_id=punch.pk,
        new_value={"agent": agent.pk, "at": at.isoformat()},
    )
    return punch


def _agents_by_badge(shop: Shop) -> tuple[dict[str, Agent], dict[str, list[Agent]]]:
    agents = list(Agent.objects.filter(assignments__shop=shop))
    by_badge = {a.badge.strip(): a for a in agents if a.badge.strip()}
    by_name: dict[str, list[Agent]] = {}
    for agent in agents:
        by_name.setdefault(agent.name.strip(), []).append(agent)
    return by_badge, by_name


def _resolve(row: PunchRow, *, filename: str, header: list[str], shop: Shop, lookup: Any) -> Agent:
    by_badge, by_name = lookup
    if row.badge:
        agent = by_badge.get(row.badge)
        if agent is None:
            column = next((h for h in header if h and row.raw.get(h, "").strip() == row.badge), "")
            raise ImportFileError(
                filename,
                f"未知的考勤工号 {row.badge!r}：本店没有这个工号的客服（在客服资料里填写考勤工号）",
                line=row.line,
                column=column or None,
            )
        return agent
    found = by_name.get(row.name, [])
    if len(found) != 1:
        what = "没有" if not found else f"有 {len(found)} 个"
        raise ImportFileError(
            filename,
            f"本店{what}叫「{row.name}」的客服：请在文件里加上工号列",
            line=row.line,
            column="姓名",
        )
    return found[0]


@transaction.atomic
def punch_import(
    *, shop: Shop, data: bytes, filename: str, acting_user: User | None
) -> PunchImport:
    """Import a punch-machine export. All or nothing: the first bad row (unknown badge,
    duplicate or overlapping punch, bad or future time) raises InvalidInput naming the file,
    line and column, and nothing is saved. A punch already stored at the same second is
    skipped, so importing the same file again adds nothing."""
    try:
        table = read_table(data, filename)
        rows = rows_of_table(table)
        lookup = _agents_by_badge(shop)
        tz = shop.tzinfo
        latest = now()
        column = time_column(table) or None
        resolved: list[tuple[PunchRow, Agent, dt.datetime]] = []
        for row in rows:
            agent = _resolve(row, filename=filename, header=table.header, shop=shop, lookup=lookup)
            at = row.at.replace(tzinfo=tz)
            if at > latest:
                raise ImportFileError(
                    filename,
                    f"打卡时间 {row.at:%Y-%m-%d %H:%M:%S} 在将来",
                    line=row.line,
                    column=column,
                )
            resolved.append((row, agent, at))
        added = 0
        new: list[Punch] = []
        for row, agent, at in resolved:
            near = list(
                Punch.objects.filter(
                    shop=shop, agent=agent, at__gt=at - DOUBLE_PUNCH, at__lt=at + DOUBLE_PUNCH
                )
            )
            if any(p.at == at for p in near):
                continue  # imported before
            if near:
                raise ImportFileError(
                    filename,
                    f"打卡时间重叠：{agent.name} 在 "
                    f"{near[0].at.astimezone(tz):%Y-%m-%d %H:%M:%S} 已有打卡"
                    f"（{near[0].get_source_display()}），相隔不到 "
                    f"{int(DOUBLE_PUNCH.total_seconds())} 秒",
                    line=row.line,
                    column=column,
                )
            new.append(
                Punch(
                    shop=shop,
                    agent=agent,
                    at=at,
                    source=PunchSource.IMPORT,
                    direction=row.direction,
                    device=row.device[:100],
                    raw=row.raw,
                    created_by=_actor(acting_user),
                )
            )
            added += 1
    except ImportFileError as exc:
        raise InvalidInput(str(exc)) from None
    batch = PunchImport.objects.create(
        shop=shop,
        file_name=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=table.encoding,
        rows=len(rows),
        added=added,
        created_by=_actor(acting_user),
    )
    for punch in new:
        punch.batch = batch
    Punch.objects.bulk_create(new)
    audit_record(
        shop=shop,
        actor=_actor(acting_user),
        action="punch.import",
        object_type="punch_import",
        object_id=batch.pk,
        new_value={"file": filename, "rows": len(rows), "added": added},
    )
    return batch


# --- facts -----------------------------------------------------------------------------------


def _live(shop: Shop, refs: list[str]) -> dict[str, Fact]:
    rows = Fact.objects.filter(shop=shop, source=FACT_SOURCE, source_ref__in=refs)
    return {f.source_ref: f for f in rows}


def _record_shift(shop: Shop, agents: dict[str, Agent], result: ShiftResult) -> list[str]:
    """Record the shift's facts; a stored fact of the same side that now says something else
    (another key or other minutes, after later punches) is withdrawn and restored with what
    the shift says now. Returns the references written."""
    refs = [f"shift:{result.shift.ref}:{fact.side}" for fact in result.facts]
    stored = _live(shop, refs)
    for ref, fact in zip(refs, result.facts, strict=True):
        before = stored.get(ref)
        if before is not None and (before.key, before.minutes) != (fact.key, fact.minutes):
            facts_withdraw(
                shop=shop,
                source=FACT_SOURCE,
                refs=[ref],
                reason=f"重新判定：{before.key} {before.minutes} → {fact.key} {fact.minutes}",
            )
        evidence = {
            **fact.evidence,
            "clause": fact.clause,
            "status": result.status,
            "excused_by_grace": fact.excused,
        }
        fact_record(
            shop=shop,
            agent=agents[result.shift.agent_id],
            key=fact.key,
            occurred_at=fact.at,
            local_date=fact.local_date,
            minutes=fact.minutes,
            source=FACT_SOURCE,
            source_ref=ref,
            evidence=evidence,
        )
    return refs


def _month_ref(agent_id: str, year: int, month: int) -> str:
    return f"month:{agent_id}:{year:04d}-{month:02d}:full"


def _record_month(shop: Shop, agent: Agent, summary: AgentMonth) -> bool:
    if not summary.full_attendance:
        return False
    last = month_last_day(summary.year, summary.month)
    fact_record(
        shop=shop,
        agent=agent,
        key="full_attendance",
        occurred_at=dt.datetime.combine(last, dt.time(23, 59, 59), tzinfo=shop.tzinfo),
        local_date=last,
        source=FACT_SOURCE,
        source_ref=_month_ref(str(agent.pk), summary.year, summary.month),
        evidence={
            "clause": summary.clause,
            "shifts": summary.shifts,
            "leave_days": summary.leave_days,
            "swap_days": summary.swap_days,
            "late_excused": summary.late_excused,
        },
    )
    return True


@transaction.atomic
def attendance_facts_record(*, shop: Shop, day: dt.date, as_of: dt.datetime | None = None) -> int:
    """Record the facts of the shifts of `day`'s month up to `day` whose punch window has
    closed, and, when `day` is the month's last day and the month is over, full attendance.
    Idempotent: each fact's reference is its shift and side. A fact recorded earlier that the
    shifts no longer produce (punches imported late, leave approved after the day, the shift
    taken off the roster) is withdrawn; the facts of shifts still pending are left alone.
    Returns how many facts were written or found already written."""
    start = day.replace(day=1)
    period = selectors.period_classify(shop=shop, start=start, end=day, as_of=as_of)
    agent_ids = {r.shift.agent_id for r in period.results}
    agents = {str(a.pk): a for a in Agent.objects.filter(pk__in=[int(i) for i in agent_ids])}
    produced: set[str] = set()
    pending = [f"shift:{r.shift.ref}:" for r in period.results if r.status == "pending"]
    for result in period.results:
        if result.status != "pending":
            produced |= set(_record_shift(shop, agents, result))
    for found in online_facts(shop=shop, results=period.results, rules_for=period.rules_for):
        ref = f"shift:{found.result.shift.ref}:{found.side}"
        fact_record(
            shop=shop,
            agent=agents[found.result.shift.agent_id],
            key=found.rule.fact,
            occurred_at=found.silence.start,
            local_date=found.result.shift.local_date,
            minutes=found.silence.minutes,
            source=FACT_SOURCE,
            source_ref=ref,
            evidence=found.evidence(),
        )
        produced.add(ref)
    stale = Fact.objects.filter(
        shop=shop,
        source=FACT_SOURCE,
        source_ref__startswith="shift:",
        local_date__gte=start,
        local_date__lte=day,
    ).values_list("source_ref", flat=True)
    gone = [r for r in stale if r not in produced and not r.startswith(tuple(pending))]
    if gone:
        facts_withdraw(
            shop=shop, source=FACT_SOURCE, refs=gone, reason="考勤重新判定：该班次不再产生此事实"
        )
    count = len(produced)
    if day == month_last_day(day.year, day.month):
        months = period.months(sorted(agent_ids))
        for agent_id, summary in months.items():
            count += int(_record_month(shop, agents[agent_id], summary))
        lost = [
            _month_ref(agent_id, day.year, day.month)
            for agent_id, summary in months.items()
            if summary.full_attendance is False
        ]
        facts_withdraw(shop=shop, source=FACT_SOURCE, refs=lost, reason="本月不再满足全勤条件")
    return count


def attendance_days_close(*, shop: Shop, on: dt.date, as_of: dt.datetime | None = None) -> int:
    """The daily job's work for one shop: yesterday's facts (and, on the first of a month, the
    previous month's full attendance)."""
    return attendance_facts_record(shop=shop, day=on - dt.timedelta(days=1), as_of=as_of)
