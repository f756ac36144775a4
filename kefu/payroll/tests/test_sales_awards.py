"""Commission from the attributed sales of the KPI snapshots, and awards stored by the close
and paid on the payslip with their clause."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kefu.conversations.models import AgentDayKpi
from kefu.payroll.models import PayslipLine
from kefu.payroll.services import payroll_run
from kefu.performance.closing import month_close
from kefu.performance.engine import Month
from kefu.performance.evaluation import part_scores_set
from kefu.performance.models import AwardEntry, MonthClose
from kefu.performance.tests.db import OCTOBER, Team, team
from kefu.policy.selectors import policy_in_force
from kefu.staff.models import Agent

pytestmark = pytest.mark.django_db


def snapshot(t: Team, agent: Agent | None, day: dt.date, sales: str, orders: int, **kw) -> None:  # type: ignore[no-untyped-def]
    version = policy_in_force(shop=t.shop, on=day).version
    AgentDayKpi.objects.create(
        shop=t.shop,
        agent=agent,
        local_date=day,
        policy_version=version,
        sales=Decimal(sales),
        orders=orders,
        computed_at=timezone.now(),
        **kw,
    )


def test_commission_is_the_attributed_sales_of_the_month_with_mode_and_figures() -> None:
    t = team("taobao-s1")
    xiaomei, xiaoli = t.agents
    snapshot(t, xiaomei, dt.date(2026, 10, 3), "12000.00", 5)
    snapshot(t, xiaomei, dt.date(2026, 10, 31), "8000.50", 3, sales_pending=True)
    snapshot(t, xiaoli, dt.date(2026, 10, 5), "3000.00", 2)
    snapshot(t, xiaoli, dt.date(2026, 9, 30), "99999.00", 9)  # September: not October's
    snapshot(t, None, dt.date(2026, 10, 5), "500.00", 1)  # no bound agent: nobody's
    month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    run = payroll_run(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    lines = {
        ln.payslip.agent.name: ln
        for ln in PayslipLine.objects.filter(payslip__run=run, code="commission")
    }
    # S1 §3: 0.5 % of personal sales; 20000.50 x 0.005 = 100.0025, half up to 100.00.
    assert lines["小美"].amount == Decimal("100.00")
    assert lines["小美"].explanation == (
        "个人销售额¥20000.5×0.5%=¥100.0025（2026年10月归属销售¥20000.5，8单，"
        "归属方式：下单判定（下单前最后接待的客服）（S1 §3.1-§3.5（时间窗口：KPI.md））；"
        "其中1天的订单仍可能付款，按当前数计）（S1 §3 提成：个人销售业绩的百分之零点五）"
    )
    assert lines["小美"].fact_ids == [f"sales:2026-10:agent{xiaomei.pk}:8单:20000.50"]
    assert lines["小丽"].amount == Decimal("15.00")  # 3000 x 0.5 %


def test_top_sellers_by_team_size_are_stored_by_the_close_and_paid() -> None:
    # S0: a team of 5 pays the top two sellers 100 and 50; 小丽 and 小芳 tie for second,
    # so the places 2 and 3 (50 + 0) are shared: 25 each.
    t = team("tmall-s0", names=("小美", "小丽", "小芳", "小红", "小兰"))
    sales = {"小美": "5000.00", "小丽": "3000.00", "小芳": "3000.00", "小红": "1000.00"}
    for agent in t.agents:
        if agent.name in sales:
            snapshot(t, agent, dt.date(2026, 10, 10), sales[agent.name], 1)
    close = month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    awards = {
        a.agent.name: (a.amount, a.place, a.metric)
        for a in AwardEntry.objects.filter(close=close).select_related("agent")
    }
    assert awards == {
        "小美": (Decimal("100.00"), 1, "sales"),
        "小丽": (Decimal("25.00"), 2, "sales"),
        "小芳": (Decimal("25.00"), 2, "sales"),
    }
    assert close.firsts["sales"] == [str(t.agents[0].pk)]
    run = payroll_run(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    paid = {
        ln.payslip.agent.name: (ln.amount, ln.clause, ln.explanation)
        for ln in PayslipLine.objects.filter(payslip__run=run, code="award")
    }
    clause = "S0 §2.1(1) 每月销量第一：4人内100；5到6人前2名100、50；超过7人前3名200、100、50"
    assert paid["小美"] == (
        Decimal("100.00"),
        clause,
        f"团队5人，本月销售额最高第1名（¥5000）：奖励¥100（{clause}）",
    )
    assert paid["小丽"][0] == Decimal("25.00")
    assert "2人并列，名次奖金¥50平分" in paid["小丽"][2]
    assert set(paid) == {"小美", "小丽", "小芳"}


def test_a_correction_close_reverses_an_award_the_new_figures_no_longer_give() -> None:
    t = team("tmall-s0", names=("小美", "小丽"))
    xiaomei, xiaoli = t.agents
    snapshot(t, xiaomei, dt.date(2026, 10, 10), "5000.00", 1)
    first = month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    # The snapshots are recomputed: 小丽's late-paid orders make her the top seller.
    snapshot(t, xiaoli, dt.date(2026, 10, 11), "6000.00", 2)
    second = month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor, correction=True)
    rows = list(
        AwardEntry.objects.filter(month=OCTOBER)
        .order_by("id")
        .values_list("close_id", "agent__name", "amount", "reverses_id")
    )
    original = AwardEntry.objects.get(close=first)
    assert rows == [
        (first.pk, "小美", Decimal("100.00"), None),
        (second.pk, "小丽", Decimal("100.00"), None),
        (second.pk, "小美", Decimal("-100.00"), original.pk),
    ]
    kinds = [(d["kind"], d["change"], d["agent"]) for d in second.differences]
    assert ("奖励", "+", "小丽") in kinds and ("奖励", "-", "小美") in kinds


def test_first_place_three_months_running_is_paid_in_the_third() -> None:
    # S4.5: first place in the evaluation three months running, +100 in the third month.
    # 小丽's team task is scored 25 of 30 each month, so 小美 (full marks) is first alone.
    t = team("taobao-s4-points")
    xiaomei, xiaoli = t.agents
    for month in ("2026-08", "2026-09", "2026-10"):
        part_scores_set(
            shop=t.shop,
            agent=xiaoli,
            month=Month.parse(month),
            scores={"team_task": Decimal("25")},
            acting_user=t.supervisor,
        )
        close = month_close(shop=t.shop, month=month, acting_user=t.supervisor)
        # 25 + 20 + 30 + 20 + 5 (S4.5 加分5: no valid complaint this month) = 100.
        assert close.summary[str(xiaoli.pk)]["score"] == "100.00"
        assert close.summary[str(xiaomei.pk)]["score"] == "105"
        assert close.firsts == {"evaluation_score": [str(xiaomei.pk)]}
    assert list(AwardEntry.objects.values_list("month", "agent__name", "amount")) == [
        ("2026-10", "小美", Decimal("100.00"))
    ]
    assert MonthClose.objects.count() == 3


def test_the_month_page_lists_the_awards() -> None:
    from django.test import Client
    from django.urls import reverse

    t = team("tmall-s0", names=("小美", "小丽"))
    snapshot(t, t.agents[0], dt.date(2026, 10, 10), "5000.00", 1)
    month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    client = Client()
    client.force_login(t.supervisor)
    url = reverse("performance:month", kwargs={"shop_id": t.shop.pk})
    page = client.get(f"{url}?month={OCTOBER}").content.decode()
    assert 'data-testid="ledger-award"' in page
    assert "团队2人，本月销售额最高第1名（¥5000）：奖励¥100" in page


def test_the_score_measures_are_exact() -> None:
    from kefu.performance.awards import overall_score, service_language_score

    assert service_language_score(confirmed_hits=3, answered_rounds=200) == Decimal("0.985")
    assert service_language_score(confirmed_hits=5, answered_rounds=4) == Decimal(0)
    assert service_language_score(confirmed_hits=0, answered_rounds=0) is None
    parts = {"conversion": Decimal("0.5"), "payment_rate": Decimal("0.8")}
    full = {**parts, "fast_rate": Decimal("0.9"), "service_language": Decimal("0.985")}
    assert overall_score(**full) == Decimal("0.79625")  # (0.5 + 0.8 + 0.9 + 0.985) / 4
    assert overall_score(**{**full, "fast_rate": None}) is None


def test_best_service_language_s0_from_confirmed_hits_per_answered_round() -> None:
    # S0 §2.1(2): 100 to the best service language. 小美 answered 200 rounds with 1 confirmed
    # violation (0.995), 小丽 100 rounds with none (1), 小芳 no rounds (not ranked).
    from kefu.performance.tests.db import record

    t = team("tmall-s0", names=("小美", "小丽", "小芳"))
    xiaomei, xiaoli, _ = t.agents
    snapshot(t, xiaomei, dt.date(2026, 10, 10), "0.00", 0, answered_rounds=200)
    snapshot(t, xiaoli, dt.date(2026, 10, 10), "0.00", 0, answered_rounds=100)
    record(t, xiaomei, "quality_hit_confirmed", 12, ref="hit-1")
    close = month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    awards = {
        (a.agent.name, a.metric): (a.amount, a.place)
        for a in AwardEntry.objects.filter(close=close).select_related("agent")
    }
    assert awards == {("小丽", "service_language"): (Decimal("100.00"), 1)}


def test_top_overall_score_s43_is_the_mean_of_four_rates() -> None:
    # S4.3 §6(3): conversion, payment rate, response speed and tone. 小美: 6/10 inquiries
    # paid, 6/8 ordered paid, 45/50 fast, no hits: (0.6 + 0.75 + 0.9 + 1) / 4 = 0.8125.
    # 小丽: 8/10, 8/8, 20/50, no hits: (0.8 + 1 + 0.4 + 1) / 4 = 0.8. 小美 wins on overall.
    t = team("taobao-s4-standard", names=("小美", "小丽"))
    xiaomei, xiaoli = t.agents
    day = dt.date(2026, 10, 10)
    snapshot(t, xiaomei, day, "600.00", 6, inquiries=10, ordered_final=8, paid_final=6,
             answered_rounds=50, fast_rounds=45)  # fmt: skip
    snapshot(t, xiaoli, day, "500.00", 8, inquiries=10, ordered_final=8, paid_final=8,
             answered_rounds=50, fast_rounds=20)  # fmt: skip
    close = month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    overall = {
        a.agent.name: (a.amount, a.place)
        for a in AwardEntry.objects.filter(close=close, metric="overall_score").select_related(
            "agent"
        )
    }
    assert overall == {"小美": (Decimal("100.00"), 1)}
