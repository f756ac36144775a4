"""The month's ledgers as plain data: for `kefu points show --format json` and the API."""

from __future__ import annotations

from typing import Any

from kefu.core.errors import KefuError
from kefu.core.models import Shop
from kefu.performance import selectors
from kefu.performance.engine import Month
from kefu.staff.models import Agent


def month_report(shop: Shop, month: Month, *, agent_id: int | None = None) -> dict[str, Any]:
    """The latest close of the month with every ledger entry (reversals included); with
    `agent_id`, that agent's only (an agent reading their own)."""
    close = selectors.latest_close(shop=shop, month=month)
    if close is None:
        raise KefuError(
            f"{month.label}还没有结算：kefu points close --shop {shop.pk} --month {month}"
        )
    points = selectors.ledger_points(shop=shop, month=month).order_by("id")
    fines = selectors.ledger_fines(shop=shop, month=month).order_by("id")
    awards = selectors.ledger_awards(shop=shop, month=month).order_by("id")
    own = agent_id
    names = dict(
        Agent.objects.filter(pk__in=[int(a) for a in close.summary]).values_list("pk", "name")
    )

    def entry(e: Any, value: str) -> dict[str, Any]:
        return {
            "id": e.pk,
            value: str(getattr(e, value)),
            "clause": e.clause,
            "rule": e.rule,
            "explanation": e.explanation,
            "fact_ids": e.fact_ids,
            "incident_ids": e.incident_ids,
            "reverses": e.reverses_id,
        }

    return {
        "shop": shop.pk,
        "month": str(month),
        "close": close.pk,
        "kind": close.kind,
        "policy_version": close.policy_version_id,
        "sales_modes": (close.sales or {}).get("modes", []),
        "agents": [
            {
                "agent_id": int(agent_id),
                "name": names.get(int(agent_id), ""),
                "score": row["score"],
                "failed": row["failed"],
                "points": [entry(e, "points") for e in points if e.agent_id == int(agent_id)],
                "fines": [entry(e, "amount") for e in fines if e.agent_id == int(agent_id)],
                "awards": [entry(e, "amount") for e in awards if e.agent_id == int(agent_id)],
            }
            for agent_id, row in close.summary.items()
            if own is None or int(agent_id) == own
        ],
        "differences": close.differences if own is None else [],
    }
