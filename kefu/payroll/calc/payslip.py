"""The payroll run for one month: each agent's payslip, line by line, every line with its
clause, the facts behind it and a sentence in Chinese.

Order of the lines and why:
1. pay for the work: base by level 底薪, or probation pay 试用期工资 (no bonus when the policy
   says so: then no commission, pool share, team score, full attendance or award);
   commission 提成 on personal sales; the share of the department's pool 部门提成奖金;
   the team-score bonus 团队评分奖金;
2. the guaranteed minimum 保底补足 tops up (1) when it falls short: the minimum guarantees pay
   for the work, so allowances and awards are paid on top and never absorbed by it;
3. allowances 满勤奖 / 生活补助 and award money 奖励;
4. fines and compensation, negative, after the guarantee (a guarantee that absorbed fines
   would make them free);
5. withheld pay 扣发当月工资 last, only when the supervisor accepted the recommendation.

Every computed amount is rounded once by `pay.rounding`; the pool is split with the largest
remainder method so the shares add up to the rounded pool exactly (see `split_exact`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from kefu.payroll.calc.commission import commission_compute, round_pay
from kefu.performance.attendance_month import (
    AttendanceRecord,
    full_attendance_basis,
    full_attendance_met,
)
from kefu.performance.awards import AwardOutcome
from kefu.performance.engine import (
    Month,
    MonthOutcome,
    Recommendation,
    require_decimal,
    split_exact,
)
from kefu.performance.engine.text import cited, plain, yuan
from kefu.policy.describe_text import percent
from kefu.policy.schema import Policy


@dataclass(frozen=True)
class AgentMonth:
    """One agent's month as payroll needs it."""

    agent_id: str
    level: str
    """Level key of the policy's ladder (`junior` ...)."""
    on_probation: bool = False
    personal_sales: Decimal = Decimal(0)
    """Attributed sales of the month, after the policy's deductions (returns, bad reviews)."""
    sales_refs: tuple[str, ...] = ()
    """The facts or orders behind the sales figure."""
    sales_note: str = ""
    """How the sales figure was attributed (mode, orders, pending days), shown on the
    commission line."""
    attendance: AttendanceRecord = field(default_factory=AttendanceRecord)
    team_score_ratio: Decimal | None = None
    """The team score as a fraction of full marks (S1 团队评分); none: the agent's month score
    over the scale's start."""
    withhold_accepted: bool = False
    """The supervisor accepted the recommendation to withhold the month's pay."""

    def __post_init__(self) -> None:
        require_decimal(self.personal_sales, f"{self.agent_id}.personal_sales")
        require_decimal(self.team_score_ratio, f"{self.agent_id}.team_score_ratio", optional=True)
        if self.personal_sales < 0:
            raise ValueError(f"{self.agent_id}.personal_sales cannot be negative")


@dataclass(frozen=True)
class PayLine:
    code: str
    label_zh: str
    amount: Decimal
    clause: str
    fact_ids: tuple[str, ...]
    explanation: str
    rule: str = ""
    """Path of the rule in the policy (`pay.base`, `fines.rules.0` ...)."""


@dataclass(frozen=True)
class Payslip:
    agent_id: str
    month: Month
    policy_name: str
    lines: tuple[PayLine, ...]

    @property
    def total(self) -> Decimal:
        """Net pay: the sum of the lines."""
        return sum((line.amount for line in self.lines), Decimal(0))

    def amounts(self, code: str) -> list[Decimal]:
        return [line.amount for line in self.lines if line.code == code]


@dataclass(frozen=True)
class _Pool:
    amount: Decimal
    shares: dict[str, Decimal]
    weights: dict[str, Decimal]
    how: str
    clause: str


def payslips_compute(
    *,
    policy: Policy,
    month: Month,
    agents: Sequence[AgentMonth],
    outcomes: MonthOutcome,
    awards: AwardOutcome | None = None,
    department_sales: Decimal | None = None,
    pool: Decimal | None = None,
    department_note: str = "",
) -> list[Payslip]:
    """Payslips for `agents`, in their order. `outcomes` are the month rules' results (every
    agent must be in them: fines and scores come from there); `awards` the month's awards.
    When commission is departmental and split through the bonus pool (S4.5), give either
    `department_sales` (the pool is the policy's commission on it) or `pool`, an amount
    decided outside the policy (while the shop's tier table is a placeholder, say)."""
    if outcomes.month != month or (awards is not None and awards.month != month):
        raise ValueError(f"outcomes and awards must be for {month}")
    missing = [a.agent_id for a in agents if a.agent_id not in outcomes.agents]
    if missing:
        raise ValueError(f"no month outcome for {missing}: run the month rules for them first")
    split = _pool(policy, agents, outcomes, department_sales, pool, department_note)
    return [_payslip(policy, month, agent, outcomes, awards, split) for agent in agents]


