"""Writes of payroll runs and the fines fund.

`payroll_run` reads the closed month (scores, the fines in force, accepted recommendations)
and the agents' levels, calls the pure pay calculator and stores each payslip line with its
clause, explanation and facts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from kefu.core.audit import audit_record
from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.payroll.calculator import AgentMonth, Payslip, payslips_compute
from kefu.payroll.choices import FundDirection, RunStatus
from kefu.payroll.models import FundEntry, PayrollRun, PayslipLine
from kefu.payroll.models import Payslip as PayslipRow
from kefu.performance.attendance_month import AttendanceRecord
from kefu.performance.awards import AwardOutcome
from kefu.performance.engine import Month, MonthOutcome
from kefu.performance.models import FineEntry, MonthClose
from kefu.performance.month_run import month_inputs, parse_month
from kefu.performance.sales import MonthSales, month_sales
from kefu.performance.selectors import agents_punched, award_outcome, month_outcome
from kefu.policy.models import PolicyVersion
from kefu.policy.schema import Policy
from kefu.policy.selectors import PolicyInForce, policy_in_force
from kefu.staff.models import Agent, Assignment

CENT = Decimal("0.01")


def _money(value: Decimal) -> Decimal:
    """SQLite's SUM drops the decimal places: show money with its cents."""
    return value.quantize(CENT)


def _on_probation(agent: Agent, month: Month) -> bool:
    """On probation for the month when probation lasts to its last day (a probation ending
    mid-month pays the full month at the level: the agent worked most of it as such)."""
    return agent.probation_end is not None and agent.probation_end >= month.last_day


def _agents(*, shop: Shop, policy: Policy, closed: set[int]) -> list[Agent]:
    """Who is paid: the shop's active agents and everyone in the month's close (an agent who
    left during the month is still paid for it)."""
    active = set(
        Assignment.objects.filter(shop=shop, active=True).values_list("agent_id", flat=True)
    )
    agents = list(
        Agent.objects.filter(pk__in=active | closed, assignments__shop=shop)
        .distinct()
        .order_by("name", "id")
    )
    levels = policy.levels.keys()
    missing = [f"{a.name}（{a.level or '未设置'}）" for a in agents if a.level not in levels]
    if missing:
        raise InvalidInput(
            f"这些客服没有本店制度中的级别，无法核算底薪：{'、'.join(missing)}；"
            f"制度中的级别为 {', '.join(levels)}"
        )
    return agents


@dataclass(frozen=True)
class MonthPay:
    """What payroll reads for a closed month, before any pay is computed."""

    in_force: PolicyInForce
    close: MonthClose
    outcome: MonthOutcome
    agents: list[Agent]
    pay: list[AgentMonth]
    sales: MonthSales


def month_pay_inputs(*, shop: Shop, month: Month) -> MonthPay:
    """The closed month's outcome, the agents paid and each one's month (level, probation,
    sales, attendance, accepted withholding), checked: refused with a message when the month
    is not closed, an agent has no level of the policy's ladder or is not in the close."""
    closed = month_outcome(shop=shop, month=month)
    if closed is None:
        raise InvalidInput(f"{month.label}还没有结算积分与罚款：请先做月度结算")
    close, outcome = closed
    in_force = policy_in_force(shop=shop, on=month.last_day)
    agents = _agents(shop=shop, policy=in_force.policy, closed={int(a) for a in outcome.agents})
    absent = [a.name for a in agents if str(a.pk) not in outcome.agents]
    if absent:
        raise InvalidInput(
            f"这些客服不在{month.label}的月度结算中：{'、'.join(absent)}；请先做更正结算"
        )
    facts, _ = month_inputs(shop, month)
    punched = agents_punched(shop=shop, month=month)
    sales = month_sales(shop=shop, month=month, policy=in_force.policy)
    pay = [
        AgentMonth(
            agent_id=str(a.pk),
            level=a.level,
            on_probation=_on_probation(a, month),
            # Attributed sales of the month from the daily KPI snapshots (docs/payroll.md).
            personal_sales=sales.of(a.pk).amount,
            sales_refs=sales.refs(a.pk),
            sales_note=sales.note(a.pk),
            # The attendance app's verdict (its `full_attendance` fact) where the agent punched
            # in the month; the other facts only where no attendance was recorded.
            attendance=AttendanceRecord.from_facts(
                facts, agent_id=str(a.pk), month=month, punched=a.pk in punched
            ),
            withhold_accepted=bool(outcome.agent(str(a.pk)).recommended("withhold_month_pay")),
        )
        for a in agents
    ]
    return MonthPay(in_force, close, outcome, agents, pay, sales)


