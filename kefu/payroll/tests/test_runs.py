from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from kefu.core.errors import InvalidInput
from kefu.payroll.export import payroll_xlsx
from kefu.payroll.models import FundEntry, PayrollRun, Payslip, PayslipLine
from kefu.payroll.services import fund_balance, fund_spend, payroll_lock, payroll_run
from kefu.performance.closing import month_close
from kefu.performance.tests.db import OCTOBER, record, team

pytestmark = pytest.mark.django_db


def _closed_team():
    t = team()
    xiaomei = t.agents[0]
    t.handover = record(t, xiaomei, "handover_missing", 3)
    month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    return t


def test_run_stores_every_line_with_clause_and_facts():
    t = _closed_team()
    run = payroll_run(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    assert (run.status, run.month, run.corrects) == ("draft", OCTOBER, None)
    slips = {p.agent.name: p for p in run.payslips.all()}
    assert sorted(slips) == ["小丽", "小美"]
    fine = PayslipLine.objects.get(payslip=slips["小美"], code="fine")
    assert (fine.amount, fine.clause, fine.fact_ids) == (
        Decimal("-30.00"),
        "S4.1 §1 交接",
        [f"F{t.handover.pk}"],
    )
    for slip in slips.values():
        lines = list(slip.lines.all())
        assert slip.total == sum((ln.amount for ln in lines), Decimal(0))
        assert all(ln.clause and ln.explanation for ln in lines)
    assert slips["小丽"].total - slips["小美"].total == Decimal("30.00")


def test_month_not_closed_is_refused():
    t = team()
    with pytest.raises(InvalidInput) as caught:
        payroll_run(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    assert caught.value.message == "2026年10月还没有结算积分与罚款：请先做月度结算"
    assert PayrollRun.objects.count() == 0


def test_agent_missing_a_level_is_refused_and_nothing_changes():
    t = _closed_team()
    xiaoli = t.agents[1]
    xiaoli.level = ""
    xiaoli.save()
    with pytest.raises(InvalidInput) as caught:
        payroll_run(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    assert caught.value.message.startswith(
        "这些客服没有本店制度中的级别，无法核算底薪：小丽（未设置）；制度中的级别为 junior"
    )
    assert PayrollRun.objects.count() == 0
    assert Payslip.objects.count() == 0


def test_draft_is_recomputed_and_a_locked_run_is_not():
    t = _closed_team()
    payroll_run(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    run = payroll_run(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    assert PayrollRun.objects.count() == 1
    payroll_lock(shop=t.shop, run=run, acting_user=t.supervisor)
    with pytest.raises(InvalidInput) as caught:
        payroll_run(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    assert caught.value.message == "2026年10月的工资已锁定；如需更改，请做更正核算（会列出差异）"
    assert PayrollRun.objects.count() == 1
    run.refresh_from_db()
    assert run.status == "locked"


def test_correction_run_shows_its_differences_and_keeps_the_locked_run():
    t = _closed_team()
    run = payroll_run(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    payroll_lock(shop=t.shop, run=run, acting_user=t.supervisor)
    locked_total = run.payslips.get(agent=t.agents[0]).total
    record(t, t.agents[0], "handover_missing", 12)
    month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor, correction=True)
    correction = payroll_run(shop=t.shop, month=OCTOBER, acting_user=t.supervisor, correction=True)
    assert correction.corrects == run
    assert correction.differences == [
        {"agent": "小美", "label": "罚款", "before": "-30.00", "after": "-80.00"}
    ]
    assert run.payslips.get(agent=t.agents[0]).total == locked_total
    assert correction.payslips.get(agent=t.agents[0]).total == locked_total - Decimal(50)


def test_lock_pays_the_fines_into_the_fund_and_spending_is_open():
    t = _closed_team()
    run = payroll_run(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    payroll_lock(shop=t.shop, run=run, acting_user=t.supervisor)
    entry = FundEntry.objects.get()
    assert (entry.direction, entry.amount, entry.clause) == ("in", Decimal("30.00"), "S4.1 §16")
    assert entry.purpose.startswith("小美：")
    fund_spend(
        shop=t.shop,
        amount=Decimal("20.00"),
        purpose="团建水果",
        on=dt.date(2026, 11, 2),
        acting_user=t.supervisor,
    )
    assert fund_balance(shop=t.shop) == Decimal("10.00")
    with pytest.raises(InvalidInput, match=r"基金余额 ¥10\.00 不足以支出 ¥50\.00"):
        fund_spend(
            shop=t.shop,
            amount=Decimal(50),
            purpose="聚餐",
            on=dt.date(2026, 11, 3),
            acting_user=None,
        )
    with pytest.raises(InvalidInput, match="请写明用途"):
        fund_spend(
            shop=t.shop, amount=Decimal(1), purpose=" ", on=dt.date(2026, 11, 3), acting_user=None
        )
    assert FundEntry.objects.count() == 2


def test_export_has_one_row_per_agent_and_amounts_as_numbers():
    t = _closed_team()
    run = payroll_run(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    sheet = load_workbook(BytesIO(payroll_xlsx(run=run))).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:2] == ("客服", "级别")
    assert header[-1] == "实发合计"
    by_name = {row[0]: row for row in rows[1:]}
    assert sorted(by_name) == ["小丽", "小美"]
    fine_col = header.index("罚款")
    assert by_name["小美"][fine_col] == -30
    assert by_name["小丽"][fine_col] in (None, 0)
    total = run.payslips.get(agent=t.agents[0]).total
    assert Decimal(str(by_name["小美"][-1])) == total
    assert sheet.cell(row=2, column=len(header)).number_format == '"¥"#,##0.00'


def test_only_an_accepted_withholding_reaches_the_payslip():
    from kefu.performance.models import Recommendation
    from kefu.performance.services import recommendation_decide

    t = team()
    xiaomei = t.agents[0]
    for day in (3, 4, 5, 6):
        record(t, xiaomei, "handover_missing", day)
    month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    draft = payroll_run(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    assert not PayslipLine.objects.filter(payslip__run=draft, code="withhold").exists()
    recommendation_decide(
        shop=t.shop,
        recommendation=Recommendation.objects.get(),
        accept=True,
        acting_user=t.supervisor,
    )
    run = payroll_run(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    slip = run.payslips.get(agent=xiaomei)
    withhold = slip.lines.get(code="withhold")
    assert withhold.clause == "S4.1 §1 交接"
    assert slip.total == Decimal("0.00")


def test_an_agent_who_left_during_the_month_is_still_paid_for_it():
    from kefu.staff.models import Assignment

    t = _closed_team()
    Assignment.objects.filter(shop=t.shop, agent=t.agents[0]).update(active=False)
    run = payroll_run(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    assert sorted(p.agent.name for p in run.payslips.all()) == ["小丽", "小美"]


def test_a_fine_reversed_after_lock_is_paid_back_when_the_correction_is_locked():
    from kefu.performance.models import Fact

    t = _closed_team()
    run = payroll_run(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    payroll_lock(shop=t.shop, run=run, acting_user=t.supervisor)
    Fact.objects.filter(pk=t.handover.pk).delete()  # the capability withdrew the fact
    month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor, correction=True)
    correction = payroll_run(shop=t.shop, month=OCTOBER, acting_user=t.supervisor, correction=True)
    payroll_lock(shop=t.shop, run=correction, acting_user=t.supervisor)
    assert [(e.direction, e.amount) for e in FundEntry.objects.order_by("id")] == [
        ("in", Decimal("30.00")),
        ("out", Decimal("-30.00")),
    ]
    assert fund_balance(shop=t.shop) == Decimal("0.00")
    assert correction.differences == [
        {"agent": "小美", "label": "罚款", "before": "-30.00", "after": "0.00"}
    ]
