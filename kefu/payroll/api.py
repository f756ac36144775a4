"""`GET /api/shops/{shop_id}/payroll?month=2026-10` (the month's latest run with its payslips;
an agent reads only their own payslip) and `POST /api/shops/{shop_id}/payroll?month=2026-10
[&correction=true]` (supervisors: run the month as a draft, or correct a locked run);
`GET /api/shops/{shop_id}/payroll/whatif?month=2026-10&preset=taobao-s4-points` (the closed
month's pay under a preset beside the pay in force, writing nothing). Mounted
with `api.add_router("/shops", payroll_router)` in kefu/api/api.py."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Router

from kefu.api.access import api_shop
from kefu.core.access import Capability, can
from kefu.payroll.models import PayrollRun
from kefu.payroll.reports import run_report
from kefu.payroll.services import payroll_run
from kefu.payroll.whatif import payroll_whatif, whatif_report
from kefu.performance.api import month_or_last, own_agent_id
from kefu.policy.documents import preset_names

router = Router(tags=["payroll"])


@router.get("/{shop_id}/payroll", response={200: dict[str, Any]})
def payroll_month(request: HttpRequest, shop_id: int, month: str = "") -> dict[str, Any]:
    """The month's latest run (default: last month). None yet: `run` is null."""
    shop, role = api_shop(request, shop_id, Capability.VIEW_DASHBOARD)
    wanted = month_or_last(shop, month)
    run = PayrollRun.objects.filter(shop=shop, month=str(wanted)).order_by("-id").first()
    if run is None:
        return {"shop": shop.pk, "month": str(wanted), "run": None, "payslips": []}
    own = None if can(role=role, capability=Capability.VIEW_PAY) else own_agent_id(request, shop)
    return run_report(run, agent_id=own)


@router.post("/{shop_id}/payroll", response={200: dict[str, Any]})
def payroll_post(
    request: HttpRequest, shop_id: int, month: str = "", correction: bool = False
) -> dict[str, Any]:
    """Run the month's payroll (default: last month) as a draft, recomputing a draft in
    place; `correction=true` corrects a locked run. Refusals answer 422 with the reason."""
    shop, _ = api_shop(request, shop_id, Capability.MANAGE_TEAM)
    user = request.user if isinstance(request.user, User) else None
    run = payroll_run(
        shop=shop, month=month_or_last(shop, month), acting_user=user, correction=correction
    )
    return run_report(run)


@router.get("/{shop_id}/payroll/whatif", response={200: dict[str, Any]})
def payroll_whatif_get(
    request: HttpRequest, shop_id: int, preset: str = "", month: str = ""
) -> dict[str, Any]:
    """The month's pay (default: last month) under `preset`, per agent and line, beside the pay
    under the policy in force; writes nothing. For those who see pay. Without `preset`, the
    presets that can be named (and no comparison)."""
    shop, _ = api_shop(request, shop_id, Capability.VIEW_PAY)
    if not preset:
        return {
            "shop": shop.pk,
            "month": str(month_or_last(shop, month)),
            "presets": preset_names(),
        }
    result = payroll_whatif(shop=shop, month=month_or_last(shop, month), preset=preset)
    return whatif_report(result)
