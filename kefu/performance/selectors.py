"""Reads of facts, incidents and the month ledgers, always scoped by shop; and the month's
stored outcome rebuilt as the engine's `MonthOutcome` (payroll and later months read it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import QuerySet

from kefu.attendance.models import Punch
from kefu.core.models import Shop
from kefu.performance.awards import AwardEntry as EngineAward
from kefu.performance.awards import AwardOutcome
from kefu.performance.choices import RecommendationStatus
from kefu.performance.engine import AgentOutcome, FineEntry, Month, MonthOutcome
from kefu.performance.engine import Recommendation as EngineRecommendation
from kefu.performance.models import (
    AgentWarning,
    AwardEntry,
    Fact,
    MonthClose,
    PartScore,
    PointEntry,
    Recommendation,
)
from kefu.performance.models import FineEntry as FineRow
from kefu.policy.schema import Policy
from kefu.policy.schema.points import CatalogueItem
from kefu.policy.schema.vocab import FACTS
from kefu.staff.models import Agent

SEVERITY_ORDER = ("bonus", "light", "medium", "severe")
SEVERITY_LABELS = {"bonus": "加分", "light": "轻度违规", "medium": "中度违规", "severe": "严重违规"}
LOOKBACK_MONTHS = 12
"""Rules over several months (three low months in a row, accumulated warnings) look back at
most this far."""


def catalogue_item(policy: Policy, item: str) -> CatalogueItem | None:
    return next((c for c in policy.points.catalogue if c.item == item), None)


@dataclass(frozen=True)
class CatalogueRow:
    item: str
    label: str
    severity: str
    points: str
    low: Decimal | None
    high: Decimal | None
    ranged: bool
    compensate: bool
    clause: str


def catalogue_groups(policy: Policy) -> list[tuple[str, str, list[CatalogueRow]]]:
    """The catalogue by severity (bonus, light, medium, severe), as (key, label, rows)."""
    groups: list[tuple[str, str, list[CatalogueRow]]] = []
    for severity in SEVERITY_ORDER:
        rows = [
            CatalogueRow(
                item=c.item,
                label=FACTS.get(c.item, c.item),
                severity=severity,
                # 2~5, not 2-5: shown after a minus sign, a hyphen would read as "-2 - 5".
                points=str(c.points.render()).replace("-", "~")
                if c.points is not None
                else "按次数递增",
                low=c.points.low if c.points is not None else None,
                high=c.points.high if c.points is not None else None,
                ranged=c.points is not None and not c.points.fixed,
                compensate=c.compensate,
                clause=c.clause,
            )
            for c in policy.points.catalogue
            if c.severity == severity
        ]
        if rows:
            groups.append((severity, SEVERITY_LABELS[severity], rows))
    return groups


def month_closes(*, shop: Shop, month: Month) -> QuerySet[MonthClose]:
    """The month's close and corrections, newest first."""
    return MonthClose.objects.filter(shop=shop, month=str(month)).select_related(
        "closed_by", "policy_version"
    )


def latest_close(*, shop: Shop, month: Month) -> MonthClose | None:
    return month_closes(shop=shop, month=month).order_by("-id").first()


def live_points(*, shop: Shop, month: Month) -> QuerySet[PointEntry]:
    """Entries in force: neither a reversal nor reversed."""
    return PointEntry.objects.filter(
        shop=shop, month=str(month), reverses__isnull=True, reversed_by__isnull=True
    ).select_related("agent")


def live_fines(*, shop: Shop, month: Month) -> QuerySet[FineRow]:
    return FineRow.objects.filter(
        shop=shop, month=str(month), reverses__isnull=True, reversed_by__isnull=True
    ).select_related("agent")


def ledger_points(*, shop: Shop, month: Month) -> QuerySet[PointEntry]:
    """Every entry of the month, reversals included (the ledger as written)."""
    return PointEntry.objects.filter(shop=shop, month=str(month)).select_related("agent")


def ledger_fines(*, shop: Shop, month: Month) -> QuerySet[FineRow]:
    return FineRow.objects.filter(shop=shop, month=str(month)).select_related("agent")


def recommendations(*, shop: Shop, month: Month) -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(shop=shop, month=str(month)).select_related(
        "agent", "decided_by"
    )


