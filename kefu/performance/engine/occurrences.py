"""Facts and incidents become occurrences: one per thing the rules count, in time order.

- An incident that names facts stands for them, so they are priced once, at the points the
  supervisor chose.
- A fact with `quantity` n counts n times.
- Latenesses excused by `attendance.late.grace` (S1: two of 10 minutes or less a month) are
  marked: no rule charges or escalates on them, the explanations still count them ("本月第3次
  迟到（其中2次免罚）"), and a note tells the agent why each was free.
- A fact may be priced under another key: leaving early is priced like a lateness when the
  policy says so, and both fall under S4.5's single item 迟到、早退 (`late_or_early`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from kefu.performance.engine.inputs import Fact, Incident
from kefu.performance.engine.month import Month
from kefu.performance.engine.results import Note
from kefu.performance.engine.text import cited, fact_label
from kefu.policy.schema.attendance import Late


@dataclass(frozen=True)
class Occurrence:
    agent_id: str
    key: str
    at: dt.datetime
    local_date: dt.date
    fact_ids: tuple[str, ...]
    incident_ids: tuple[str, ...]
    sequence: int
    """Position among the occurrences of one fact row (quantity > 1)."""
    minutes: int | None = None
    chosen_points: Decimal | None = None
    amount: Decimal | None = None
    excused: bool = False
    """Excused by the lateness grace: charged nothing, but still the month's n-th lateness."""

    @property
    def sort_key(self) -> tuple[dt.datetime, str, int]:
        first = (self.incident_ids or self.fact_ids or ("",))[0]
        return (self.at, first, self.sequence)


def occurrences_build(facts: Sequence[Fact], incidents: Sequence[Incident]) -> list[Occurrence]:
    """All occurrences, sorted by time (facts may arrive in any order)."""
    _check_unique((f.id for f in facts), "fact")
    _check_unique((i.id for i in incidents), "incident")
    linked = {fact_id for incident in incidents for fact_id in incident.fact_ids}
    out = [
        Occurrence(
            agent_id=incident.agent_id,
            key=incident.item,
            at=incident.at,
            local_date=incident.local_date,
            fact_ids=incident.fact_ids,
            incident_ids=(incident.id,),
            sequence=0,
            chosen_points=incident.points,
            amount=incident.amount,
        )
        for incident in incidents
    ]
    for fact in facts:
        if fact.id in linked:
            continue
        out += [
            Occurrence(
                agent_id=fact.agent_id,
                key=fact.fact,
                at=fact.at,
                local_date=fact.local_date,
                fact_ids=(fact.id,),
                incident_ids=(),
                sequence=sequence,
                minutes=fact.minutes,
            )
            for sequence in range(fact.quantity)
        ]
    return sorted(out, key=lambda occurrence: occurrence.sort_key)


def _check_unique(ids: Iterable[str], what: str) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ValueError(f"{what} id {item!r} appears twice")
        seen.add(item)


def pricing_keys(key: str, late: Late) -> tuple[str, ...]:
    """The rule keys an occurrence may be priced under, the most specific first."""
    if key == "late":
        return ("late", "late_or_early")
    if key == "early_leave":
        return (
            "early_leave",
            "late_or_early",
            *(("late",) if late.early_leave_same_as_late else ()),
        )
    if key == "late_or_early":
        return ("late_or_early", "late")
    return (key,)


def _graceable(key: str, late: Late) -> bool:
    if key == "late":
        return True
    return late.early_leave_same_as_late and key in ("early_leave", "late_or_early")


def lateness_excuse(
    occurrences: list[Occurrence], *, late: Late, month: Month
) -> tuple[list[Occurrence], list[Note]]:
    """Mark the latenesses the grace excuses (detected facts only: an incident is the
    supervisor's deliberate record), with a note for each one in the month."""
    grace = late.grace
    if grace is None or grace.count_per_month == 0:
        return occurrences, []
    kept: list[Occurrence] = []
    notes: list[Note] = []
    used: dict[tuple[str, int, int], int] = {}
    for occurrence in occurrences:
        if occurrence.incident_ids or not _graceable(occurrence.key, late):
            kept.append(occurrence)
            continue
        if occurrence.minutes is None:
            raise ValueError(
                f"fact {occurrence.fact_ids[0]}: a lateness needs its minutes, "
                "because the policy excuses short latenesses (attendance.late.grace)"
            )
        bucket = (occurrence.agent_id, occurrence.local_date.year, occurrence.local_date.month)
        if occurrence.minutes > grace.max_minutes or used.get(bucket, 0) >= grace.count_per_month:
            kept.append(occurrence)
            continue
        used[bucket] = used.get(bucket, 0) + 1
        kept.append(replace(occurrence, excused=True))
        if month.contains(occurrence.local_date):
            sentence = (
                f"本月第{used[bucket]}次{grace.max_minutes}分钟以内的{fact_label(occurrence.key)}"
                f"（{occurrence.minutes}分钟）：每月可免{grace.count_per_month}次，不处罚"
            )
            notes.append(
                Note(
                    agent_id=occurrence.agent_id,
                    clause=late.clause,
                    rule="attendance.late.grace",
                    fact_ids=occurrence.fact_ids,
                    explanation=cited(sentence, late.clause),
                )
            )
    return kept, notes


def ids_of(occurrences: Iterable[Occurrence]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The fact ids and incident ids of occurrences, each once, in order."""
    facts: dict[str, None] = {}
    incidents: dict[str, None] = {}
    for occurrence in occurrences:
        facts.update(dict.fromkeys(occurrence.fact_ids))
        incidents.update(dict.fromkeys(occurrence.incident_ids))
    return tuple(facts), tuple(incidents)
