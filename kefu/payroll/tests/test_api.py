"""The points and payroll API: the same ledgers and payslips as the CLI's JSON, with the web's
access rules (an agent reads only their own; running payroll is for supervisors)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from kefu.api.services import token_issue
from kefu.core.choices import Role
from kefu.core.tests.factories import MembershipFactory
from kefu.payroll.models import PayrollRun
from kefu.payroll.services import payroll_lock
from kefu.performance.closing import month_close
from kefu.performance.tests.db import OCTOBER, Team, record, team

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    return Client(headers={"authorization": f"Bearer {token_issue(user=user)}"})


def _closed() -> Team:
    t = team()
    record(t, t.agents[0], "handover_missing", 3)
    month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    return t


def test_supervisor_runs_payroll_and_reads_points_and_payslips() -> None:
    t = _closed()
    api = _client(t.supervisor)
    base = f"/api/shops/{t.shop.pk}"
    ran = api.post(f"{base}/payroll?month={OCTOBER}")
    assert ran.status_code == 200
    body = ran.json()
    assert (body["month"], body["status"]) == (OCTOBER, "draft")
    slips = {s["name"]: s for s in body["payslips"]}
    fine = next(ln for ln in slips["小美"]["lines"] if ln["code"] == "fine")
    assert (fine["amount"], fine["clause"]) == ("-30.00", "S4.1 §1 交接")
    assert Decimal(slips["小丽"]["total"]) - Decimal(slips["小美"]["total"]) == Decimal("30.00")
    read = api.get(f"{base}/payroll?month={OCTOBER}").json()
    assert read == body
    points = api.get(f"{base}/points?month={OCTOBER}").json()
    assert points["closed"] is True
    xiaomei = next(a for a in points["agents"] if a["name"] == "小美")
    assert [(f["amount"], f["clause"]) for f in xiaomei["fines"]] == [("30.00", "S4.1 §1 交接")]
    assert xiaomei["awards"] == []


def test_an_agent_reads_only_their_own_and_cannot_run() -> None:
    t = _closed()
    xiaomei = t.agents[0]
    membership = MembershipFactory(shop=t.shop, role=Role.AGENT)
    xiaomei.user = membership.user
    xiaomei.save(update_fields=["user"])
    _client(t.supervisor).post(f"/api/shops/{t.shop.pk}/payroll?month={OCTOBER}")
    api = _client(membership.user)
    base = f"/api/shops/{t.shop.pk}"
    slips = api.get(f"{base}/payroll?month={OCTOBER}").json()["payslips"]
    assert [s["name"] for s in slips] == ["小美"]
    agents = api.get(f"{base}/points?month={OCTOBER}").json()["agents"]
    assert [a["name"] for a in agents] == ["小美"]
    refused = api.post(f"{base}/payroll?month={OCTOBER}")
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "forbidden")


def test_refusals_are_422_with_the_reason_and_change_nothing() -> None:
    t = _closed()
    api = _client(t.supervisor)
    base = f"/api/shops/{t.shop.pk}"
    bad = api.post(f"{base}/payroll?month=2026-13")
    assert bad.status_code == 422
    assert bad.json()["error"]["message"] == "月份格式应为 YYYY-MM，例如 2026-10；收到 '2026-13'"
    run = PayrollRun.objects.get(pk=api.post(f"{base}/payroll?month={OCTOBER}").json()["run"])
    payroll_lock(shop=t.shop, run=run, acting_user=t.supervisor)
    again = api.post(f"{base}/payroll?month={OCTOBER}")
    assert (again.status_code, again.json()["error"]["message"]) == (
        422,
        "2026年10月的工资已锁定；如需更改，请做更正核算（会列出差异）",
    )
    assert PayrollRun.objects.count() == 1
    fixed = api.post(f"{base}/payroll?month={OCTOBER}&correction=true").json()
    assert (fixed["corrects"], fixed["differences"]) == (run.pk, [])
    not_closed = api.get(f"{base}/points?month=2026-09").json()
    assert not_closed == {"shop": t.shop.pk, "month": "2026-09", "closed": False, "agents": []}
    assert api.get(f"{base}/payroll?month=2026-09").json()["run"] is None
