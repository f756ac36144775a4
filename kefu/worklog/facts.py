"""What is missing becomes a fact (kefu.performance, source "worklog"), each idempotent by its
reference:

- `handover_missing`: a shift the agent worked (at least one punch) that ended with no entry
  by that agent for that shift's date, when `handover.required_each_shift` (S4.1 §1, S4.5).
- `handover_unacknowledged`: an entry a recipient (see selectors.recipients) did not
  acknowledge before their shift ended, when `handover.read_first`.
- `weekly_summary_missing`: no summary submitted by the due time (S4.1 §3: Saturday 17:00);
  `weekly_summary_short`: submitted on time with fewer than `min_chars` characters.
- `daily_record_missing`: a day the agent had a scheduled shift (not on leave) with no daily
  record handed in by the due time (S4.4 §3.5: Friday 11:00 for the seven days before).

`worklog_facts_record(shop=, day=)` runs all of them for one day; the daily job calls it for
yesterday. Each check also withdraws (`facts_withdraw`) the facts of its range it no longer
finds: an entry written late, leave approved after the day, a roster change."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from kefu.attendance import roster
from kefu.attendance.selectors import period_classify
from kefu.core.clock import now
from kefu.core.models import Shop
from kefu.performance.models import Fact
from kefu.performance.services import fact_record, facts_withdraw
from kefu.policy.schema.attendance import Handover
from kefu.policy.selectors import policy_in_force
from kefu.staff.models import Agent
from kefu.worklog import selectors
from kefu.worklog.engine import latest_due, record_days, summary_chars
from kefu.worklog.models import DailyRecord, HandoverAck, HandoverEntry, WeeklySummary

FACT_SOURCE = "worklog"


def _agents(ids: set[int]) -> dict[int, Agent]:
    return {a.pk: a for a in Agent.objects.filter(pk__in=ids)}


def _withdraw_stale(
    *,
    shop: Shop,
    start: dt.date,
    end: dt.date,
    prefix: str,
    produced: set[str],
    reason: str,
    agents: set[int] | None = None,
) -> int:
    """Withdraw the facts of local dates start..end with this reference prefix that the
    check no longer produces (an entry written late, leave approved after the day); with
    `agents`, only theirs (the reference's second field is the agent)."""
    stored = Fact.objects.filter(
        shop=shop,
        source=FACT_SOURCE,
        source_ref__startswith=prefix,
        local_date__gte=start,
        local_date__lte=end,
    ).values_list("source_ref", flat=True)
    gone = [
        ref
        for ref in stored
        if ref not in produced and (agents is None or int(ref.split(":")[1]) in agents)
    ]
    if not gone:
        return 0
    return len(facts_withdraw(shop=shop, source=FACT_SOURCE, refs=gone, reason=reason))


def handover_missing_record(*, shop: Shop, day: dt.date, as_of: dt.datetime) -> int:
    """Shifts of `day` worked without an entry by their agent."""
    handover = policy_in_force(shop=shop, on=day).policy.handover
    if not handover.required_each_shift:
        return 0
    period = period_classify(shop=shop, start=day, end=day, as_of=as_of)
    ended = [r for r in period.results if r.status != "pending"]
    worked = [r for r in ended if r.punches]
    written = set(
        HandoverEntry.objects.filter(shop=shop, shift_date=day).values_list("author_id", flat=True)
    )
    agents = _agents({int(r.shift.agent_id) for r in worked})
    produced: set[str] = set()
    for result in worked:
        shift = result.shift
        if int(shift.agent_id) in written:
            continue
        produced.add(f"handover_missing:{shift.ref}")
        fact_record(
            shop=shop,
            agent=agents[int(shift.agent_id)],
            key="handover_missing",
            occurred_at=shift.ends_at,
            local_date=shift.local_date,
            source=FACT_SOURCE,
            source_ref=f"handover_missing:{shift.ref}",
            evidence={
                "clause": handover.clause,
                "where": handover.where,
                "shift": shift.shift_key,
                "shift_label": shift.label,
                "starts_at": shift.starts_at.isoformat(),
                "ends_at": shift.ends_at.isoformat(),
                "punches": [{"id": p.id, "at": p.at.isoformat()} for p in result.punches],
            },
        )
    pending = {f"handover_missing:{r.shift.ref}" for r in period.results} - {
        f"handover_missing:{r.shift.ref}" for r in ended
    }
    _withdraw_stale(
        shop=shop,
        start=day,
        end=day,
        prefix="handover_missing:",
        produced=produced | pending,
        reason="交接本已补写，或该班次不再需要交接",
    )
    return len(produced)


def handover_unacknowledged_record(*, shop: Shop, day: dt.date, as_of: dt.datetime) -> int:
    """Entries of shift dates `day` - 1 .. `day` whose recipients' shifts have ended without
    their acknowledgement."""
    count = 0
    rows = HandoverEntry.objects.filter(
        shop=shop, shift_date__gte=day - dt.timedelta(days=1), shift_date__lte=day
    ).order_by("written_at", "id")
    rules: dict[dt.date, Handover] = {}
    for entry in rows:
        if entry.shift_date not in rules:
            rules[entry.shift_date] = policy_in_force(
                shop=shop, on=entry.shift_date
            ).policy.handover
        handover = rules[entry.shift_date]
        if not handover.read_first:
            continue
        acks = {a.agent_id: a.acknowledged_at for a in HandoverAck.objects.filter(entry=entry)}
        produced: set[str] = set()
        for recipient in selectors.recipients(shop=shop, entry=entry):
            deadline = recipient.shift.ends_at
            if deadline > as_of:
                continue
            read_at = acks.get(recipient.agent_id)
            if read_at is not None and read_at <= deadline:
                continue
            agent = Agent.objects.get(pk=recipient.agent_id)
            produced.add(f"handover_unack:{entry.pk}:{agent.pk}")
            fact_record(
                shop=shop,
                agent=agent,
                key="handover_unacknowledged",
                occurred_at=deadline,
                local_date=recipient.shift.local_date,
                source=FACT_SOURCE,
                source_ref=f"handover_unack:{entry.pk}:{agent.pk}",
                evidence={
                    "clause": handover.clause,
                    "entry": entry.pk,
                    "author": entry.author_id,
                    "written_at": entry.written_at.astimezone(shop.tzinfo).isoformat(),
                    "shift": recipient.shift.shift_key,
                    "shift_ends_at": deadline.isoformat(),
                    "acknowledged_at": read_at.astimezone(shop.tzinfo).isoformat()
                    if read_at
                    else None,
                },
            )
            count += 1
        stored = Fact.objects.filter(
            shop=shop, source=FACT_SOURCE, source_ref__startswith=f"handover_unack:{entry.pk}:"
        ).values_list("source_ref", flat=True)
        gone = [ref for ref in stored if ref not in produced]
        if gone:
            facts_withdraw(
                shop=shop,
                source=FACT_SOURCE,
                refs=gone,
                reason="该客服不再是这条交接的接收人（排班已变）",
            )
    return count


def weekly_summary_facts_record(*, shop: Shop, as_of: dt.datetime) -> int:
    """The summaries of the latest week whose due time has passed by `as_of`."""
    tz = shop.tzinfo
    policy = policy_in_force(shop=shop, on=as_of.astimezone(tz).date()).policy
    rule = policy.weekly_summary
    if not rule.required or rule.due is None:
        return 0
    week, due_at = latest_due(as_of, rule.due, tz)
    found = {s.agent_id: s for s in WeeklySummary.objects.filter(shop=shop, week_start=week)}
    produced: set[str] = set()
    team = list(selectors.team_agents(shop=shop))
    for agent in team:
        summary = found.get(agent.pk)
        submitted_at = summary.submitted_at if summary else None
        chars = summary_chars(summary.text) if summary else 0
        evidence = {
            "clause": rule.clause,
            "week_start": week.isoformat(),
            "due_at": due_at.isoformat(),
            "submitted_at": submitted_at.astimezone(tz).isoformat() if submitted_at else None,
            "chars": chars,
            "min_chars": rule.min_chars,
            "summary": summary.pk if summary else None,
        }
        if submitted_at is None or submitted_at > due_at:
            key = "weekly_summary_missing"
        elif chars < rule.min_chars:
            key = "weekly_summary_short"
        else:
            continue
        ref = f"weekly:{agent.pk}:{week.isoformat()}"
        produced.add(ref)
        _record_keyed(
            shop=shop,
            agent=agent,
            key=key,
            occurred_at=due_at,
            local_date=due_at.astimezone(tz).date(),
            ref=ref,
            evidence=evidence,
        )
    due_day = due_at.astimezone(tz).date()
    _withdraw_stale(
        shop=shop,
        start=due_day,
        end=due_day,
        prefix="weekly:",
        produced=produced,
        reason="该客服本周不再欠周工作总结",
        agents={a.pk for a in team},  # an agent who left keeps what they owed
    )
    return len(produced)


def _record_keyed(
    *,
    shop: Shop,
    agent: Agent,
    key: str,
    occurred_at: dt.datetime,
    local_date: dt.date,
    ref: str,
    evidence: dict[str, Any],
) -> None:
    """Record a fact whose key may change under the same reference (a short summary that is
    now missing): the stored one is withdrawn and restored with the new key."""
    before = Fact.objects.filter(shop=shop, source=FACT_SOURCE, source_ref=ref).first()
    if before is not None and before.key != key:
        facts_withdraw(
            shop=shop, source=FACT_SOURCE, refs=[ref], reason=f"重新判定：{before.key} → {key}"
        )
    fact_record(
        shop=shop,
        agent=agent,
        key=key,
        occurred_at=occurred_at,
        local_date=local_date,
        source=FACT_SOURCE,
        source_ref=ref,
        evidence=evidence,
    )


def daily_record_facts_record(*, shop: Shop, as_of: dt.datetime) -> int:
    """The daily records due at the latest due time passed by `as_of`: one fact per day with a
    scheduled shift (not on leave) and no record handed in by then."""
    tz = shop.tzinfo
    policy = policy_in_force(shop=shop, on=as_of.astimezone(tz).date()).policy
    rule = policy.daily_record
    if not rule.required or rule.due is None:
        return 0
    _, due_at = latest_due(as_of, rule.due, tz)
    record_for = record_days(due_at, tz)
    start, end = record_for[0], record_for[-1]
    shifts = roster.shifts_for(shop=shop, start=start, end=end)
    absences = roster.absences_for(shop=shop, start=start, end=end)
    done = {
        (r.agent_id, r.local_date)
        for r in DailyRecord.objects.filter(
            shop=shop,
            local_date__gte=start,
            local_date__lte=end,
            submitted_at__isnull=False,
            submitted_at__lte=due_at,
        )
    }
    agents = _agents({int(s.agent_id) for s in shifts})
    seen: set[tuple[int, dt.date]] = set()
    for shift in shifts:
        key = (int(shift.agent_id), shift.local_date)
        absence = absences.get(shift.agent_id)
        if key in done or key in seen or (absence and shift.local_date in absence.leave):
            continue
        seen.add(key)
        fact_record(
            shop=shop,
            agent=agents[key[0]],
            key="daily_record_missing",
            occurred_at=due_at,
            local_date=shift.local_date,
            source=FACT_SOURCE,
            source_ref=f"daily:{key[0]}:{shift.local_date.isoformat()}",
            evidence={
                "clause": rule.clause,
                "due_at": due_at.isoformat(),
                "shift": shift.shift_key,
                "items": list(rule.items),
            },
        )
    produced = {f"daily:{agent_id}:{day.isoformat()}" for agent_id, day in seen}
    _withdraw_stale(
        shop=shop,
        start=start,
        end=end,
        prefix="daily:",
        produced=produced,
        reason="该日不再欠每日记录（已请假或班次已取消）",
    )
    return len(seen)


@transaction.atomic
def worklog_facts_record(*, shop: Shop, day: dt.date, as_of: dt.datetime | None = None) -> int:
    """Every worklog fact for `day` (handovers of its shifts and of entries written around it;
    summaries and daily records whose due time has passed). Idempotent."""
    as_of = as_of or now()
    return (
        handover_missing_record(shop=shop, day=day, as_of=as_of)
        + handover_unacknowledged_record(shop=shop, day=day, as_of=as_of)
        + weekly_summary_facts_record(shop=shop, as_of=as_of)
        + daily_record_facts_record(shop=shop, as_of=as_of)
    )


def day_close(*, shop: Shop, on: dt.date, as_of: dt.datetime | None = None) -> int:
    """The morning job's work for one shop on date `on`: yesterday's attendance facts (and on
    the first of a month the previous month's full attendance), then the worklog facts.
    A shop without a policy in force is skipped."""
    from kefu.attendance.services import attendance_days_close
    from kefu.core.errors import NotFound

    as_of = as_of or now()
    yesterday = on - dt.timedelta(days=1)
    try:
        policy_in_force(shop=shop, on=yesterday)
    except NotFound:
        return 0
    return attendance_days_close(shop=shop, on=on, as_of=as_of) + worklog_facts_record(
        shop=shop, day=yesterday, as_of=as_of
    )
