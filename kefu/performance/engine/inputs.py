"""What the month rules take in: facts (detected or recorded events), incidents (catalogue items
a supervisor records, with the points chosen within a range), and the options for what the
policy does not say.

Money and points are `Decimal` only: a float raises `TypeError` at construction, so an inexact
number never reaches a fine or a payslip."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from kefu.policy.schema.vocab import FACTS, Consequence


def require_decimal(value: object, what: str, *, optional: bool = False) -> None:
    """Refuse anything but a finite Decimal (a float is inexact, an int is a likely slip)."""
    if value is None and optional:
        return
    if isinstance(value, float):
        raise TypeError(f"{what} must be a Decimal, not the float {value!r}")
    if not isinstance(value, Decimal):
        raise TypeError(f"{what} must be a Decimal, got {type(value).__name__} {value!r}")
    if not value.is_finite():
        raise ValueError(f"{what} must be a finite number, got {value}")


def require_decimal_map(values: Mapping[str, object], what: str) -> None:
    for key, value in values.items():
        require_decimal(value, f"{what}[{key!r}]")


def _require_aware(at: dt.datetime, what: str) -> None:
    if not isinstance(at, dt.datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{what} must be an aware datetime, got {at!r}")


def _require_fact_key(key: str, what: str) -> None:
    if key not in FACTS:
        raise ValueError(f"{what}: unknown fact {key!r} (the vocabulary is in docs/policy.md)")


@dataclass(frozen=True)
class Fact:
    """Something that happened, found in the data (a late punch, a buyer left unanswered, a
    missing handover entry) or recorded by a supervisor (a valid complaint)."""

    id: str
    agent_id: str
    fact: str
    """A key of the vocabulary (`kefu.policy.schema.vocab.FACTS`), e.g. `handover_missing`."""
    at: dt.datetime
    """When it happened (aware); occurrences are counted in this order."""
    local_date: dt.date
    """The shop-local business date it belongs to (the shift's date for a night shift that
    ends after midnight); the natural month is read from it."""
    quantity: int = 1
    """How many occurrences this row stands for (a day's count from the KPI engine)."""
    minutes: int | None = None
    """Minutes late, early, or unanswered: lateness grace is judged on it."""
    evidence: str = ""
    """Reference to the source row (punch id, chat session, register entry)."""

    def __post_init__(self) -> None:
        _require_fact_key(self.fact, f"fact {self.id}")
        _require_aware(self.at, f"fact {self.id}.at")
        if isinstance(self.quantity, bool) or self.quantity < 1:
            raise ValueError(f"fact {self.id}.quantity must be at least 1, got {self.quantity}")
        if self.minutes is not None and self.minutes < 0:
            raise ValueError(f"fact {self.id}.minutes cannot be negative")


@dataclass(frozen=True)
class Incident:
    """A catalogue item recorded by the supervisor 违规事件, e.g. S4.5 "迟到、早退 2-5 分/次"
    with the points chosen within the range. An incident that names facts prices them: those
    facts are not priced a second time."""

    id: str
    agent_id: str
    item: str
    """A key of the vocabulary, priced by the catalogue and/or a fine rule."""
    at: dt.datetime
    local_date: dt.date
    points: Decimal | None = None
    """The points chosen (a magnitude) when the catalogue gives a range; must lie within it."""
    amount: Decimal | None = None
    """The price of the damage when the item is paid for (S4.5 照价赔偿)."""
    fact_ids: tuple[str, ...] = ()
    """Facts this incident stands for."""
    note: str = ""
    recorded_by: str = ""

    def __post_init__(self) -> None:
        _require_fact_key(self.item, f"incident {self.id}")
        _require_aware(self.at, f"incident {self.id}.at")
        require_decimal(self.points, f"incident {self.id}.points", optional=True)
        require_decimal(self.amount, f"incident {self.id}.amount", optional=True)
        if self.points is not None and self.points < 0:
            raise ValueError(f"incident {self.id}.points is a magnitude: it cannot be negative")
        if self.amount is not None and self.amount < 0:
            raise ValueError(f"incident {self.id}.amount cannot be negative")


@dataclass(frozen=True)
class RuleOptions:
    """Choices the policy schema cannot state yet (each is a schema gap reported to the lead)."""

    punishment_consequence: Consequence = "warning"
    """What `points.thresholds.punishment_at_or_below` recommends: the vocabulary has no
    plain "punishment 处罚", and 警告处分 is the mildest formal sanction in it."""
    range_points: Literal["low", "high"] = "low"
    """Points for a detected fact priced by a range (2-5) that no incident has chosen yet: the
    low end, so an agent is never charged more than the supervisor could choose; the entry is
    marked `pending_choice`."""
    derive_zero_complaints: bool = True
    """Award the catalogue's `zero_complaints` bonus to every agent with no valid complaint in
    the month, without waiting for a recorded fact."""
