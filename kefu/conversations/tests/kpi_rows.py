"""Rows-in helpers for the KPI engine tests: messages and orders written as short tuples in the
shop's local time (Asia/Shanghai), so each test reads as a small chat log."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import replace
from decimal import Decimal
from typing import Any

import polars as pl

from kefu.conversations.kpi import KpiSettings, compute_day_kpis
from kefu.conversations.kpi.engine import DayKpis
from kefu.conversations.kpi.inputs import DIRECTION, KIND, MONEY, REFUND_REASON

SHOP = 7
TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
S1 = KpiSettings(
    slow_round_seconds=120,
    unanswered_minutes=(30, 120),
    long_conversation_minutes=30,
    response_clause="S1 §2",
    attribution_mode="order",
    flag_owner_wins=True,
    chase_after_unpaid_hours=24,
    deductions=frozenset({"return_buyer_whim", "return_poor_service", "bad_review_by_agent"}),
)


def at(text: str) -> dt.datetime:
    """'05-01 10:00:05' (May 2026) or '2026-05-01 10:00:05', local time."""
    if len(text) <= 14:
        text = f"2026-{text}"
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(f"2026-{text}" if len(text) == 5 else text)


def messages(*rows: tuple[Any, ...]) -> pl.DataFrame:
    """(buyer, agent, direction b/a, kind h/auto/sys/tr/rc, time[, transfer_to])."""
    kinds = {"h": "human", "auto": "auto_reply", "sys": "system", "tr": "transfer", "rc": "recall"}
    return pl.DataFrame(
        {
            "shop_id": [SHOP] * len(rows),
            "buyer_id": [r[0] for r in rows],
            "agent_id": [r[1] for r in rows],
            "direction": ["buyer" if r[2] == "b" else "agent" for r in rows],
            "kind": [kinds[r[3]] for r in rows],
            "at": [at(r[4]) for r in rows],
            "transfer_to": [r[5] if len(r) > 5 else None for r in rows],
        },
        schema={
            "shop_id": pl.Int64,
            "buyer_id": pl.Int64,
            "agent_id": pl.Int64,
            "direction": DIRECTION,
            "kind": KIND,
            "at": pl.Datetime("us", "Asia/Shanghai"),
            "transfer_to": pl.Int64,
        },
    )


def orders(*rows: dict[str, Any]) -> pl.DataFrame:
    """Dicts with buyer, created, paid (or None), amount, items; optional flag, flag_agent,
    refund, refund_items, reason, bad_review, no."""
    return pl.DataFrame(
        {
            "shop_id": [SHOP] * len(rows),
            "order_no": [r.get("no", f"O{i + 1}") for i, r in enumerate(rows)],
            "buyer_id": [r["buyer"] for r in rows],
            "created_at": [at(r["created"]) for r in rows],
            "paid_at": [at(r["paid"]) if r.get("paid") else None for r in rows],
            "amount": [Decimal(r["amount"]) for r in rows],
            "items": [r.get("items", 1) for r in rows],
            "flag": [r.get("flag") for r in rows],
            "flag_agent_id": [r.get("flag_agent") for r in rows],
            "refund_amount": [Decimal(r.get("refund", "0")) for r in rows],
            "refund_items": [r.get("refund_items", 0) for r in rows],
            "refund_reason": [r.get("reason") for r in rows],
            "bad_review_by_agent": [r.get("bad_review", False) for r in rows],
        },
        schema={
            "shop_id": pl.Int64,
            "order_no": pl.String,
            "buyer_id": pl.Int64,
            "created_at": pl.Datetime("us", "Asia/Shanghai"),
            "paid_at": pl.Datetime("us", "Asia/Shanghai"),
            "amount": MONEY,
            "items": pl.Int64,
            "flag": pl.String,
            "flag_agent_id": pl.Int64,
            "refund_amount": MONEY,
            "refund_items": pl.Int64,
            "refund_reason": REFUND_REASON,
            "bad_review_by_agent": pl.Boolean,
        },
    )


NO_ORDERS = orders()


def kpis(
    msgs: pl.DataFrame,
    ords: pl.DataFrame | None = None,
    *,
    as_of: str = "06-30 00:00:00",
    settings: KpiSettings = S1,
    **changes: Any,
) -> DayKpis:
    return compute_day_kpis(
        msgs,
        NO_ORDERS if ords is None else ords,
        settings=replace(settings, **changes) if changes else settings,
        as_of=at(as_of),
    )


def rows(frame: pl.DataFrame, *columns: str) -> list[tuple[Any, ...]]:
    """The frame's rows restricted to `columns`, as tuples (exact comparison)."""
    return [tuple(row) for row in frame.select(columns).iter_rows()]


def one(frame: pl.DataFrame, **where: Any) -> dict[str, Any]:
    """The single row matching `where` (e.g. agent_id=1, date=day('05-01'))."""
    hit = frame.filter(*(pl.col(k) == v for k, v in where.items()))
    assert hit.height == 1, f"{hit.height} rows match {where}:\n{frame}"
    return hit.row(0, named=True)