def _outcome_from_summary(
    close: MonthClose,
    fines: tuple[FineEntry, ...] = (),
    accepted: tuple[EngineRecommendation, ...] = (),
    warnings: dict[str, int] | None = None,
) -> MonthOutcome:
    agents = {
        agent_id: AgentOutcome(
            agent_id=agent_id,
            score=Decimal(row["score"]),
            score_explanation=row.get("score_explanation", ""),
            fines=tuple(f for f in fines if f.agent_id == agent_id),
            recommendations=tuple(r for r in accepted if r.agent_id == agent_id),
            failed=bool(row.get("failed")),
            low=bool(row.get("low")),
            warnings_issued=(
                int(row.get("warnings_issued", 0))
                if warnings is None
                else warnings.get(agent_id, 0)
            ),
        )
        for agent_id, row in close.summary.items()
    }
    return MonthOutcome(
        month=Month.parse(close.month),
        policy_name="",
        agents=agents,
    )


def previous_outcomes(*, shop: Shop, month: Month) -> list[MonthOutcome]:
    """The latest close of each of the months before `month` (for the rules over months)."""
    outcomes = []
    cursor = month.previous()
    for _ in range(LOOKBACK_MONTHS):
        close = latest_close(shop=shop, month=cursor)
        if close is not None:
            # Warnings as recorded now: one issued after that month's close still counts there.
            warnings = warnings_issued(shop=shop, month=cursor)
            outcomes.append(_outcome_from_summary(close, warnings=warnings))
        cursor = cursor.previous()
    return outcomes


def engine_fine(row: FineRow) -> FineEntry:
    return FineEntry(
        agent_id=str(row.agent_id),
        amount=row.amount,
        clause=row.clause,
        rule=row.rule,
        fact_ids=tuple(f"F{pk}" for pk in row.fact_ids),
        incident_ids=tuple(f"I{pk}" for pk in row.incident_ids),
        explanation=row.explanation,
        at=row.at,
        kind="compensation" if row.kind == "compensation" else "fine",
    )


def month_outcome(*, shop: Shop, month: Month) -> tuple[MonthClose, MonthOutcome] | None:
    """The closed month as the pay calculator takes it: scores from the latest close, fines
    from the ledger entries in force (so pay always matches the ledger)."""
    close = latest_close(shop=shop, month=month)
    if close is None:
        return None
    fines = tuple(engine_fine(row) for row in live_fines(shop=shop, month=month))
    # Only what a person accepted reaches pay (a withheld month); open ones do nothing.
    accepted = tuple(
        EngineRecommendation(
            agent_id=str(row.agent_id),
            consequence=row.consequence,
            label=row.label,
            clause=row.clause,
            rule=row.rule,
            fact_ids=tuple(f"F{pk}" for pk in row.fact_ids),
            incident_ids=tuple(f"I{pk}" for pk in row.incident_ids),
            explanation=row.explanation,
            at=row.at,
        )
        for row in recommendations(shop=shop, month=month).filter(
            status=RecommendationStatus.ACCEPTED
        )
    )
    return close, _outcome_from_summary(close, fines, accepted)


def warnings_issued(*, shop: Shop, month: Month) -> dict[str, int]:
    """Warnings the supervisor issued in the month, per agent id (engine keys)."""
    rows = AgentWarning.objects.filter(shop=shop, month=str(month)).values_list(
        "agent_id", flat=True
    )
    counts: dict[str, int] = {}
    for agent_id in rows:
        counts[str(agent_id)] = counts.get(str(agent_id), 0) + 1
    return counts


def part_scores(*, shop: Shop, month: Month) -> dict[str, dict[str, Decimal]]:
    """The supervisor's hundred-point part scores of the month, per agent id and part."""
    scores: dict[str, dict[str, Decimal]] = {}
    for agent_id, part, score in PartScore.objects.filter(shop=shop, month=str(month)).values_list(
        "agent_id", "part", "score"
    ):
        scores.setdefault(str(agent_id), {})[part] = score
    return scores


def live_awards(*, shop: Shop, month: Month) -> QuerySet[AwardEntry]:
    """Award entries in force: neither a reversal nor reversed."""
    return AwardEntry.objects.filter(
        shop=shop, month=str(month), reverses__isnull=True, reversed_by__isnull=True
    ).select_related("agent")


def ledger_awards(*, shop: Shop, month: Month) -> QuerySet[AwardEntry]:
    return AwardEntry.objects.filter(shop=shop, month=str(month)).select_related("agent")


