from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kefu.payroll.models import PayrollRun
from kefu.performance.models import MonthClose
from kefu.performance.tests.db import OCTOBER, record, team

pytestmark = pytest.mark.django_db


def _call(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_points_close_and_show_then_payroll_run_as_json():
    t = team()
    fact = record(t, t.agents[0], "handover_missing", 3)
    shop = str(t.shop.pk)
    text = _call("points", "close", "--shop", shop, "--month", OCTOBER)
    assert "小美  考评分" in text and "¥   30.00" in text
    shown = json.loads(
        _call("points", "show", "--shop", shop, "--month", OCTOBER, "--format", "json")
    )
    xiaomei = next(a for a in shown["agents"] if a["name"] == "小美")
    assert [(f["amount"], f["clause"], f["fact_ids"]) for f in xiaomei["fines"]] == [
        ("30.00", "S4.1 §1 交接", [fact.pk])
    ]
    report = json.loads(
        _call("payroll", "run", "--shop", shop, "--month", OCTOBER, "--format", "json")
    )
    assert (report["month"], report["status"]) == (OCTOBER, "draft")
    slip = next(s for s in report["payslips"] if s["name"] == "小美")
    assert ("fine", "-30.00", "S4.1 §1 交接") in [
        (line["code"], line["amount"], line["clause"]) for line in slip["lines"]
    ]
    assert PayrollRun.objects.count() == 1


def test_cli_errors_are_one_clear_line():
    t = team()
    shop = str(t.shop.pk)
    with pytest.raises(CommandError, match="2026年10月还没有结算积分与罚款：请先做月度结算"):
        _call("payroll", "run", "--shop", shop, "--month", OCTOBER)
    with pytest.raises(CommandError, match="月份格式应为 YYYY-MM"):
        _call("points", "show", "--shop", shop, "--month", "October")
    with pytest.raises(CommandError, match="no shop with id 999"):
        _call("points", "show", "--shop", "999", "--month", OCTOBER)
    assert MonthClose.objects.count() == 0