def _bonus_allowed(policy: Policy, agent: AgentMonth) -> bool:
    probation = policy.pay.probation
    return not (agent.on_probation and probation is not None and not probation.bonus)


def _pool(
    policy: Policy,
    agents: Sequence[AgentMonth],
    outcomes: MonthOutcome,
    department_sales: Decimal | None,
    given: Decimal | None,
    note: str = "",
) -> _Pool | None:
    commission = policy.pay.commission
    if commission is None or commission.basis != "department_sales":
        if department_sales is not None or given is not None:
            raise ValueError("the policy has no department commission to pool")
        return None
    if policy.pay.bonus_pool is None:
        raise ValueError("a department commission needs pay.bonus_pool to be split")
    if (department_sales is None) == (given is None):
        raise ValueError("give the department's sales or the pool, one of the two")
    if given is not None:
        require_decimal(given, "pool")
        amount, how = given, f"部门提成总额{yuan(given)}（核定金额）"
    else:
        assert department_sales is not None  # one of the two, checked above
        require_decimal(department_sales, "department_sales")
        exact, tiers = commission_compute(department_sales, commission)
        amount = round_pay(exact, policy.pay.rounding)
        how = f"部门销售额{tiers}，提成总额{yuan(amount)}" + (f"（{note}）" if note else "")
    # A negative score takes nothing from the others: it weighs zero.
    weights = {
        a.agent_id: max(outcomes.agent(a.agent_id).score, Decimal(0))
        for a in agents
        if _bonus_allowed(policy, a)
    }
    shares = split_exact(amount, weights, step=policy.pay.rounding.to) if weights else {}
    return _Pool(amount, shares, weights, how, policy.pay.bonus_pool.clause)


def _line(
    code: str,
    label: str,
    amount: Decimal,
    clause: str,
    sentence: str,
    rule: str,
    fact_ids: tuple[str, ...] = (),
) -> PayLine:
    return PayLine(code, label, amount, clause, fact_ids, cited(sentence, clause), rule)


def _payslip(
    policy: Policy,
    month: Month,
    agent: AgentMonth,
    outcomes: MonthOutcome,
    awards: AwardOutcome | None,
    pool: _Pool | None,
) -> Payslip:
    pay = policy.pay
    outcome = outcomes.agent(agent.agent_id)
    bonus = _bonus_allowed(policy, agent)
    probation = pay.probation if agent.on_probation else None
    lines = _work_pay(policy, agent, probation is not None, bonus, pool, outcome.score)
    if probation is None:
        lines += _guarantee(policy, agent, sum((ln.amount for ln in lines), Decimal(0)))
    allowances = pay.allowances
    if allowances is not None:
        amount = allowances.full_attendance
        if bonus and amount is not None and full_attendance_met(policy, agent.attendance):
            basis = full_attendance_basis(policy, agent.attendance)
            lines.append(
                _line(
                    "full_attendance",
                    "满勤奖",
                    amount,
                    allowances.clause,
                    f"本月满勤（{basis}）：{yuan(amount)}",
                    "pay.allowances.full_attendance",
                    agent.attendance.fact_ids,
                )
            )
        if allowances.living is not None:
            lines.append(
                _line(
                    "living",
                    "生活补助",
                    allowances.living,
                    allowances.clause,
                    f"生活补助{yuan(allowances.living)}",
                    "pay.allowances.living",
                )
            )
    if bonus and awards is not None:
        lines += [
            PayLine("award", "奖励", e.amount, e.clause, e.fact_ids, e.explanation, e.rule)
            for e in awards.for_agent(agent.agent_id)
        ]
    for fine in outcome.fines:
        label = "赔偿" if fine.kind == "compensation" else "罚款"
        lines.append(
            PayLine(
                fine.kind,
                label,
                -fine.amount,
                fine.clause,
                fine.fact_ids + fine.incident_ids,
                fine.explanation,
                fine.rule,
            )
        )
    if agent.withhold_accepted:
        lines += _withhold(agent, outcome.recommended("withhold_month_pay"), lines)
    return Payslip(agent.agent_id, month, policy.meta.name, tuple(lines))