def award_outcome(*, shop: Shop, month: Month) -> AwardOutcome | None:
    """The closed month's awards in force, as the pay calculator takes them (None: not
    closed). `firsts` come from the latest close (for later months' runs in first place)."""
    close = latest_close(shop=shop, month=month)
    if close is None:
        return None
    entries = tuple(
        EngineAward(
            agent_id=str(row.agent_id),
            kind=row.kind,
            amount=row.amount,
            clause=row.clause,
            rule=row.rule,
            explanation=row.explanation,
            metric=row.metric or None,
            place=row.place,
            fact_ids=tuple(f"F{pk}" for pk in row.fact_ids),
        )
        for row in live_awards(shop=shop, month=month).order_by("agent_id", "id")
    )
    firsts = {metric: tuple(ids) for metric, ids in (close.firsts or {}).items()}
    return AwardOutcome(month=month, entries=entries, firsts=firsts)


def agents_punched(*, shop: Shop, month: Month) -> set[int]:
    """The agents with at least one punch in the month (shop time): their month is the
    attendance app's to judge, so its `full_attendance` fact (or its absence) decides full
    attendance, not the counts of the other facts."""
    tz = shop.tzinfo
    start = dt.datetime.combine(month.first_day, dt.time(0), tzinfo=tz)
    end = dt.datetime.combine(month.last_day + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    return set(
        Punch.objects.filter(shop=shop, at__gte=start, at__lt=end)
        .values_list("agent_id", flat=True)
        .distinct()
    )


def previous_awards(*, shop: Shop, month: Month) -> list[AwardOutcome]:
    """The first places of the unbroken run of closed months before `month` (for S4.5's first
    place months running): one query for every earlier close, then back month by month from
    the one before `month` until a month without a close. Only `firsts` matter to a run, so the
    outcomes carry no entries. However long the run, it is counted whole."""
    latest: dict[str, dict[str, list[str]]] = {}
    rows = (
        MonthClose.objects.filter(shop=shop, month__lt=str(month))
        .order_by("month", "id")
        .values_list("month", "firsts")
    )
    for key, firsts in rows:
        latest[key] = firsts or {}  # ordered by id: the month's latest close wins
    found = []
    cursor = month.previous()
    while str(cursor) in latest:
        firsts = {metric: tuple(ids) for metric, ids in latest[str(cursor)].items()}
        found.append(AwardOutcome(month=cursor, entries=(), firsts=firsts))
        cursor = cursor.previous()
    return found


@dataclass(frozen=True)
class VoidedFact:
    """A withdrawn fact as the supervisor's audit list shows it: what it said (kind, day,
    source and evidence, like the month's fact list) and who withdrew it, when and why."""

    id: int
    agent: Agent
    key: str
    label: str
    local_date: dt.date
    occurred_at: dt.datetime
    quantity: int
    minutes: int | None
    source: str
    source_ref: str
    evidence: str
    note: str
    reason: str
    voided_at: dt.datetime
    voided_by: User | None

    @property
    def by_system(self) -> bool:
        """Withdrawn by a capability's re-judging (no user), not by a person."""
        return self.voided_by is None


def fact_evidence_summary(fact: Fact) -> str:
    """The evidence in a few words, as the fact lists show it: the shift and the clause."""
    evidence = fact.evidence if isinstance(fact.evidence, dict) else {}
    parts = (evidence.get("shift_label") or evidence.get("shift"), evidence.get("clause"))
    return " · ".join(str(p) for p in parts if p)


def facts_voided_list(*, shop: Shop, month: Month, agent: Agent | None = None) -> list[VoidedFact]:
    """The month's withdrawn (voided) facts of the shop (by the fact's business day), newest
    withdrawal first; `agent` keeps one agent's. `Fact.objects` hides them: this is the audit."""
    rows = Fact.all_objects.filter(
        shop=shop,
        voided_at__isnull=False,
        local_date__gte=month.first_day,
        local_date__lte=month.last_day,
    ).select_related("agent", "voided_by")
    if agent is not None:
        rows = rows.filter(agent=agent)
    return [
        VoidedFact(
            id=f.pk,
            agent=f.agent,
            key=f.key,
            label=f.label,
            local_date=f.local_date,
            occurred_at=f.occurred_at,
            quantity=f.quantity,
            minutes=f.minutes,
            source=f.source,
            source_ref=f.source_ref,
            evidence=fact_evidence_summary(f),
            note=f.note,
            reason=f.void_reason,
            voided_at=f.voided_at,
            voided_by=f.voided_by,
        )
        for f in rows.order_by("-voided_at", "-id")
        if f.voided_at is not None
    ]
