"""Builders shared by the performance and payroll tests: facts at shop-local times, presets
with one value changed."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from kefu.performance.engine import Fact, Incident
from kefu.policy.documents import load_preset, policy_from_data, policy_to_data, set_path
from kefu.policy.schema import Policy

SHANGHAI = ZoneInfo("Asia/Shanghai")
_ids = itertools.count(1)


def local(day: dt.date, clock: str = "09:00") -> dt.datetime:
    hours, minutes = clock.split(":")
    return dt.datetime.combine(day, dt.time(int(hours), int(minutes)), tzinfo=SHANGHAI)


def fact(
    agent_id: str,
    key: str,
    day: dt.date,
    clock: str = "09:00",
    *,
    id: str | None = None,
    minutes: int | None = None,
    quantity: int = 1,
    business_date: dt.date | None = None,
) -> Fact:
    """A fact at a Shanghai clock time; `business_date` when the shift's date differs from the
    clock's (a night shift ending after midnight)."""
    return Fact(
        id=id or f"f{next(_ids)}",
        agent_id=agent_id,
        fact=key,
        at=local(day, clock),
        local_date=business_date or day,
        quantity=quantity,
        minutes=minutes,
        evidence="test",
    )


def incident(
    agent_id: str,
    item: str,
    day: dt.date,
    clock: str = "12:00",
    *,
    id: str | None = None,
    points: str | None = None,
    amount: str | None = None,
    fact_ids: tuple[str, ...] = (),
) -> Incident:
    return Incident(
        id=id or f"i{next(_ids)}",
        agent_id=agent_id,
        item=item,
        at=local(day, clock),
        local_date=day,
        points=Decimal(points) if points is not None else None,
        amount=Decimal(amount) if amount is not None else None,
        fact_ids=fact_ids,
        recorded_by="主管",
    )


def preset_with(name: str, changes: dict[str, Any]) -> Policy:
    """The preset with dotted paths set to new values (validated like any policy)."""
    data = policy_to_data(load_preset(name))
    for path, value in changes.items():
        data = set_path(data, path, value)
    return policy_from_data(data)


def d(day: int, month: int = 3, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


def amounts(entries: Any) -> list[Decimal]:
    return [entry.amount for entry in entries]