def _work_pay(
    policy: Policy,
    agent: AgentMonth,
    on_probation_pay: bool,
    bonus: bool,
    pool: _Pool | None,
    score: Decimal,
) -> list[PayLine]:
    """Base or probation pay, commission, pool share and team score: what the guarantee
    guarantees."""
    pay = policy.pay
    lines: list[PayLine] = []
    base = Decimal(0)
    if on_probation_pay and pay.probation is not None:
        amount = pay.probation.pay
        text = f"试用期工资{yuan(amount)}/月" + ("" if bonus else "，无奖金")
        lines.append(
            _line("probation", "试用期工资", amount, pay.probation.clause, text, "pay.probation")
        )
    elif pay.base is not None:
        if agent.level not in pay.base.by_level:
            raise ValueError(f"{agent.agent_id}: level {agent.level!r} has no base pay")
        base = pay.base.by_level[agent.level]
        label = next(s.label for s in policy.levels.ladder if s.key == agent.level)
        lines.append(
            _line("base", "底薪", base, pay.base.clause, f"{label}底薪{yuan(base)}", "pay.base")
        )
    if not bonus:
        return lines
    commission = pay.commission
    if commission is not None and commission.basis == "personal_sales":
        exact, how = commission_compute(agent.personal_sales, commission)
        lines.append(
            _line(
                "commission",
                "提成",
                round_pay(exact, pay.rounding),
                commission.clause,
                f"个人销售额{how}" + (f"（{agent.sales_note}）" if agent.sales_note else ""),
                "pay.commission",
                agent.sales_refs,
            )
        )
    if pool is not None and agent.agent_id in pool.shares:
        share, weight = pool.shares[agent.agent_id], pool.weights[agent.agent_id]
        total_weight = sum(pool.weights.values(), Decimal(0))
        text = (
            f"{pool.how}；个人奖金 = {yuan(pool.amount)}"
            f" ÷ 全员考评总分{plain(total_weight)} × 个人考评分{plain(weight)} = {yuan(share)}"
            "（分摊尾差按最大余数法）"
        )
        lines.append(
            _line("pool_share", "部门提成奖金", share, pool.clause, text, "pay.bonus_pool")
        )
    allowances = pay.allowances
    if allowances is not None and allowances.team_score_share_of_base is not None:
        lines += _team_score(policy, agent, score, base)
    return lines


def _team_score(policy: Policy, agent: AgentMonth, score: Decimal, base: Decimal) -> list[PayLine]:
    allowances = policy.pay.allowances
    assert allowances is not None and allowances.team_score_share_of_base is not None
    share = allowances.team_score_share_of_base
    if agent.team_score_ratio is not None:
        ratio, source = agent.team_score_ratio, f"团队评分{percent(agent.team_score_ratio)}"
    else:
        start = policy.points.scale.start
        ratio = min(max(score / start, Decimal(0)), Decimal(1))
        source = f"本月考评分{plain(score)}/{plain(start)}"
    amount = round_pay(base * share * ratio, policy.pay.rounding)
    text = f"团队评分奖金 = 底薪{yuan(base)}×{percent(share)}×{source} = {yuan(amount)}"
    return [
        _line(
            "team_score",
            "团队评分奖金",
            amount,
            allowances.clause,
            text,
            "pay.allowances.team_score_share_of_base",
        )
    ]


def _guarantee(policy: Policy, agent: AgentMonth, earned: Decimal) -> list[PayLine]:
    guarantee = policy.pay.guaranteed_minimum
    if guarantee is None:
        return []
    tier = next((t for t in guarantee.tiers if agent.level in t.levels), None)
    if tier is None or earned >= tier.amount:
        return []
    top_up = tier.amount - earned
    text = f"{tier.label}{yuan(tier.amount)}，核算工资{yuan(earned)}，补足{yuan(top_up)}"
    return [
        _line("guarantee", "保底补足", top_up, guarantee.clause, text, "pay.guaranteed_minimum")
    ]


def _withhold(
    agent: AgentMonth, found: Sequence[Recommendation], lines: list[PayLine]
) -> list[PayLine]:
    """The month's pay withheld: a line that brings the net to zero, citing the rule whose
    recommendation the supervisor accepted."""
    if not found:
        raise ValueError(
            f"{agent.agent_id}: pay can be withheld only on a rule's recommendation, "
            "and the month rules made none"
        )
    due = sum((line.amount for line in lines), Decimal(0))
    if due <= 0:
        return []
    first = found[0]
    facts = tuple(dict.fromkeys(i for r in found for i in r.fact_ids + r.incident_ids))
    text = f"主管已确认：{first.explanation.split('：')[0]}，扣发当月工资{yuan(due)}"
    return [_line("withhold", "扣发当月工资", -due, first.clause, text, first.rule, facts)]
