"""The supervisor's inputs to the month evaluation: the hundred-point part scores (S4.5) and
the warnings issued (S3, S4.5). The month close reads both; writes are audited.

Return-visit satisfaction (S4.5, 30 points) comes from the buyers app's return-visit survey
(`kefu.buyers.selectors.return_visit_satisfaction`, a 1-5 average per agent): the part score
is average / 5 x the part's maximum, rounded half up to the cent. The form's entry for that
part is used only for an agent without a scored visit that month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import User
from django.db import transaction

from kefu.buyers.selectors import return_visit_satisfaction
from kefu.core.audit import audit_record
from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.performance.engine import Month
from kefu.performance.engine.text import plain
from kefu.performance.models import AgentWarning, PartScore, Recommendation
from kefu.performance.selectors import latest_close
from kefu.performance.selectors import part_scores as stored_part_scores
from kefu.policy.describe_text import SCALE_PARTS
from kefu.policy.schema import Policy
from kefu.policy.selectors import policy_in_force
from kefu.staff.models import Agent, Assignment

RETURN_VISIT = "return_visit"
SURVEY_MAX = Decimal(5)
CENT = Decimal("0.01")
WARNING_CONSEQUENCES = ("warning", "verbal_warning")
"""Accepting a recommendation with one of these consequences records a warning."""


def scale_parts(policy: Policy) -> dict[str, Decimal]:
    """The parts of the policy's hundred-point scale and their maximums ({} on other scales)."""
    return {part: Decimal(full) for part, full in (policy.points.scale.parts or {}).items()}


def survey_scores(*, shop: Shop, month: Month, policy: Policy) -> dict[str, Decimal]:
    """The return-visit part per agent id from the survey (none without that part)."""
    full = scale_parts(policy).get(RETURN_VISIT)
    if full is None:
        return {}
    return {
        str(agent_id): (average / SURVEY_MAX * full).quantize(CENT, rounding=ROUND_HALF_UP)
        for agent_id, average in return_visit_satisfaction(shop=shop, month=str(month)).items()
    }


def month_part_scores(*, shop: Shop, month: Month, policy: Policy) -> dict[str, dict[str, Decimal]]:
    """The part scores the close uses: the form's entries, the survey's return visit over
    them. Parts the scale does not have are dropped (a policy changed since the entry)."""
    parts = scale_parts(policy)
    if not parts:
        return {}
    scores = {
        agent_id: {p: s for p, s in given.items() if p in parts}
        for agent_id, given in stored_part_scores(shop=shop, month=month).items()
    }
    for agent_id, score in survey_scores(shop=shop, month=month, policy=policy).items():
        scores.setdefault(agent_id, {})[RETURN_VISIT] = score
    return {agent_id: given for agent_id, given in scores.items() if given}


@transaction.atomic
def part_scores_set(
    *,
    shop: Shop,
    agent: Agent,
    month: Month,
    scores: Mapping[str, Decimal | None],
    acting_user: User | None,
) -> list[PartScore]:
    """Enter (or change) an agent's part scores for the month; `None` clears a part (it then
    counts at full marks). Each score must lie within 0 and the part's maximum. All or nothing."""
    if not Assignment.objects.filter(shop=shop, agent=agent).exists():
        raise InvalidInput(f"客服「{agent.name}」不在店铺「{shop.name}」：只能给本店客服打分")
    policy = policy_in_force(shop=shop, on=month.last_day).policy
    parts = scale_parts(policy)
    if not parts:
        raise InvalidInput("本店制度不是百分制考评，没有分项得分")
    unknown = sorted(set(scores) - set(parts))
    if unknown:
        raise InvalidInput(
            f"未知的考评项：{', '.join(unknown)}；本店考评项为 "
            + "、".join(f"{SCALE_PARTS.get(p, p)}（{p}）" for p in parts)
        )
    for part, score in scores.items():
        if score is not None and not Decimal(0) <= score <= parts[part]:
            raise InvalidInput(
                f"{agent.name}的「{SCALE_PARTS.get(part, part)}」须在 0 到 "
                f"{plain(parts[part])} 分之间，收到 {plain(score)}"
            )
    if latest_close(shop=shop, month=month) is not None:
        note = "（本月已结算：请做更正结算使新分数生效）"
    else:
        note = ""
    stored = []
    for part, score in scores.items():
        if score is None:
            PartScore.objects.filter(shop=shop, agent=agent, month=str(month), part=part).delete()
            continue
        row, _ = PartScore.objects.update_or_create(
            shop=shop,
            agent=agent,
            month=str(month),
            part=part,
            defaults={"score": score, "entered_by": acting_user, "source": "form"},
        )
        stored.append(row)
    audit_record(
        shop=shop,
        actor=acting_user,
        action="part_scores.set",
        object_type="agent",
        object_id=agent.pk,
        new_value={"month": str(month), **{p: str(s) for p, s in scores.items()}},
        note=note,
    )
    return stored


@transaction.atomic
def warning_issue(
    *,
    shop: Shop,
    agent: Agent,
    on: dt.date,
    note: str = "",
    recommendation: Recommendation | None = None,
    acting_user: User | None,
) -> AgentWarning:
    """Record a warning issued to an agent; it counts in the month of `on` and later months'
    closes read it (three warnings: S4.5's dismissal recommendation)."""
    if not Assignment.objects.filter(shop=shop, agent=agent).exists():
        raise InvalidInput(f"客服「{agent.name}」不在店铺「{shop.name}」：只能给本店客服记录警告")
    warning = AgentWarning.objects.create(
        shop=shop,
        agent=agent,
        issued_on=on,
        month=str(Month.of(on)),
        note=note,
        recommendation=recommendation,
        issued_by=acting_user,
    )
    audit_record(
        shop=shop,
        actor=acting_user,
        action="warning.issue",
        object_type="agent_warning",
        object_id=warning.pk,
        new_value={"agent": agent.pk, "on": on.isoformat(), "note": note},
    )
    return warning
