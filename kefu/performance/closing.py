"""The month close: the month's facts and incidents through the month rules, written to the
append-only ledgers.

A month is closed once. Closing it again is refused; a correction run (`correction=True`)
runs the rules again and writes only what changed: a reversing entry for each line in force
that the new run no longer produces, a new entry for each line it adds. Lines that are the
same stay as they are, so a correction shows exactly its differences."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from kefu.core.audit import audit_record
from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.performance import engine
from kefu.performance.awards import AwardOutcome
from kefu.performance.choices import CloseKind, RecommendationStatus
from kefu.performance.models import (
    AwardEntry,
    FineEntry,
    MonthClose,
    PointEntry,
)
from kefu.performance.models import Recommendation as RecommendationRow
from kefu.performance.month_run import month_awards, month_rules_run, parse_month
from kefu.performance.selectors import (
    latest_close,
    live_awards,
    live_fines,
    live_points,
)
from kefu.staff.models import Agent


def _ids(prefix: str, values: Iterable[str]) -> list[int]:
    return [int(v[1:]) for v in values if v.startswith(prefix)]


@transaction.atomic
def month_close(
    *,
    shop: Shop,
    month: engine.Month | str,
    acting_user: User | None,
    correction: bool = False,
) -> MonthClose:
    """Close the month (or correct a closed one) and return the run with its differences."""
    month = parse_month(month)
    # A month still running would miss its last days' facts: close it once it is over.
    if month.last_day >= timezone.localdate(timezone=shop.tzinfo):
        raise InvalidInput(f"{month.label}还没有结束，月底之后才能结算")
    # Two closes of one month at once would both pass the check below: the shop row lock
    # serialises them (PostgreSQL; SQLite serialises writers anyway).
    Shop.objects.select_for_update().filter(pk=shop.pk).first()
    previous_close = latest_close(shop=shop, month=month)
    if previous_close is not None and not correction:
        raise InvalidInput(f"{month.label}已结算；如需更改，请做更正结算（会列出差异并写冲销记录）")
    if previous_close is None and correction:
        raise InvalidInput(f"{month.label}尚未结算，无需更正")
    in_force, outcome = month_rules_run(shop=shop, month=month)
    awards, sales = month_awards(shop=shop, month=month, policy=in_force.policy, outcome=outcome)
    close = MonthClose.objects.create(
        shop=shop,
        month=str(month),
        kind=CloseKind.CORRECTION if correction else CloseKind.CLOSE,
        policy_version=in_force.version,
        corrects=previous_close,
        summary={
            agent_id: {
                "score": str(a.score),
                "score_explanation": a.score_explanation,
                "failed": a.failed,
                "low": a.low,
                "warnings_issued": a.warnings_issued,
                "points_total": str(a.points_total),
                "fines_total": str(a.fines_total),
            }
            for agent_id, a in outcome.agents.items()
        },
        unpriced=list(outcome.unpriced),
        firsts={metric: list(ids) for metric, ids in awards.firsts.items()},
        sales={
            "modes": list(sales.modes),
            "agents": {str(k): str(v.amount) for k, v in sales.agents.items()},
        },
        closed_by=acting_user,
    )
    common = {"shop": shop, "close": close, "month": str(month), "policy_version": in_force.version}
    names = dict(
        Agent.objects.filter(pk__in=[int(a) for a in outcome.agents]).values_list("pk", "name")
    )
    differences = _write_entries(shop, month, outcome, common, names, correction=correction)
    differences += _write_awards(shop, month, awards, common, names, correction=correction)
    if previous_close is not None:
        differences += _score_changes(previous_close, close, names)
    _write_recommendations(shop, month, outcome, common)
    close.differences = differences
    close.save(update_fields=["differences"])
    audit_record(
        shop=shop,
        actor=acting_user,
        action="month.correct" if correction else "month.close",
        object_type="month_close",
        object_id=close.pk,
        new_value={"month": str(month), "policy_version": in_force.version.pk},
        note=f"{len(differences)} differences" if correction else "",
    )
    return close


def _score_changes(
    before: MonthClose, after: MonthClose, names: dict[int, str]
) -> list[dict[str, str]]:
    """Scores are not a ledger (they are recomputed), so a correction lists their changes."""
    changes = []
    for agent_id, row in after.summary.items():
        was = before.summary.get(agent_id, {}).get("score")
        if was is not None and Decimal(was) != Decimal(row["score"]):
            explanation = f"考评分 {Decimal(was).normalize()} → {Decimal(row['score']).normalize()}"
            changes.append(
                _diff(
                    "考评分", "±", names.get(int(agent_id), ""), Decimal(row["score"]), explanation
                )
            )
    return changes


def _entry_common(entry: Any) -> dict[str, Any]:
    return {
        "agent_id": int(entry.agent_id),
        "clause": entry.clause,
        "rule": entry.rule,
        "explanation": entry.explanation,
        "fact_ids": _ids("F", entry.fact_ids),
        "incident_ids": _ids("I", entry.incident_ids),
        "at": entry.at,
    }


def _diff(kind: str, sign: str, name: str, value: Decimal, explanation: str) -> dict[str, str]:
    return {
        "kind": kind,
        "change": sign,
        "agent": name,
        "value": str(value),
        "explanation": explanation,
    }


def _write_ledger(
    model: type[PointEntry] | type[FineEntry] | type[AwardEntry],
    live: Iterable[Any],
    produced: Iterable[tuple[Any, dict[str, Any]]],
    common: dict[str, Any],
    names: dict[int, str],
    *,
    kind: str,
    value_field: str,
    show_added: bool,
) -> list[dict[str, str]]:
    """Write the produced entries that are not already in force, and a reversing entry for
    each entry in force that was not produced again. Entries are the same when agent, rule,
    clause, linked facts and incidents and value are."""

    def key(agent_id: int, fields: dict[str, Any], value: Decimal) -> tuple[Any, ...]:
        return (
            agent_id,
            fields["rule"],
            fields["clause"],
            tuple(fields["fact_ids"]),
            tuple(fields["incident_ids"]),
            value,
        )

    in_force: dict[tuple[Any, ...], list[Any]] = {}
    for row in live:
        fields = {f: getattr(row, f) for f in ("rule", "clause", "fact_ids", "incident_ids")}
        in_force.setdefault(key(row.agent_id, fields, getattr(row, value_field)), []).append(row)
    changes = []
    for entry, extra in produced:
        fields = _entry_common(entry)
        value = extra[value_field]
        same = in_force.get(key(fields["agent_id"], fields, value))
        if same:
            same.pop(0)  # unchanged: stays in force as written
            continue
        model.objects.create(**common, **fields, **extra)
        if show_added:
            name = names.get(fields["agent_id"], "")
            changes.append(_diff(kind, "+", name, value, entry.explanation))
    for rows in in_force.values():
        for old in rows:
            copied = {f: getattr(old, f) for f in _REVERSE_COPY[model]}
            copied[value_field] = -getattr(old, value_field)
            model.objects.create(
                **common,
                agent_id=old.agent_id,
                clause=old.clause,
                rule=old.rule,
                explanation=f"更正冲销：{old.explanation}",
                fact_ids=old.fact_ids,
                incident_ids=old.incident_ids,
                at=old.at,
                reverses=old,
                **copied,
            )
            changes.append(
                _diff(kind, "-", old.agent.name, getattr(old, value_field), old.explanation)
            )
    return changes


_REVERSE_COPY: dict[Any, tuple[str, ...]] = {
    PointEntry: ("severity", "pending_choice"),
    FineEntry: ("kind",),
    AwardEntry: ("kind", "metric", "place"),
}


@dataclass(frozen=True)
class _AwardLine:
    """An engine award in the shape the ledger writer reads."""

    agent_id: str
    clause: str
    rule: str
    explanation: str
    fact_ids: tuple[str, ...]
    incident_ids: tuple[str, ...] = ()
    at: dt.datetime | None = None


def _write_awards(
    shop: Shop,
    month: engine.Month,
    awards: AwardOutcome,
    common: dict[str, Any],
    names: dict[int, str],
    *,
    correction: bool,
) -> list[dict[str, str]]:
    produced = [
        (
            _AwardLine(e.agent_id, e.clause, e.rule, e.explanation, e.fact_ids),
            {"amount": e.amount, "kind": e.kind, "metric": e.metric or "", "place": e.place},
        )
        for e in awards.entries
    ]
    return _write_ledger(
        AwardEntry,
        live_awards(shop=shop, month=month),
        produced,
        common,
        names,
        kind="奖励",
        value_field="amount",
        show_added=correction,
    )


def _write_entries(
    shop: Shop,
    month: engine.Month,
    outcome: engine.MonthOutcome,
    common: dict[str, Any],
    names: dict[int, str],
    *,
    correction: bool,
) -> list[dict[str, str]]:
    points = [
        (e, {"points": e.points, "severity": e.severity or "", "pending_choice": e.pending_choice})
        for agent in outcome.agents.values()
        for e in agent.points
    ]
    fines = [
        (e, {"amount": e.amount, "kind": e.kind})
        for agent in outcome.agents.values()
        for e in agent.fines
    ]
    changes = _write_ledger(
        PointEntry,
        live_points(shop=shop, month=month),
        points,
        common,
        names,
        kind="积分",
        value_field="points",
        show_added=correction,
    )
    changes += _write_ledger(
        FineEntry,
        live_fines(shop=shop, month=month),
        fines,
        common,
        names,
        kind="罚款",
        value_field="amount",
        show_added=correction,
    )
    return changes


def _write_recommendations(
    shop: Shop, month: engine.Month, outcome: engine.MonthOutcome, common: dict[str, Any]
) -> None:
    """A recommendation already shown (open or decided) is not shown twice; an open one the
    rules no longer make is withdrawn. Decisions already taken are kept as they are."""
    shown: dict[tuple[Any, ...], list[RecommendationRow]] = {}
    for row in RecommendationRow.objects.filter(shop=shop, month=str(month)).exclude(
        status=RecommendationStatus.WITHDRAWN
    ):
        k = (row.agent_id, row.consequence, row.rule, tuple(row.fact_ids), tuple(row.incident_ids))
        shown.setdefault(k, []).append(row)
    for agent in outcome.agents.values():
        for rec in agent.recommendations:
            fields = _entry_common(rec)
            k = (
                fields["agent_id"],
                rec.consequence,
                rec.rule,
                tuple(fields["fact_ids"]),
                tuple(fields["incident_ids"]),
            )
            if shown.get(k):
                shown[k].pop(0)
                continue
            RecommendationRow.objects.create(
                **common, **fields, consequence=rec.consequence, label=rec.label
            )
    for rows in shown.values():
        for row in rows:
            if row.status == RecommendationStatus.OPEN:
                row.status = RecommendationStatus.WITHDRAWN
                row.save(update_fields=["status"])
