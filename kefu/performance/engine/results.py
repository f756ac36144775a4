"""What the month rules give out. Every entry names the policy clause that produced it, the
rule's path in the policy (`fines.rules.0`), the facts and incidents behind it, and a sentence
in Chinese a supervisor or agent can read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from kefu.performance.engine.month import Month


@dataclass(frozen=True)
class PointEntry:
    agent_id: str
    points: Decimal
    """Signed: a bonus adds (+5), a deduction subtracts (-2)."""
    clause: str
    rule: str
    """Path of the rule in the policy, e.g. `points.catalogue.3`."""
    fact_ids: tuple[str, ...]
    incident_ids: tuple[str, ...]
    explanation: str
    at: dt.datetime | None
    """The occurrence that made it due; none for entries of the whole month."""
    severity: str | None = None
    pending_choice: bool = False
    """Priced at the end of a range that the supervisor has not chosen yet."""


@dataclass(frozen=True)
class FineEntry:
    agent_id: str
    amount: Decimal
    """Positive: what comes off pay."""
    clause: str
    rule: str
    fact_ids: tuple[str, ...]
    incident_ids: tuple[str, ...]
    explanation: str
    at: dt.datetime | None
    kind: Literal["fine", "compensation"] = "fine"
    """A fine goes to the fines fund (where the policy has one); compensation pays a damage."""


@dataclass(frozen=True)
class Recommendation:
    """A decision for a person (withhold pay, resignation, dismissal, a warning): shown to the
    supervisor, never applied by Kefu itself."""

    agent_id: str
    consequence: str
    """A key of `kefu.policy.schema.vocab.CONSEQUENCES`."""
    label: str
    clause: str
    rule: str
    fact_ids: tuple[str, ...]
    incident_ids: tuple[str, ...]
    explanation: str
    at: dt.datetime | None


@dataclass(frozen=True)
class Note:
    """Something the rules decided not to charge, with why (an excused lateness)."""

    agent_id: str
    clause: str
    rule: str
    fact_ids: tuple[str, ...]
    explanation: str


@dataclass(frozen=True)
class AgentOutcome:
    agent_id: str
    score: Decimal
    """The month's score on the policy's scale, additions and deductions included."""
    score_explanation: str
    part_scores: Mapping[str, Decimal] = field(default_factory=dict)
    unscored_parts: tuple[str, ...] = ()
    """Hundred-point parts the supervisor has not scored: counted at full marks."""
    points: tuple[PointEntry, ...] = ()
    fines: tuple[FineEntry, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    notes: tuple[Note, ...] = ()
    failed: bool = False
    """Below the pass mark (`points.below`)."""
    low: bool = False
    """At or below `points.consecutive_low.at_or_below`."""
    warnings_issued: int = 0
    """Warnings the supervisor issued this month (an input, carried for later months)."""

    @property
    def fines_total(self) -> Decimal:
        return sum((entry.amount for entry in self.fines), Decimal(0))

    @property
    def points_total(self) -> Decimal:
        return sum((entry.points for entry in self.points), Decimal(0))

    def recommended(self, consequence: str) -> tuple[Recommendation, ...]:
        return tuple(r for r in self.recommendations if r.consequence == consequence)


@dataclass(frozen=True)
class MonthOutcome:
    month: Month
    policy_name: str
    agents: Mapping[str, AgentOutcome]
    unpriced: tuple[str, ...] = ()
    """Facts that no fine rule or catalogue item prices (shown, never silently dropped)."""

    def agent(self, agent_id: str) -> AgentOutcome:
        return self.agents[agent_id]
