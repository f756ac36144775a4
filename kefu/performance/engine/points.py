"""Points from the catalogue, occurrence by occurrence in time order, and the composite rules.

- A catalogue item prices each occurrence (`points`: a number, or a range the supervisor
  chooses within through an incident); bonus items add, the others deduct.
- An item with `steps` counts its occurrences in the period; once a step is reached, the
  step's points replace the per-occurrence total (S3: 1 point a complaint, 3 complaints 5
  points, 5 complaints 10). Each occurrence charges the difference from what the period has
  been charged, so the entries always add up to the period's total and never give points back.
- A composite rule (S4.5: two medium or four light violations in a month, 20 more) is charged
  once per period, at the occurrence that reaches it, linked to every violation it counted.
- An item that `compensate`s also charges the damage's price given on the incident."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from kefu.performance.engine.inputs import RuleOptions
from kefu.performance.engine.month import PERIOD_WORD, Month, PeriodKey, period_key
from kefu.performance.engine.occurrences import Occurrence, ids_of, pricing_keys
from kefu.performance.engine.results import FineEntry, Note, PointEntry
from kefu.performance.engine.text import cited, fact_label, pts, yuan
from kefu.policy.describe_text import SEVERITY
from kefu.policy.schema import PointRange, Policy
from kefu.policy.schema.points import CatalogueItem, Composite

VIOLATION_SEVERITIES = ("light", "medium", "severe")


@dataclass
class PointsResult:
    points: list[PointEntry] = field(default_factory=list)
    compensation: list[FineEntry] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    priced: set[str] = field(default_factory=set)


@dataclass
class _Count:
    seen: int = 0
    charged: Decimal = Decimal(0)
    per_occurrence: Decimal = Decimal(0)
    members: list[Occurrence] = field(default_factory=list)


def catalogue_item_for(policy: Policy, key: str) -> tuple[int, CatalogueItem] | None:
    by_item = {entry.item: (index, entry) for index, entry in enumerate(policy.points.catalogue)}
    for candidate in pricing_keys(key, policy.attendance.late):
        if candidate in by_item:
            return by_item[candidate]
    return None


def _from_range(
    value: PointRange, chosen: Decimal | None, options: RuleOptions, where: str
) -> tuple[Decimal, bool]:
    """The magnitude for one occurrence and whether it still waits for the supervisor."""
    if chosen is not None:
        if not value.low <= chosen <= value.high:
            raise ValueError(f"{where}: {chosen} points is outside {value.render()}")
        return chosen, False
    if value.fixed:
        return value.low, False
    return (value.low if options.range_points == "low" else value.high), True


def points_apply(
    occurrences: list[Occurrence], *, policy: Policy, month: Month, options: RuleOptions
) -> PointsResult:
    result = PointsResult()
    counts: dict[tuple[str, int, PeriodKey], _Count] = {}
    violations: list[tuple[Occurrence, str]] = []
    for occurrence in occurrences:
        found = catalogue_item_for(policy, occurrence.key)
        if found is None or occurrence.excused:
            continue
        index, item = found
        key = (occurrence.agent_id, index, period_key(item.period, occurrence.local_date))
        count = counts.setdefault(key, _Count())
        count.seen += 1
        count.members.append(occurrence)
        if item.severity in VIOLATION_SEVERITIES:
            violations.append((occurrence, item.severity))
        path = f"points.catalogue.{index}"
        if month.contains(occurrence.local_date):
            result.priced.update(occurrence.fact_ids + occurrence.incident_ids)
            _charge(result, item, path, occurrence, count, options)
        else:
            # Before the month, in a period that straddles it: counted and remembered as
            # charged, but charged in its own month's run.
            _charge(PointsResult(), item, path, occurrence, count, options)
    for index, rule in enumerate(policy.points.composite):
        _composite(result, rule, f"points.composite.{index}", violations, month, options)
    return result


def _charge(
    result: PointsResult,
    item: CatalogueItem,
    path: str,
    occurrence: Occurrence,
    count: _Count,
    options: RuleOptions,
) -> None:
    where = f"{path} ({(occurrence.incident_ids or occurrence.fact_ids)[0]})"
    pending = False
    if item.points is not None:
        magnitude, pending = _from_range(item.points, occurrence.chosen_points, options, where)
        count.per_occurrence += magnitude
    elif occurrence.chosen_points is not None:
        raise ValueError(f"{where}: the item is priced by its steps, not by chosen points")
    reached = [step for step in item.steps if count.seen > step.over]
    due = count.per_occurrence
    step_text = ""
    if reached:
        step_points, step_pending = _from_range(reached[-1].points, None, options, where)
        due, pending = step_points, pending or step_pending
        step_text = f"，{PERIOD_WORD[item.period]}达到{reached[-1].over + 1}次共{pts(due)}"
    delta = max(due - count.charged, Decimal(0))
    count.charged += delta
    what = fact_label(item.item)
    if occurrence.key != item.item:
        what += f"（{fact_label(occurrence.key)}）"
    head = f"{PERIOD_WORD[item.period]}第{count.seen}次{what}{step_text}"
    bonus = item.severity == "bonus"
    if delta > 0:
        fact_ids, incident_ids = (
            ids_of(count.members) if reached else (occurrence.fact_ids, occurrence.incident_ids)
        )
        verb = "加" if bonus else "扣"
        sentence = f"{head}：{verb}{pts(delta)}"
        if pending:
            sentence += "（区间待主管确认）"
        result.points.append(
            PointEntry(
                agent_id=occurrence.agent_id,
                points=delta if bonus else -delta,
                clause=item.clause,
                rule=path,
                fact_ids=fact_ids,
                incident_ids=incident_ids,
                explanation=cited(sentence, item.clause),
                at=occurrence.at,
                severity=item.severity,
                pending_choice=pending,
            )
        )
    else:
        reason = "本档已计，不另扣分" if reached else "未达到计分次数，暂不扣分"
        result.notes.append(
            Note(
                occurrence.agent_id,
                item.clause,
                path,
                occurrence.fact_ids,
                cited(f"{head}：{reason}", item.clause),
            )
        )
    if item.compensate:
        _compensate(result, item, path, occurrence)


def _compensate(
    result: PointsResult, item: CatalogueItem, path: str, occurrence: Occurrence
) -> None:
    what = fact_label(item.item)
    if occurrence.amount is None:
        sentence = f"{what}：照价赔偿，金额待主管填写"
        result.notes.append(
            Note(
                occurrence.agent_id,
                item.clause,
                path,
                occurrence.fact_ids,
                cited(sentence, item.clause),
            )
        )
        return
    result.compensation.append(
        FineEntry(
            agent_id=occurrence.agent_id,
            amount=occurrence.amount,
            clause=item.clause,
            rule=path,
            fact_ids=occurrence.fact_ids,
            incident_ids=occurrence.incident_ids,
            explanation=cited(f"{what}：照价赔偿{yuan(occurrence.amount)}", item.clause),
            at=occurrence.at,
            kind="compensation",
        )
    )


def _composite(
    result: PointsResult,
    rule: Composite,
    path: str,
    violations: list[tuple[Occurrence, str]],
    month: Month,
    options: RuleOptions,
) -> None:
    counted: dict[tuple[str, PeriodKey], list[tuple[Occurrence, str]]] = {}
    done: set[tuple[str, PeriodKey]] = set()
    for occurrence, severity in violations:
        key = (occurrence.agent_id, period_key(rule.period, occurrence.local_date))
        members = counted.setdefault(key, [])
        members.append((occurrence, severity))
        if key in done:
            continue
        tally = {s: sum(1 for _, sev in members if sev == s) for s in rule.when}
        met = [tally[s] >= n for s, n in rule.when.items()]
        if not (any(met) if rule.any else all(met)):
            continue
        done.add(key)
        if not month.contains(occurrence.local_date):
            continue
        magnitude, pending = _from_range(rule.points, None, options, path)
        joiner = "或" if rule.any else "且"
        condition = joiner.join(f"{SEVERITY[s]}违规{n}条" for s, n in rule.when.items())
        reached = "、".join(f"{SEVERITY[s]}{tally[s]}条" for s in rule.when if tally[s])
        sentence = f"{PERIOD_WORD[rule.period]}违规已达{reached}（{condition}以上）"
        sentence += f"：追加扣{pts(magnitude)}"
        fact_ids, incident_ids = ids_of(o for o, _ in members)
        result.points.append(
            PointEntry(
                agent_id=occurrence.agent_id,
                points=-magnitude,
                clause=rule.clause,
                rule=path,
                fact_ids=fact_ids,
                incident_ids=incident_ids,
                explanation=cited(sentence, rule.clause),
                at=occurrence.at,
                severity="severe",
                pending_choice=pending,
            )
        )
