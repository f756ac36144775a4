"""A payroll run as plain data: for `kefu payroll run --format json` and the API."""

from __future__ import annotations

from typing import Any

from kefu.payroll.models import PayrollRun


def run_report(run: PayrollRun, *, agent_id: int | None = None) -> dict[str, Any]:
    """A run with its payslips and lines; with `agent_id`, that agent's payslip only."""
    slips = run.payslips.select_related("agent").prefetch_related("lines")
    if agent_id is not None:
        slips = slips.filter(agent_id=agent_id)
    return {
        "run": run.pk,
        "shop": run.shop_id,
        "month": run.month,
        "status": run.status,
        "policy_version": run.policy_version_id,
        "corrects": run.corrects_id,
        "differences": run.differences if agent_id is None else [],
        "payslips": [
            {
                "payslip": slip.pk,
                "agent_id": slip.agent_id,
                "name": slip.agent.name,
                "level": slip.level,
                "total": str(slip.total),
                "lines": [
                    {
                        "code": line.code,
                        "label": line.label,
                        "amount": str(line.amount),
                        "clause": line.clause,
                        "rule": line.rule,
                        "explanation": line.explanation,
                        "fact_ids": line.fact_ids,
                    }
                    for line in slip.lines.all()
                ],
            }
            for slip in slips
        ],
    }
