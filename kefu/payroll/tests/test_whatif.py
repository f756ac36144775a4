"""What if, in money: October closed under S1 (flat 0.5 % commission on personal sales),
paid under S4.5 (tiered department commission split by score, guaranteed minimum) instead."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kefu.conversations.models import AgentDayKpi, ShopDayKpi
from kefu.core.errors import InvalidInput
from kefu.payroll.models import PayrollRun
from kefu.payroll.whatif import payroll_whatif
from kefu.performance.closing import month_close
from kefu.performance.tests.db import OCTOBER, team
from kefu.policy.selectors import policy_in_force

pytestmark = pytest.mark.django_db


def _s1_october():  # type: ignore[no-untyped-def]
    t = team("taobao-s1", names=("小美", "小丽"))
    day = dt.date(2026, 10, 10)
    version = policy_in_force(shop=t.shop, on=day).version
    for agent, sales in zip(t.agents, ("20000.00", "10000.00"), strict=True):
        AgentDayKpi.objects.create(
            shop=t.shop,
            agent=agent,
            local_date=day,
            policy_version=version,
            sales=Decimal(sales),
            orders=1,
            computed_at=timezone.now(),
        )
    ShopDayKpi.objects.create(
        shop=t.shop,
        local_date=day,
        policy_version=version,
        sales=Decimal("30000.00"),
        orders=2,
        computed_at=timezone.now(),
    )
    t.agents[1].level = "senior"
    t.agents[1].save()
    month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    return t


def test_s1_month_under_s45_in_money_per_agent_and_line():
    # Now (S1 §3), both with a full ten-point month and no attendance facts:
    #   小美 (junior): base 1500 + 20000 × 0.5 % = 100 + team score 10 % × 1500 × 10/10 = 150
    #        + full attendance 100 + living 200 = 2050.
    #   小丽 (senior): 2200 + 10000 × 0.5 % = 50 + 220 + 100 + 200 = 2770.
    # Then (S4.5): both score 100 + 5 (加分5, no valid complaint) = 105. The department's
    # 30000 is inside the first tier: pool 30000 × 1 % = 300, split 105 : 105 = 150 each.
    # No base in S4.5: the guaranteed minimum tops the 150 up, 小美 (junior, 首保底) to 2000,
    # 小丽 (senior, 第三保底) to 2500. No allowances.
    #   小美 2050 → 2000 (-50); 小丽 2770 → 2500 (-270); together -320.
    t = _s1_october()
    result = payroll_whatif(shop=t.shop, month=OCTOBER, preset="taobao-s4-points")
    rows = {r.agent.name: r for r in result.rows}
    assert {n: (r.total_now, r.total_then, r.change) for n, r in rows.items()} == {
        "小美": (Decimal("2050.00"), Decimal("2000.00"), Decimal("-50.00")),
        "小丽": (Decimal("2770.00"), Decimal("2500.00"), Decimal("-270.00")),
    }
    assert result.total_change == Decimal("-320.00")
    xiaomei = {line.label: (line.now, line.then) for line in rows["小美"].changed_lines}
    assert xiaomei == {
        "底薪": (Decimal("1500.00"), Decimal(0)),
        "提成": (Decimal("100.00"), Decimal(0)),
        "团队评分奖金": (Decimal("150.00"), Decimal(0)),
        "满勤奖": (Decimal("100.00"), Decimal(0)),
        "生活补助": (Decimal("200.00"), Decimal(0)),
        "部门提成奖金": (Decimal(0), Decimal("150.00")),
        "保底补足": (Decimal(0), Decimal("1850.00")),
    }
    assert rows["小美"].level_note == ""
    assert PayrollRun.objects.count() == 0  # nothing written


def test_a_level_not_in_the_other_ladder_is_matched_by_rank():
    # S1's 客户经理 (account_manager, 4th) is S4.5's 资深客服 (veteran, 4th): 第三保底 2500.
    t = _s1_october()
    t.agents[0].level = "account_manager"
    t.agents[0].save()
    rows = {r.agent.name: r for r in payroll_whatif(shop=t.shop, month=OCTOBER,
                                                     preset="taobao-s4-points").rows}  # fmt: skip
    assert rows["小美"].level_note == "级别按同一档位对应：account_manager → veteran"
    assert rows["小美"].total_then == Decimal("2500.00")


def test_refusals_name_the_problem():
    t = team("taobao-s1")
    with pytest.raises(InvalidInput, match="请先做月度结算"):
        payroll_whatif(shop=t.shop, month=OCTOBER, preset="taobao-s4-points")
    with pytest.raises(InvalidInput, match="没有名为 'nope' 的制度模板"):
        payroll_whatif(shop=t.shop, month=OCTOBER, preset="nope")


def test_the_page_shows_the_change_in_money():
    t = _s1_october()
    client = Client()
    client.force_login(t.supervisor)
    url = reverse("payroll:whatif", kwargs={"shop_id": t.shop.pk})
    page = client.get(f"{url}?month={OCTOBER}&preset=taobao-s4-points").content.decode()
    assert 'data-testid="pay-whatif-table"' in page
    assert "保底补足" in page and "S4.5 二(二) 核算月保底" in page


def test_the_api_and_the_cli_give_the_same_comparison():
    import json
    from io import StringIO

    from django.core.management import call_command

    from kefu.api.services import token_issue

    t = _s1_october()
    api = Client(headers={"authorization": f"Bearer {token_issue(user=t.supervisor)}"})
    url = f"/api/shops/{t.shop.pk}/payroll/whatif?month={OCTOBER}&preset=taobao-s4-points"
    answer = api.get(url)
    assert answer.status_code == 200
    body = answer.json()
    assert (body["total_change"], body["policy_then"]) == (
        "-320.00",
        "淘宝客服管理制度+奖金（积分制）",
    )
    assert [(a["name"], a["total_now"], a["total_then"], a["change"]) for a in body["agents"]] == [
        ("小丽", "2770.00", "2500.00", "-270.00"),
        ("小美", "2050.00", "2000.00", "-50.00"),
    ]
    out = StringIO()
    call_command(
        "payroll", "whatif", "--shop", str(t.shop.pk), "--month", OCTOBER,
        "--preset", "taobao-s4-points", "--format", "json", stdout=out,
    )  # fmt: skip
    assert json.loads(out.getvalue()) == body
    refused = api.get(f"/api/shops/{t.shop.pk}/payroll/whatif?month={OCTOBER}&preset=nope")
    assert refused.status_code == 422
    assert refused.json()["error"]["message"].startswith("没有名为 'nope' 的制度模板；可选：")
    # No preset named: the presets that can be, and no comparison.
    choices = api.get(f"/api/shops/{t.shop.pk}/payroll/whatif?month={OCTOBER}").json()
    assert choices["month"] == OCTOBER
    assert "taobao-s4-points" in choices["presets"] and "agents" not in choices