def payslips_of(
    *,
    policy: Policy,
    month: Month,
    pay: list[AgentMonth],
    outcome: MonthOutcome,
    awards: AwardOutcome | None,
    sales: MonthSales,
) -> list[Payslip]:
    """The pure calculator on the month's inputs; its refusals become one clear message."""
    commission = policy.pay.commission
    department = commission is not None and commission.basis == "department_sales"
    try:
        return payslips_compute(
            policy=policy,
            month=month,
            agents=pay,
            outcomes=outcome,
            awards=awards,
            department_sales=sales.department if department else None,
            department_note=(
                f"{month.label}店铺归属销售合计，归属方式：{sales.mode_label}" if department else ""
            ),
        )
    except ValueError as exc:
        raise InvalidInput(f"无法核算{month.label}工资：{exc}") from exc


def _compute(
    shop: Shop, month: Month
) -> tuple[PolicyVersion, list[Agent], list[Payslip], MonthClose]:
    inputs = month_pay_inputs(shop=shop, month=month)
    slips = payslips_of(
        policy=inputs.in_force.policy,
        month=month,
        pay=inputs.pay,
        outcome=inputs.outcome,
        awards=award_outcome(shop=shop, month=month),
        sales=inputs.sales,
    )
    return inputs.in_force.version, inputs.agents, slips, inputs.close


def _differences(old: PayrollRun, new: PayrollRun) -> list[dict[str, str]]:
    """Per agent and line kind, what the correction changes (old → new)."""

    def sums(run: PayrollRun) -> dict[tuple[str, str, str], Decimal]:
        rows = (
            PayslipLine.objects.filter(payslip__run=run)
            .values("payslip__agent__name", "code", "label")
            .annotate(total=Sum("amount"))
        )
        return {(r["payslip__agent__name"], r["code"], r["label"]): r["total"] for r in rows}

    before, after = sums(old), sums(new)
    changes = []
    for key in sorted(set(before) | set(after)):
        was, now = before.get(key, Decimal(0)), after.get(key, Decimal(0))
        if was != now:
            changes.append(
                {
                    "agent": key[0],
                    "label": key[2],
                    "before": str(_money(was)),
                    "after": str(_money(now)),
                }
            )
    return changes


@transaction.atomic
def payroll_run(
    *, shop: Shop, month: Month | str, acting_user: User | None, correction: bool = False
) -> PayrollRun:
    """Compute the month's payslips as a draft run. A draft is recomputed in place; a locked
    run is never changed: only a correction run (`correction=True`) supersedes it."""
    month = parse_month(month)
    Shop.objects.select_for_update().filter(pk=shop.pk).first()  # one run of a shop at a time
    current = PayrollRun.objects.filter(shop=shop, month=str(month)).order_by("-id").first()
    if current is not None and current.locked and not correction:
        raise InvalidInput(f"{month.label}的工资已锁定；如需更改，请做更正核算（会列出差异）")
    if correction and (current is None or not current.locked):
        raise InvalidInput(f"{month.label}没有已锁定的工资，无需更正：直接重新核算草稿即可")
    version, agents, slips, close = _compute(shop, month)
    if current is not None and not current.locked:
        current.delete()  # a draft is a working copy, not a record: recomputed in place
        current = PayrollRun.objects.filter(shop=shop, month=str(month)).order_by("-id").first()
    run = PayrollRun.objects.create(
        shop=shop,
        month=str(month),
        policy_version=version,
        month_close=close,
        corrects=current if correction else None,
        created_by=acting_user,
    )
    by_id = {str(a.pk): a for a in agents}
    for slip in slips:
        agent = by_id[slip.agent_id]
        row = PayslipRow.objects.create(
            shop=shop,
            run=run,
            agent=agent,
            level=agent.level,
            on_probation=_on_probation(agent, month),
            total=slip.total,
        )
        PayslipLine.objects.bulk_create(
            PayslipLine(
                shop=shop,
                payslip=row,
                position=index,
                code=line.code,
                label=line.label_zh,
                amount=line.amount,
                clause=line.clause,
                rule=line.rule,
                explanation=line.explanation,
                fact_ids=list(line.fact_ids),
            )
            for index, line in enumerate(slip.lines)
        )
    if correction and current is not None:
        run.differences = _differences(current, run)
        run.save(update_fields=["differences"])
    audit_record(
        shop=shop,
        actor=acting_user,
        action="payroll.correct" if correction else "payroll.run",
        object_type="payroll_run",
        object_id=run.pk,
        new_value={"month": str(month), "payslips": len(slips)},
    )
    return run


