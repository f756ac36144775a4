"""`month_rules_apply`: one natural month of facts and incidents in, every agent's points,
fines, recommendations and score out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TypeVar

from kefu.performance.engine.fines import fines_apply
from kefu.performance.engine.inputs import Fact, Incident, RuleOptions, require_decimal_map
from kefu.performance.engine.month import Month
from kefu.performance.engine.occurrences import Occurrence, lateness_excuse, occurrences_build
from kefu.performance.engine.points import catalogue_item_for, points_apply
from kefu.performance.engine.results import AgentOutcome, MonthOutcome, PointEntry
from kefu.performance.engine.scale import scale_close
from kefu.performance.engine.text import cited, pts
from kefu.policy.schema import Policy

VALID_COMPLAINTS = frozenset(
    {"complaint_valid", "complaint_attitude", "slow_reply_complaint", "quarrel_with_customer"}
)
"""Facts that are a valid complaint 有效投诉 for the zero-complaints bonus (S4.5 counts a
quarrel with a customer as one: 口角争执或冲突（有效投诉）)."""

_Timed = TypeVar("_Timed", bound=PointEntry)
_LATEST = dt.datetime.max.replace(tzinfo=dt.UTC)


def month_rules_apply(
    *,
    policy: Policy,
    facts: Sequence[Fact],
    incidents: Sequence[Incident] = (),
    month: Month,
    agents: Sequence[str] = (),
    part_scores: Mapping[str, Mapping[str, Decimal]] | None = None,
    previous: Sequence[MonthOutcome] = (),
    warnings_issued: Mapping[str, int] | None = None,
    options: RuleOptions | None = None,
) -> MonthOutcome:
    """Apply the policy's fines and points to one natural month.

    `facts` and `incidents` may be in any order and may include the days before the month
    (they count toward a week that straddles it; nothing outside the month is charged).
    `agents` lists who is scored even without a single fact. `part_scores` are the
    supervisor's hundred-point part scores per agent; `previous` the earlier months' outcomes
    for the rules over several months; `warnings_issued` the warnings the supervisor issued
    this month."""
    options = options or RuleOptions()
    part_scores = part_scores or {}
    warnings_issued = warnings_issued or {}
    for agent_id, scores in part_scores.items():
        require_decimal_map(scores, f"part_scores[{agent_id!r}]")
    occurrences = occurrences_build(facts, incidents)
    marked, excused = lateness_excuse(occurrences, late=policy.attendance.late, month=month)
    fines = fines_apply(marked, policy=policy, month=month)
    points = points_apply(marked, policy=policy, month=month, options=options)
    in_month = [o for o in occurrences if month.contains(o.local_date)]
    agent_ids = list(dict.fromkeys(agents))
    agent_ids += sorted({o.agent_id for o in in_month} - set(agent_ids))
    agent_ids += sorted(set(part_scores) - set(agent_ids))
    outcomes: dict[str, AgentOutcome] = {}
    for agent_id in agent_ids:
        entries = [e for e in points.points if e.agent_id == agent_id]
        entries += _zero_complaints(policy, agent_id, in_month, options)
        entries = _by_time(entries)
        closing = scale_close(
            policy=policy,
            month=month,
            agent_id=agent_id,
            entries=entries,
            part_scores=part_scores.get(agent_id, {}),
            previous=previous,
            warnings_issued=warnings_issued.get(agent_id, 0),
            options=options,
        )
        fine_entries = [e for e in fines.fines + points.compensation if e.agent_id == agent_id]
        fine_entries.sort(key=lambda e: e.at or _LATEST)
        outcomes[agent_id] = AgentOutcome(
            agent_id=agent_id,
            score=closing.score,
            score_explanation=closing.explanation,
            part_scores=closing.part_scores,
            unscored_parts=closing.unscored,
            points=tuple(entries),
            fines=(*fine_entries, *closing.fines),
            recommendations=(
                *sorted(
                    (r for r in fines.recommendations if r.agent_id == agent_id),
                    key=lambda r: r.at or _LATEST,
                ),
                *closing.recommendations,
            ),
            notes=tuple(n for n in excused + fines.notes + points.notes if n.agent_id == agent_id),
            failed=closing.failed,
            low=closing.low,
            warnings_issued=warnings_issued.get(agent_id, 0),
        )
    priced = fines.priced | points.priced | {i for n in excused for i in n.fact_ids}
    unpriced = {
        item_id
        for o in in_month
        for item_id in (o.incident_ids or o.fact_ids)
        if item_id not in priced
    }
    ordered = [i for o in in_month for i in (o.incident_ids or o.fact_ids) if i in unpriced]
    return MonthOutcome(
        month=month,
        policy_name=policy.meta.name,
        agents=outcomes,
        unpriced=tuple(dict.fromkeys(ordered)),
    )


def _zero_complaints(
    policy: Policy, agent_id: str, in_month: list[Occurrence], options: RuleOptions
) -> list[PointEntry]:
    """The month's zero-complaints bonus, when the policy's catalogue has it and no fact or
    incident already records it."""
    found = catalogue_item_for(policy, "zero_complaints")
    if found is None or not options.derive_zero_complaints:
        return []
    index, item = found
    mine = [o for o in in_month if o.agent_id == agent_id]
    if any(o.key in VALID_COMPLAINTS or o.key == "zero_complaints" for o in mine):
        return []
    if item.points is None:
        return []
    magnitude = item.points.low
    return [
        PointEntry(
            agent_id=agent_id,
            points=magnitude if item.severity == "bonus" else -magnitude,
            clause=item.clause,
            rule=f"points.catalogue.{index}",
            fact_ids=(),
            incident_ids=(),
            explanation=cited(f"本月有效投诉为零：加{pts(magnitude)}", item.clause),
            at=None,
            severity=item.severity,
        )
    ]


def _by_time(entries: list[_Timed]) -> list[_Timed]:
    return sorted(entries, key=lambda e: e.at or _LATEST)
