"""The month's score and what follows from it, this month and over several months.

- Ten-point scale (S3): the agent starts at `scale.start` and the entries add and deduct.
- Hundred-point scale (S4.5): the supervisor scores each part (team task 30, handover and work
  20, return-visit satisfaction 30, competence 20; the caller may fill return_visit from the
  satisfaction survey); the catalogue entries then add and deduct (个人评分分值含加减分). A part
  not scored counts at full marks and is listed in `unscored_parts`.
- `points.thresholds`: at or below the punishment level a punishment is recommended, else at
  or below the warning level a verbal warning (the more severe one only).
- `points.below`: a score under the pass mark fails the month and costs the fine.
- `points.consecutive_low` and `points.consequences` look back through previous months'
  outcomes, month by month: a month missing from the history breaks a run.
- Warnings are the ones the supervisor issued (an input): a recommendation becomes a warning
  only when a person decides so. They add up over the months of history given."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from kefu.performance.engine.inputs import RuleOptions
from kefu.performance.engine.month import Month
from kefu.performance.engine.results import (
    AgentOutcome,
    FineEntry,
    MonthOutcome,
    PointEntry,
    Recommendation,
)
from kefu.performance.engine.text import cited, consequence_label, plain, pts, yuan
from kefu.policy.describe_text import SCALE_PARTS
from kefu.policy.schema import Policy


@dataclass
class Closing:
    score: Decimal
    explanation: str
    part_scores: dict[str, Decimal] = field(default_factory=dict)
    unscored: tuple[str, ...] = ()
    failed: bool = False
    low: bool = False
    fines: list[FineEntry] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)


def _parts(
    policy: Policy, agent_id: str, given: Mapping[str, Decimal]
) -> tuple[dict[str, Decimal], tuple[str, ...]]:
    scale = policy.points.scale
    if scale.kind != "hundred":
        if given:
            raise ValueError(f"agent {agent_id}: a {scale.kind}-point scale has no part scores")
        return {}, ()
    unknown = sorted(set(given) - set(scale.parts))
    if unknown:
        raise ValueError(f"agent {agent_id}: unknown parts {unknown} (scale: {list(scale.parts)})")
    scores: dict[str, Decimal] = {}
    for part, full in scale.parts.items():
        score = given.get(part, full)
        if not Decimal(0) <= score <= full:
            raise ValueError(f"agent {agent_id}: {part} score {score} is outside 0-{full}")
        scores[part] = score
    return scores, tuple(part for part in scale.parts if part not in given)


def scale_close(
    *,
    policy: Policy,
    month: Month,
    agent_id: str,
    entries: Sequence[PointEntry],
    part_scores: Mapping[str, Decimal],
    previous: Sequence[MonthOutcome],
    warnings_issued: int,
    options: RuleOptions,
) -> Closing:
    pts_policy = policy.points
    parts, unscored = _parts(policy, agent_id, part_scores)
    adjustments = sum((entry.points for entry in entries), Decimal(0))
    if parts:
        base = sum(parts.values(), Decimal(0))
        terms = " + ".join(f"{SCALE_PARTS.get(p, p)}{plain(s)}" for p, s in parts.items())
    else:
        base = pts_policy.scale.start
        terms = f"基础分{plain(base)}"
    score = base + adjustments
    explanation = f"{month.label}考评分 = {terms} {'+' if adjustments >= 0 else '-'} "
    explanation += f"加减分{plain(abs(adjustments))} = {pts(score)}"
    if unscored:
        explanation += "（未评分项按满分计：" + "、".join(SCALE_PARTS.get(p, p) for p in unscored)
        explanation += "）"
    closing = Closing(score, cited(explanation, pts_policy.scale.clause), parts, unscored)
    linked = _linked(entries)

    def recommend(consequence: str, clause: str, rule: str, sentence: str) -> None:
        closing.recommendations.append(
            Recommendation(
                agent_id=agent_id,
                consequence=consequence,
                label=consequence_label(consequence),
                clause=clause,
                rule=rule,
                fact_ids=linked[0],
                incident_ids=linked[1],
                explanation=cited(sentence, clause),
                at=None,
            )
        )

    thresholds = pts_policy.thresholds
    if thresholds is not None:
        if thresholds.punishment_at_or_below is not None and (
            score <= thresholds.punishment_at_or_below
        ):
            level = options.punishment_consequence
            sentence = f"本月积分{pts(score)}，不高于{pts(thresholds.punishment_at_or_below)}"
            recommend(
                level,
                thresholds.clause,
                "points.thresholds.punishment_at_or_below",
                f"{sentence}：建议予以处罚（{consequence_label(level)}）",
            )
        elif thresholds.warning_at_or_below is not None and (
            score <= thresholds.warning_at_or_below
        ):
            sentence = f"本月积分{pts(score)}，不高于{pts(thresholds.warning_at_or_below)}"
            recommend(
                "verbal_warning",
                thresholds.clause,
                "points.thresholds.warning_at_or_below",
                f"{sentence}：建议{consequence_label('verbal_warning')}",
            )
    below = pts_policy.below
    if below is not None and score < below.score:
        closing.failed = True
        sentence = f"本月考评分{pts(score)}，不达{pts(below.score)}：罚款{yuan(below.fine)}"
        closing.fines.append(
            FineEntry(
                agent_id=agent_id,
                amount=below.fine,
                clause=below.clause,
                rule="points.below",
                fact_ids=linked[0],
                incident_ids=linked[1],
                explanation=cited(sentence, below.clause),
                at=None,
            )
        )
    low_rule = pts_policy.consecutive_low
    if low_rule is not None and score <= low_rule.at_or_below:
        closing.low = True
        run = 1 + _run(previous, month, agent_id, lambda outcome: outcome.low)
        if run >= low_rule.months:
            sentence = f"连续{run}个月积分不高于{pts(low_rule.at_or_below)}"
            recommend(
                low_rule.recommend,
                low_rule.clause,
                "points.consecutive_low",
                f"{sentence}：建议{consequence_label(low_rule.recommend)}",
            )
    for index, rule in enumerate(pts_policy.consequences):
        path = f"points.consequences.{index}"
        if rule.when == "failing_months_in_row" and closing.failed:
            run = 1 + _run(previous, month, agent_id, lambda outcome: outcome.failed)
            if run >= rule.count:
                recommend(
                    rule.recommend,
                    rule.clause,
                    path,
                    f"连续{run}个月考评不及格：建议{consequence_label(rule.recommend)}",
                )
        elif rule.when == "warnings" and warnings_issued > 0:
            total = warnings_issued + sum(
                outcome.agents[agent_id].warnings_issued
                for outcome in previous
                if agent_id in outcome.agents and outcome.month < month
            )
            if total >= rule.count:
                recommend(
                    rule.recommend,
                    rule.clause,
                    path,
                    f"累计{total}次警告处分：建议{consequence_label(rule.recommend)}",
                )
    return closing


def _run(
    previous: Sequence[MonthOutcome],
    month: Month,
    agent_id: str,
    condition: Callable[[AgentOutcome], bool],
) -> int:
    """Months in a row right before `month` in which the agent met the condition."""
    by_month = {outcome.month: outcome for outcome in previous}
    run, cursor = 0, month.previous()
    while cursor in by_month and agent_id in by_month[cursor].agents:
        if not condition(by_month[cursor].agents[agent_id]):
            break
        run += 1
        cursor = cursor.previous()
    return run


def _linked(entries: Sequence[PointEntry]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    facts: dict[str, None] = {}
    incidents: dict[str, None] = {}
    for entry in entries:
        facts.update(dict.fromkeys(entry.fact_ids))
        incidents.update(dict.fromkeys(entry.incident_ids))
    return tuple(facts), tuple(incidents)
