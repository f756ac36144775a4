"""Payroll pages: the runs (supervisor, finance), a run's payslips with lock and xlsx export,
one payslip (an agent sees only their own), and the fines fund (visible to the whole team)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kefu.core.access import Capability, can, shop_object_or_404
from kefu.core.errors import KefuError
from kefu.payroll import services
from kefu.payroll.choices import RunStatus
from kefu.payroll.export import payroll_xlsx
from kefu.payroll.models import FundEntry, PayrollRun, Payslip
from kefu.payroll.whatif import payroll_whatif
from kefu.performance.engine import Month
from kefu.performance.month_run import parse_month
from kefu.web.actions import whatif_render
from kefu.web.shop_views import ShopRequest, shop_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user(request: ShopRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _index_url(request: ShopRequest) -> str:
    return reverse("payroll:index", kwargs={"shop_id": request.shop.pk})


def _run_url(request: ShopRequest, run: PayrollRun) -> str:
    return reverse("payroll:run", kwargs={"shop_id": request.shop.pk, "run_id": run.pk})


@shop_view(Capability.VIEW_DASHBOARD)
def index(request: ShopRequest) -> HttpResponse:
    """Everyone's runs for those who may see pay; for an agent, their own payslips."""
    shop = request.shop
    if can(role=request.role, capability=Capability.VIEW_PAY):
        context: dict[str, object] = {
            "runs": PayrollRun.objects.filter(shop=shop).select_related(
                "created_by", "locked_by", "policy_version"
            ),
            "default_month": Month.of(timezone.localdate()).previous(),
        }
    else:
        context = {
            # A draft may still change: an agent sees a payslip once the run is locked.
            "own": Payslip.objects.filter(
                shop=shop, agent__user_id=request.user.pk or 0, run__status=RunStatus.LOCKED
            ).select_related("run")
        }
    context["can_manage"] = can(role=request.role, capability=Capability.MANAGE_TEAM)
    return render(request, "payroll/index.html", context)


@shop_view(Capability.MANAGE_TEAM)  # outermost, so another shop's URL is 404 before 405
@require_POST
def run_create(request: ShopRequest) -> HttpResponse:
    try:
        run = services.payroll_run(
            shop=request.shop,
            month=parse_month(request.POST.get("month", "")),
            acting_user=_user(request),
            correction=request.POST.get("correction") == "1",
        )
    except KefuError as exc:
        messages.error(request, exc.message)
        return redirect(_index_url(request))
    return redirect(_run_url(request, run))


@shop_view(Capability.VIEW_PAY)
def run_detail(request: ShopRequest, run_id: int) -> HttpResponse:
    run = shop_object_or_404(
        PayrollRun.objects.select_related("policy_version", "corrects", "locked_by"),
        shop=request.shop,
        pk=run_id,
    )
    slips = run.payslips.select_related("agent").prefetch_related("lines")
    columns: dict[str, str] = {}
    for slip in slips:
        for line in slip.lines.all():
            columns.setdefault(line.code, line.label)
    rows = []
    for slip in slips:
        sums: dict[str, Decimal] = {}
        for line in slip.lines.all():
            sums[line.code] = sums.get(line.code, Decimal(0)) + line.amount
        rows.append({"slip": slip, "cells": [sums.get(code) for code in columns]})
    latest = PayrollRun.objects.filter(shop=request.shop, month=run.month).order_by("-id").first()
    return render(
        request,
        "payroll/run.html",
        {
            "run": run,
            "month": parse_month(run.month),
            "columns": list(columns.values()),
            "rows": rows,
            "total": sum((slip.total for slip in slips), Decimal(0)),
            "is_latest": latest is not None and latest.pk == run.pk,
            "can_manage": can(role=request.role, capability=Capability.MANAGE_TEAM),
            "can_export": can(role=request.role, capability=Capability.SIGN_PAYMENTS),
        },
    )


@shop_view(Capability.MANAGE_TEAM)
def run_lock(request: ShopRequest, run_id: int) -> HttpResponse:
    # The run is looked up before the method is checked: another shop's run is a 404 even
    # for a GET, never a 405 that would tell it exists.
    run = shop_object_or_404(PayrollRun.objects.all(), shop=request.shop, pk=run_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.payroll_lock(shop=request.shop, run=run, acting_user=_user(request))
    except KefuError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{run.month} 工资已锁定")
    return redirect(_run_url(request, run))


@shop_view(Capability.SIGN_PAYMENTS)
def run_export(request: ShopRequest, run_id: int) -> HttpResponse:
    run = shop_object_or_404(PayrollRun.objects.all(), shop=request.shop, pk=run_id)
    response = HttpResponse(payroll_xlsx(run=run), content_type=XLSX)
    filename = f"payroll-{request.shop.pk}-{run.month}-{run.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@shop_view(Capability.VIEW_DASHBOARD)
def payslip_detail(request: ShopRequest, payslip_id: int) -> HttpResponse:
    slip = shop_object_or_404(
        Payslip.objects.select_related("agent", "run", "run__policy_version"),
        shop=request.shop,
        pk=payslip_id,
    )
    # Someone else's payslip is a 404 for an agent: its existence is not disclosed.
    if not can(role=request.role, capability=Capability.VIEW_PAY) and (
        slip.agent.user_id is None or slip.agent.user_id != request.user.pk or not slip.run.locked
    ):
        raise Http404("No such payslip")
    return render(
        request,
        "payroll/payslip.html",
        {"slip": slip, "month": parse_month(slip.run.month), "lines": slip.lines.all()},
    )


@shop_view(Capability.VIEW_DASHBOARD)
def fund(request: ShopRequest) -> HttpResponse:
    return render(
        request,
        "payroll/fund.html",
        {
            "entries": FundEntry.objects.filter(shop=request.shop).select_related("recorded_by"),
            "balance": services.fund_balance(shop=request.shop),
            "today": timezone.localdate().isoformat(),
            "can_manage": can(role=request.role, capability=Capability.MANAGE_TEAM),
        },
    )


@shop_view(Capability.MANAGE_TEAM)
@require_POST
def fund_spend(request: ShopRequest) -> HttpResponse:
    try:
        try:
            amount = Decimal(request.POST.get("amount", "").strip())
            on = dt.date.fromisoformat(request.POST.get("on", ""))
        except (InvalidOperation, ValueError) as exc:
            raise KefuError("请填写金额和日期") from exc
        services.fund_spend(
            shop=request.shop,
            amount=amount,
            purpose=request.POST.get("purpose", ""),
            on=on,
            acting_user=_user(request),
        )
    except KefuError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已记录支出")
    return redirect(reverse("payroll:fund", kwargs={"shop_id": request.shop.pk}))


@shop_view(Capability.VIEW_PAY)
def whatif(request: ShopRequest) -> HttpResponse:
    """A closed month's pay under another preset, beside the pay in force; writes nothing."""
    month = Month.of(timezone.localdate()).previous()
    if request.GET.get("month"):
        try:
            month = parse_month(request.GET["month"])
        except KefuError as exc:
            messages.error(request, exc.message)
    return whatif_render(
        request,
        "payroll/whatif.html",
        month,
        lambda preset: payroll_whatif(shop=request.shop, month=month, preset=preset),
    )
