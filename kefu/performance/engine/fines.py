"""Fines by escalation form, counted per rule and period (the natural month unless the rule says
otherwise), occurrence by occurrence in time order:

- `each`: the same amount every time;
- `list`: the amounts in turn, then the consequences in turn (the last one repeats); with no
  consequences the last amount repeats;
- `doubling`: the first amount doubled each time; with a `limit`, after that many fines the
  consequences follow in turn (with none, the amount stays at the last fine);
- `threshold`: when the count passes a step, that step's amount is due once for the period; a
  higher step later charges the difference, so the period's total is the highest step reached.

The rule's `grace` lets its first occurrences in the period pass (noted, not charged).
Consequences become recommendations; Kefu never applies them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from kefu.performance.engine.month import PERIOD_WORD, Month, PeriodKey, period_key
from kefu.performance.engine.occurrences import Occurrence, ids_of, pricing_keys
from kefu.performance.engine.results import FineEntry, Note, Recommendation
from kefu.performance.engine.text import cited, consequence_label, fact_label, yuan
from kefu.policy.schema import (
    DoublingFine,
    EachFine,
    Fine,
    ListFine,
    Policy,
    ThresholdFine,
)


@dataclass
class FinesResult:
    fines: list[FineEntry] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    priced: set[str] = field(default_factory=set)
    """Ids of the facts and incidents some fine rule prices."""


@dataclass
class _Count:
    seen: int = 0
    """Occurrences in the period, the rule's grace included."""
    excused: int = 0
    """Latenesses excused by the attendance grace: shown in the count, never charged."""
    charged: Decimal = Decimal(0)
    """Threshold form: what the period has been charged so far."""
    members: list[Occurrence] = field(default_factory=list)


def fine_rule_for(policy: Policy, key: str) -> tuple[int, Fine] | None:
    by_fact = {
        fact: (index, rule) for index, rule in enumerate(policy.fines.rules) for fact in rule.facts
    }
    for candidate in pricing_keys(key, policy.attendance.late):
        if candidate in by_fact:
            return by_fact[candidate]
    return None


def _priced_amount(rule: Fine, n: int) -> Decimal | str:
    """The n-th charged occurrence's amount, or the consequence key it leads to."""
    match rule:
        case EachFine():
            return rule.amount
        case ListFine():
            if n <= len(rule.amounts):
                return rule.amounts[n - 1]
            if rule.then:
                return rule.then[min(n - len(rule.amounts), len(rule.then)) - 1]
            return rule.amounts[-1]
        case DoublingFine():
            if rule.limit is None or n <= rule.limit:
                return rule.first * 2 ** (n - 1)
            if rule.then:
                return rule.then[min(n - rule.limit, len(rule.then)) - 1]
            return rule.first * 2 ** (rule.limit - 1)
    raise TypeError(f"not a per-occurrence form: {rule.form}")  # pragma: no cover


def _threshold_due(rule: ThresholdFine, n: int) -> tuple[Decimal, int | None]:
    """The period's total after n occurrences, and the `over` of the step reached."""
    reached = [step for step in rule.steps if n > step.over]
    return (reached[-1].amount, reached[-1].over) if reached else (Decimal(0), None)


def fines_apply(occurrences: list[Occurrence], *, policy: Policy, month: Month) -> FinesResult:
    """Fines for the occurrences of one or more agents (counted per agent)."""
    result = FinesResult()
    counts: dict[tuple[str, int, PeriodKey], _Count] = {}
    for occurrence in occurrences:
        found = fine_rule_for(policy, occurrence.key)
        if found is None:
            continue
        index, rule = found
        key = (occurrence.agent_id, index, period_key(rule.period, occurrence.local_date))
        count = counts.setdefault(key, _Count())
        if occurrence.excused:
            count.excused += 1
            continue
        count.seen += 1
        count.members.append(occurrence)
        if month.contains(occurrence.local_date):
            result.priced.update(occurrence.fact_ids + occurrence.incident_ids)
            _charge(result, rule, f"fines.rules.{index}", occurrence, count)
        else:
            # Before the month, in a period that straddles it: it counts and its threshold
            # charge is remembered, but it was charged in its own month's run.
            _charge(FinesResult(), rule, f"fines.rules.{index}", occurrence, count)
    return result


def _charge(
    result: FinesResult, rule: Fine, path: str, occurrence: Occurrence, count: _Count
) -> None:
    period = PERIOD_WORD[rule.period]
    what = fact_label(rule.fact)
    if occurrence.key != rule.fact:
        what += f"（{fact_label(occurrence.key)}）"
    if count.excused:
        what += f"（其中{count.excused}次免罚）"
    fact_ids, incident_ids = occurrence.fact_ids, occurrence.incident_ids
    if count.seen <= rule.grace:
        sentence = f"{period}第{count.seen + count.excused}次{what}：前{rule.grace}次不罚款"
        result.notes.append(
            Note(occurrence.agent_id, rule.clause, path, fact_ids, cited(sentence, rule.clause))
        )
        return
    n = count.seen - rule.grace
    shown = count.seen + count.excused
    if isinstance(rule, ThresholdFine):
        due, over = _threshold_due(rule, n)
        delta = due - count.charged
        if delta <= 0 or over is None:
            return
        fact_ids, incident_ids = ids_of(count.members[rule.grace :])
        sentence = f"{period}第{shown}次{what}，超过{over}次：罚款{yuan(delta)}"
        if count.charged:
            sentence += f"（本档合计{yuan(due)}，已罚{yuan(count.charged)}）"
        count.charged = due
        amount: Decimal | str = delta
    else:
        amount = _priced_amount(rule, n)
        if isinstance(amount, Decimal):
            sentence = f"{period}第{shown}次{what}：罚款{yuan(amount)}"
        else:
            # A consequence rests on every occurrence of the period, not only the last one.
            fact_ids, incident_ids = ids_of(count.members[rule.grace :])
            sentence = f"{period}第{shown}次{what}：建议{consequence_label(amount)}，须主管决定"
    if isinstance(amount, Decimal):
        result.fines.append(
            FineEntry(
                agent_id=occurrence.agent_id,
                amount=amount,
                clause=rule.clause,
                rule=path,
                fact_ids=fact_ids,
                incident_ids=incident_ids,
                explanation=cited(sentence, rule.clause),
                at=occurrence.at,
            )
        )
    else:
        result.recommendations.append(
            Recommendation(
                agent_id=occurrence.agent_id,
                consequence=amount,
                label=consequence_label(amount),
                clause=rule.clause,
                rule=path,
                fact_ids=fact_ids,
                incident_ids=incident_ids,
                explanation=cited(sentence, rule.clause),
                at=occurrence.at,
            )
        )
