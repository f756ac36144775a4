"""What if: the month's facts and incidents under another policy (a preset), side by side with
the policy in force. Reads only: nothing is written, so a supervisor can compare regimes
before adopting one."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.performance import engine
from kefu.performance.evaluation import month_part_scores
from kefu.performance.month_run import month_inputs, month_rules_run
from kefu.performance.selectors import previous_outcomes, warnings_issued
from kefu.policy.documents import PolicyError, load_preset, preset_names
from kefu.staff.models import Agent


@dataclass(frozen=True)
class WhatIfRow:
    agent: Agent
    score_now: Decimal
    score_then: Decimal
    fines_now: Decimal
    fines_then: Decimal
    recommendations_now: tuple[str, ...]
    recommendations_then: tuple[str, ...]

    @property
    def fines_change(self) -> Decimal:
        return self.fines_then - self.fines_now

    @property
    def score_change(self) -> Decimal:
        return self.score_then - self.score_now


@dataclass(frozen=True)
class WhatIf:
    month: engine.Month
    policy_now: str
    policy_then: str
    rows: list[WhatIfRow]
    unpriced_now: int
    unpriced_then: int


def month_whatif(*, shop: Shop, month: engine.Month, preset: str) -> WhatIf:
    if preset not in preset_names():
        raise InvalidInput(f"没有名为 {preset!r} 的制度模板；可选：{', '.join(preset_names())}")
    try:
        other = load_preset(preset)
    except PolicyError as exc:  # a shipped preset that does not load is a bug, said plainly
        raise InvalidInput(f"制度模板 {preset} 无法读取：{'; '.join(exc.lines)}") from exc
    in_force, now = month_rules_run(shop=shop, month=month)
    facts, incidents = month_inputs(shop, month)
    try:
        then = engine.month_rules_apply(
            policy=other,
            facts=facts,
            incidents=incidents,
            month=month,
            agents=list(now.agents),
            # The supervisor's part scores and warnings count under the other policy too.
            part_scores=month_part_scores(shop=shop, month=month, policy=other),
            previous=previous_outcomes(shop=shop, month=month),
            warnings_issued=warnings_issued(shop=shop, month=month),
        )
    except ValueError as exc:  # e.g. an incident's chosen points outside the other range
        raise InvalidInput(f"按 {preset} 无法计算：{exc}") from exc
    names = {a.pk: a for a in Agent.objects.filter(pk__in=[int(a) for a in now.agents])}
    rows = []
    for agent_id, current in now.agents.items():
        alternative = then.agents.get(agent_id)
        if alternative is None or int(agent_id) not in names:
            continue
        rows.append(
            WhatIfRow(
                agent=names[int(agent_id)],
                score_now=current.score,
                score_then=alternative.score,
                fines_now=current.fines_total,
                fines_then=alternative.fines_total,
                recommendations_now=tuple(r.label for r in current.recommendations),
                recommendations_then=tuple(r.label for r in alternative.recommendations),
            )
        )
    rows.sort(key=lambda r: (r.agent.name, r.agent.pk))
    return WhatIf(
        month=month,
        policy_now=in_force.policy.meta.title,
        policy_then=other.meta.title,
        rows=rows,
        unpriced_now=len(now.unpriced),
        unpriced_then=len(then.unpriced),
    )
