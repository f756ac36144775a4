"""What if, in money: a closed month's pay under another policy (a preset), beside the pay
under the policy in force, per agent and per kind of line, with the other policy's
explanations. Reads only: nothing is written.

Under the other policy the month's same facts, incidents, part scores, warnings, sales and
attendance run through its month rules, awards and pay rules. Two things the other policy
cannot know are said on the page:
- levels: an agent's level is the one of the same rank in the other ladder when the key is
  not in it (S4.5's 资深客服 `veteran` is S1's 客户经理 `account_manager`: both the fourth);
- decisions: a recommendation (withhold the month's pay ...) is a decision for a person, so
  the other side withholds nothing; the recommendations it would raise are listed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.payroll.calculator import AgentMonth, Payslip
from kefu.payroll.services import month_pay_inputs, payslips_of
from kefu.performance import engine
from kefu.performance.evaluation import month_part_scores
from kefu.performance.month_run import month_awards, month_inputs, parse_month
from kefu.performance.selectors import award_outcome, previous_outcomes, warnings_issued
from kefu.policy.documents import PolicyError, load_preset, preset_names
from kefu.policy.schema import Policy
from kefu.staff.models import Agent


@dataclass(frozen=True)
class LineChange:
    label: str
    now: Decimal
    then: Decimal
    explanations: tuple[str, ...]
    """The other policy's explanations of its lines of this kind."""

    @property
    def change(self) -> Decimal:
        return self.then - self.now


@dataclass(frozen=True)
class AgentPayChange:
    agent: Agent
    total_now: Decimal
    total_then: Decimal
    lines: list[LineChange]
    level_note: str = ""
    recommendations_then: tuple[str, ...] = ()

    @property
    def change(self) -> Decimal:
        return self.total_then - self.total_now

    @property
    def changed_lines(self) -> list[LineChange]:
        return [line for line in self.lines if line.change != 0]


@dataclass(frozen=True)
class PayWhatIf:
    month: engine.Month
    policy_now: str
    policy_then: str
    rows: list[AgentPayChange] = field(default_factory=list)

    @property
    def total_change(self) -> Decimal:
        return sum((row.change for row in self.rows), Decimal(0))


def _other(preset: str) -> Policy:
    if preset not in preset_names():
        raise InvalidInput(f"没有名为 {preset!r} 的制度模板；可选：{', '.join(preset_names())}")
    try:
        return load_preset(preset)
    except PolicyError as exc:  # a shipped preset that does not load is a bug, said plainly
        raise InvalidInput(f"制度模板 {preset} 无法读取：{'; '.join(exc.lines)}") from exc


def _level(now: Policy, then: Policy, level: str) -> tuple[str, str]:
    """The agent's level in the other ladder, and a note when it had to be matched by rank."""
    keys_then = then.levels.keys()
    if level in keys_then:
        return level, ""
    keys_now = now.levels.keys()
    if level not in keys_now:  # pragma: no cover - payroll refuses such an agent first
        raise InvalidInput(f"级别 {level} 不在本店制度的级别中")
    matched = keys_then[min(keys_now.index(level), len(keys_then) - 1)]
    return matched, f"级别按同一档位对应：{level} → {matched}"


def _by_kind(slip: Payslip) -> dict[tuple[str, str], list[tuple[Decimal, str]]]:
    kinds: dict[tuple[str, str], list[tuple[Decimal, str]]] = defaultdict(list)
    for line in slip.lines:
        kinds[(line.code, line.label_zh)].append((line.amount, line.explanation))
    return kinds


def _lines(now: Payslip, then: Payslip) -> list[LineChange]:
    before, after = _by_kind(now), _by_kind(then)
    out = []
    for key in dict.fromkeys([*before, *after]):
        out.append(
            LineChange(
                label=key[1],
                now=sum((a for a, _ in before.get(key, [])), Decimal(0)),
                then=sum((a for a, _ in after.get(key, [])), Decimal(0)),
                explanations=tuple(text for _, text in after.get(key, [])),
            )
        )
    return out


def payroll_whatif(*, shop: Shop, month: engine.Month | str, preset: str) -> PayWhatIf:
    """The closed month's pay now and under `preset`, per agent (refused like a payroll run
    when the month is not closed or an agent has no level)."""
    month = parse_month(month)
    other = _other(preset)
    inputs = month_pay_inputs(shop=shop, month=month)
    policy = inputs.in_force.policy
    now = payslips_of(
        policy=policy,
        month=month,
        pay=inputs.pay,
        outcome=inputs.outcome,
        awards=award_outcome(shop=shop, month=month),
        sales=inputs.sales,
    )
    facts, incidents = month_inputs(shop, month)
    try:
        outcome = engine.month_rules_apply(
            policy=other,
            facts=facts,
            incidents=incidents,
            month=month,
            agents=[str(a.pk) for a in inputs.agents],
            part_scores=month_part_scores(shop=shop, month=month, policy=other),
            previous=previous_outcomes(shop=shop, month=month),
            warnings_issued=warnings_issued(shop=shop, month=month),
        )
    except ValueError as exc:  # e.g. an incident's chosen points outside the other range
        raise InvalidInput(f"按 {preset} 无法计算：{exc}") from exc
    awards, sales = month_awards(shop=shop, month=month, policy=other, outcome=outcome)
    notes: dict[str, str] = {}
    pay: list[AgentMonth] = []
    for agent_month in inputs.pay:
        level, note = _level(policy, other, agent_month.level)
        notes[agent_month.agent_id] = note
        pay.append(replace(agent_month, level=level, withhold_accepted=False))
    then = payslips_of(
        policy=other, month=month, pay=pay, outcome=outcome, awards=awards, sales=sales
    )
    names = {str(a.pk): a for a in inputs.agents}
    rows = [
        AgentPayChange(
            agent=names[slip_now.agent_id],
            total_now=slip_now.total,
            total_then=slip_then.total,
            lines=_lines(slip_now, slip_then),
            level_note=notes[slip_now.agent_id],
            recommendations_then=tuple(
                r.explanation for r in outcome.agent(slip_now.agent_id).recommendations
            ),
        )
        for slip_now, slip_then in zip(now, then, strict=True)
    ]
    return PayWhatIf(month, policy.meta.title, other.meta.title, rows)


def whatif_report(result: PayWhatIf) -> dict[str, Any]:
    """The comparison as JSON-safe data (the API and `kefu payroll whatif --format json`);
    money as strings."""
    return {
        "month": str(result.month),
        "policy_now": result.policy_now,
        "policy_then": result.policy_then,
        "total_change": str(result.total_change),
        "agents": [
            {
                "agent_id": row.agent.pk,
                "name": row.agent.name,
                "total_now": str(row.total_now),
                "total_then": str(row.total_then),
                "change": str(row.change),
                "level_note": row.level_note,
                "lines": [
                    {
                        "label": line.label,
                        "now": str(line.now),
                        "then": str(line.then),
                        "change": str(line.change),
                        "explanations": list(line.explanations),
                    }
                    for line in row.changed_lines
                ],
                "recommendations_then": list(row.recommendations_then),
            }
            for row in result.rows
        ],
    }