@transaction.atomic
def payroll_lock(*, shop: Shop, run: PayrollRun, acting_user: User | None) -> PayrollRun:
    """Lock a draft run and pay the month's fines into the fund (when the policy has one)."""
    if run.shop_id != shop.pk:
        raise InvalidInput("该工资核算不属于本店")
    if run.locked:
        raise InvalidInput(f"{run.month} 的工资已锁定")
    latest = PayrollRun.objects.filter(shop=shop, month=run.month).order_by("-id").first()
    if latest is not None and latest.pk != run.pk:
        raise InvalidInput("这不是本月最新的核算，请锁定最新的一次")
    run.status = RunStatus.LOCKED
    run.locked_by = acting_user
    run.locked_at = timezone.now()
    run.save(update_fields=["status", "locked_by", "locked_at"])
    _fines_to_fund(shop=shop, month=parse_month(run.month), acting_user=acting_user)
    audit_record(
        shop=shop,
        actor=acting_user,
        action="payroll.lock",
        object_type="payroll_run",
        object_id=run.pk,
        new_value={"month": run.month},
    )
    return run


def _fines_to_fund(*, shop: Shop, month: Month, acting_user: User | None) -> None:
    """Each fine not yet paid in enters the fund; a reversed fine (a negative entry from a
    correction) is paid back out of it. Compensation pays a damage, not the fund."""
    fund = policy_in_force(shop=shop, on=month.last_day).policy.fines.fund
    if fund is None or not fund.all_fines_to_department_fund:
        return
    for fine in FineEntry.objects.filter(
        shop=shop, month=str(month), kind="fine", fund_entry__isnull=True
    ).select_related("agent"):
        FundEntry.objects.create(
            shop=shop,
            direction=FundDirection.IN if fine.amount > 0 else FundDirection.OUT,
            amount=fine.amount,
            purpose=f"{fine.agent.name}：{fine.explanation}",
            on=month.last_day,
            fine=fine,
            clause=fund.clause,
            recorded_by=acting_user,
        )


def fund_balance(*, shop: Shop) -> Decimal:
    total = FundEntry.objects.filter(shop=shop).aggregate(total=Sum("amount"))["total"]
    return _money(total if total is not None else Decimal(0))


@transaction.atomic
def fund_spend(
    *, shop: Shop, amount: Decimal, purpose: str, on: dt.date, acting_user: User | None
) -> FundEntry:
    """Spend from the fund, openly: the purpose is shown to the whole team."""
    purpose = purpose.strip()
    if not purpose:
        raise InvalidInput("请写明用途：基金的每笔支出对全体公开")
    if amount <= 0:
        raise InvalidInput("支出金额必须大于 0")
    balance = fund_balance(shop=shop)
    if amount > balance:
        raise InvalidInput(f"基金余额 ¥{balance} 不足以支出 ¥{_money(amount)}")
    entry = FundEntry.objects.create(
        shop=shop,
        direction=FundDirection.OUT,
        amount=-amount,
        purpose=purpose,
        on=on,
        recorded_by=acting_user,
    )
    audit_record(
        shop=shop,
        actor=acting_user,
        action="fund.spend",
        object_type="fund_entry",
        object_id=entry.pk,
        new_value={"amount": str(amount), "purpose": purpose},
    )
    return entry
