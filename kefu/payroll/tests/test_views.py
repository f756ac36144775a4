from __future__ import annotations

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kefu.core.choices import Role
from kefu.core.tests.factories import MembershipFactory
from kefu.payroll.models import FundEntry, PayrollRun
from kefu.performance.closing import month_close
from kefu.performance.tests.db import OCTOBER, record, team

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def closed():
    t = team()
    xiaomei = t.agents[0]
    xiaomei.user = MembershipFactory(shop=t.shop, role=Role.AGENT).user
    xiaomei.save()
    record(t, xiaomei, "handover_missing", 3)
    month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    return t


def _url(t, name: str, **kwargs) -> str:
    return reverse(f"payroll:{name}", kwargs={"shop_id": t.shop.pk, **kwargs})


def test_supervisor_runs_and_locks_finance_exports(closed):
    t = closed
    client = _client(t.supervisor)
    response = client.post(_url(t, "run_create"), {"month": OCTOBER})
    run = PayrollRun.objects.get()
    assert response.url == _url(t, "run", run_id=run.pk)
    page = client.get(response.url).content.decode()
    assert "小美" in page and "小丽" in page and "-¥30.00" in page
    assert client.get(_url(t, "run_export", run_id=run.pk)).status_code == 403
    client.post(_url(t, "run_lock", run_id=run.pk))
    run.refresh_from_db()
    assert run.status == "locked"
    again = client.post(_url(t, "run_create"), {"month": OCTOBER}, follow=True)
    assert "2026年10月的工资已锁定；如需更改，请做更正核算" in again.content.decode()
    assert PayrollRun.objects.count() == 1
    finance = MembershipFactory(shop=t.shop, role=Role.FINANCE).user
    export = _client(finance).get(_url(t, "run_export", run_id=run.pk))
    assert export.status_code == 200
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["小丽", "小美"]


def test_agent_sees_only_their_own_payslip(closed):
    t = closed
    xiaomei, xiaoli = t.agents
    supervisor = _client(t.supervisor)
    supervisor.post(_url(t, "run_create"), {"month": OCTOBER})
    run = PayrollRun.objects.get()
    own = run.payslips.get(agent=xiaomei)
    other = run.payslips.get(agent=xiaoli)
    agent = _client(xiaomei.user)
    # A draft may still change: the agent sees the payslip once the run is locked.
    assert agent.get(_url(t, "payslip", payslip_id=own.pk)).status_code == 404
    assert _url(t, "payslip", payslip_id=own.pk) not in agent.get(_url(t, "index")).content.decode()
    supervisor.post(_url(t, "run_lock", run_id=run.pk))
    page = agent.get(_url(t, "payslip", payslip_id=own.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert "S4.1 §1 交接" in html and "-¥30.00" in html
    assert agent.get(_url(t, "payslip", payslip_id=other.pk)).status_code == 404
    assert agent.get(_url(t, "run", run_id=run.pk)).status_code == 403
    index = agent.get(_url(t, "index")).content.decode()
    assert _url(t, "payslip", payslip_id=own.pk) in index
    assert _url(t, "payslip", payslip_id=other.pk) not in index


def test_the_fund_is_open_to_the_team_and_spent_by_the_supervisor(closed):
    t = closed
    client = _client(t.supervisor)
    client.post(_url(t, "run_create"), {"month": OCTOBER})
    client.post(_url(t, "run_lock", run_id=PayrollRun.objects.get().pk))
    client.post(
        _url(t, "fund_spend"), {"amount": "12.50", "purpose": "团建水果", "on": "2026-11-05"}
    )
    agent = _client(t.agents[0].user)
    html = agent.get(_url(t, "fund")).content.decode()
    assert "团建水果" in html and "¥17.50" in html
    refused = agent.post(_url(t, "fund_spend"), {"amount": "1", "purpose": "x", "on": "2026-11-05"})
    assert refused.status_code == 403
    too_much = client.post(
        _url(t, "fund_spend"), {"amount": "100", "purpose": "聚餐", "on": "2026-11-05"}, follow=True
    )
    assert "基金余额 ¥17.50 不足以支出 ¥100.00" in too_much.content.decode()
    assert FundEntry.objects.count() == 2
