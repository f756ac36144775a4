"""Monthly awards 奖励 by the policy, from plain per-agent figures. Pure: no Django.

- `top_by_team_size` (S0): the places paid depend on the team's size (<= 4: 100; 5-6: 100, 50;
  >= 7: 200, 100, 50).
- `top` (S0 best service language; S4.3 top sales, top conversion, top overall score).
- `full_attendance` (S4.3): every agent whose month is full attendance
  (kefu.performance.attendance_month: the attendance app's verdict, else the facts).
- `consecutive_first` (S4.5): first place several months running; the award is paid in the
  month the run reaches a ladder step (3 months 100, 6 months 200, and with `continues` on in
  the same steps: 9 months 300 ...). The run is read from the previous months' outcomes.

Choices the policy does not state (reported as schema gaps):
- Only a value above zero ranks (no award for the "best" of nobody's sales).
- Agents tied on a value share their places: the amounts of the places they occupy are added
  and split evenly to the fen (largest remainder), so a tie never pays more than the policy's
  amounts. Every tied agent counts as first for a consecutive-first run.
- A probationer without bonus (`pay.probation.bonus: false`) is not ranked and wins nothing;
  the next agent takes the place.
- Awards stack unless `awards.stacking.stackable` is false; then an agent keeps the largest."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from kefu.performance.attendance_month import AttendanceRecord, full_attendance_met
from kefu.performance.engine import Month, require_decimal, split_exact
from kefu.performance.engine.text import cited, plain, yuan
from kefu.policy.describe_text import FULL_ATTENDANCE, METRIC, percent
from kefu.policy.schema import (
    ConsecutiveFirst,
    FullAttendanceAward,
    Policy,
    Top,
    TopByTeamSize,
)
from kefu.policy.schema.awards import Metric, OverallScoreWeights

METRICS: tuple[Metric, ...] = (
    "sales",
    "conversion",
    "overall_score",
    "service_language",
    "evaluation_score",
)


@dataclass(frozen=True)
class AgentFigures:
    """One agent's month, as the awards rank it."""

    agent_id: str
    sales: Decimal = Decimal(0)
    """Attributed sales 销售额 (CNY)."""
    conversion: Decimal | None = None
    """Inquiry conversion 询单转化率, a fraction (0.35)."""
    overall_score: Decimal | None = None
    """S4.3's overall score (conversion, payment rate, response speed, tone)."""
    service_language: Decimal | None = None
    """Service-language score from the quality checks."""
    evaluation_score: Decimal | None = None
    """The month's evaluation score (the month rules' `AgentOutcome.score`)."""
    attendance: AttendanceRecord = field(default_factory=AttendanceRecord)
    on_probation: bool = False

    def __post_init__(self) -> None:
        require_decimal(self.sales, f"{self.agent_id}.sales")
        for metric in METRICS[1:]:
            require_decimal(getattr(self, metric), f"{self.agent_id}.{metric}", optional=True)

    def value(self, metric: str) -> Decimal | None:
        value: Decimal | None = getattr(self, metric)
        return value


SERVICE_LANGUAGE_FACT = "quality_hit_confirmed"


def service_language_score(*, confirmed_hits: int, answered_rounds: int) -> Decimal | None:
    """S0's 最佳服务用语, as Kefu measures it: the share of the agent's answered rounds
    without a confirmed language violation (1 - hits / rounds, at least 0). The seed names the
    award, not the measure; docs/payroll.md says so. No answered round: not ranked."""
    if answered_rounds <= 0:
        return None
    return max(Decimal(0), 1 - Decimal(confirmed_hits) / Decimal(answered_rounds))


def overall_score(
    *,
    conversion: Decimal | None,
    payment_rate: Decimal | None,
    fast_rate: Decimal | None,
    service_language: Decimal | None,
    weights: OverallScoreWeights | None = None,
) -> Decimal | None:
    """S4.3's 综合评分 "by conversion, payment rate, response speed and tone": the weighted sum of
    the four, each a fraction of 1 (inquiry conversion, paid / ordered, the 3-minute response
    rate, the service-language score), by `awards.overall_score` of the policy; without it the
    plain mean (the seed gives no weights, so none is favoured). An agent missing any of the
    four is not ranked."""
    parts = (conversion, payment_rate, fast_rate, service_language)
    if conversion is None or payment_rate is None or fast_rate is None or service_language is None:
        return None
    if weights is None:
        return (conversion + payment_rate + fast_rate + service_language) / Decimal(len(parts))
    return (
        weights.conversion * conversion
        + weights.payment_rate * payment_rate
        + weights.response_speed * fast_rate
        + weights.service_language * service_language
    )


@dataclass(frozen=True)
class AwardEntry:
    agent_id: str
    kind: str
    amount: Decimal
    clause: str
    rule: str
    """Path of the award in the policy, e.g. `awards.items.0`."""
    explanation: str
    metric: str | None = None
    place: int | None = None
    value: Decimal | None = None
    fact_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class AwardOutcome:
    month: Month
    entries: tuple[AwardEntry, ...]
    firsts: Mapping[str, tuple[str, ...]]
    """Per metric, the agents in first place this month (for later consecutive-first runs)."""

    def for_agent(self, agent_id: str) -> tuple[AwardEntry, ...]:
        return tuple(entry for entry in self.entries if entry.agent_id == agent_id)

    def total(self, agent_id: str) -> Decimal:
        return sum((entry.amount for entry in self.for_agent(agent_id)), Decimal(0))


def _shown(metric: str, value: Decimal) -> str:
    if metric == "sales":
        return yuan(value)
    if metric == "conversion":
        return percent(value)
    return f"{plain(value)}分"


def _groups(figures: Sequence[AgentFigures], metric: str) -> list[list[AgentFigures]]:
    """Agents with a value above zero, best first, tied agents together."""
    ranked = sorted(
        (f for f in figures if (f.value(metric) or Decimal(0)) > 0),
        key=lambda f: -(f.value(metric) or Decimal(0)),
    )
    groups: list[list[AgentFigures]] = []
    for figure in ranked:
        if groups and groups[-1][0].value(metric) == figure.value(metric):
            groups[-1].append(figure)
        else:
            groups.append([figure])
    return groups


def _places(
    figures: Sequence[AgentFigures],
    metric: str,
    amounts: Sequence[Decimal],
    *,
    kind: str,
    clause: str,
    rule: str,
    step: Decimal,
    context: str = "",
) -> list[AwardEntry]:
    out: list[AwardEntry] = []
    place = 0
    for group in _groups(figures, metric):
        paid = sum(amounts[place : place + len(group)], Decimal(0))
        if paid > 0:
            parts = split_exact(paid, {f.agent_id: Decimal(1) for f in group}, step=step)
            for figure in group:
                value = figure.value(metric) or Decimal(0)
                sentence = (
                    f"{context}本月{METRIC[metric]}第{place + 1}名（{_shown(metric, value)}）"
                )
                if len(group) > 1:
                    sentence += f"，{len(group)}人并列，名次奖金{yuan(paid)}平分"
                sentence += f"：奖励{yuan(parts[figure.agent_id])}"
                out.append(
                    AwardEntry(
                        agent_id=figure.agent_id,
                        kind=kind,
                        amount=parts[figure.agent_id],
                        clause=clause,
                        rule=rule,
                        explanation=cited(sentence, clause),
                        metric=metric,
                        place=place + 1,
                        value=value,
                    )
                )
        place += len(group)
        if place >= len(amounts):
            break
    return out


def ladder_amount(award: ConsecutiveFirst, run: int) -> Decimal | None:
    """What a run of `run` months in first place earns this month, if anything."""
    for step in award.ladder:
        if run == step.months:
            return step.amount
    last = award.ladder[-1]
    if not award.continues or run <= last.months:
        return None
    if len(award.ladder) > 1:
        before = award.ladder[-2]
        spacing, increment = last.months - before.months, last.amount - before.amount
    else:
        spacing, increment = last.months, last.amount
    beyond, remainder = divmod(run - last.months, spacing)
    return last.amount + beyond * increment if remainder == 0 else None


def _run(previous: Sequence[AwardOutcome], month: Month, metric: str, agent_id: str) -> int:
    by_month = {outcome.month: outcome for outcome in previous}
    run, cursor = 0, month.previous()
    while cursor in by_month and agent_id in by_month[cursor].firsts.get(metric, ()):
        run += 1
        cursor = cursor.previous()
    return run


def awards_compute(
    *,
    policy: Policy,
    month: Month,
    figures: Sequence[AgentFigures],
    team_size: int | None = None,
    previous: Sequence[AwardOutcome] = (),
) -> AwardOutcome:
    """The month's awards. `team_size` defaults to the number of agents given (probationers
    included: they are on the team); `previous` are earlier months' outcomes."""
    probation = policy.pay.probation
    eligible = [f for f in figures if not (f.on_probation and probation and not probation.bonus)]
    size = len(figures) if team_size is None else team_size
    step = policy.pay.rounding.to
    entries: list[AwardEntry] = []
    firsts: dict[str, tuple[str, ...]] = {
        metric: tuple(f.agent_id for f in groups[0])
        for metric in METRICS
        if (groups := _groups(eligible, metric))
    }
    for index, award in enumerate(policy.awards.items):
        rule = f"awards.items.{index}"
        match award:
            case TopByTeamSize():
                amounts = award.amounts_for(size)
                context = f"团队{size}人，"
                entries += _places(
                    eligible,
                    award.metric,
                    amounts,
                    kind=award.kind,
                    clause=award.clause,
                    rule=rule,
                    step=step,
                    context=context,
                )
            case Top():
                entries += _places(
                    eligible,
                    award.metric,
                    award.amounts,
                    kind=award.kind,
                    clause=award.clause,
                    rule=rule,
                    step=step,
                )
            case FullAttendanceAward():
                requires = policy.attendance.full_attendance.requires
                conditions = "、".join(FULL_ATTENDANCE[c] for c in requires)
                for figure in eligible:
                    if not full_attendance_met(policy, figure.attendance):
                        continue
                    basis = "考勤记录判定全勤" if figure.attendance.judged else f"无{conditions}"
                    sentence = f"本月全勤（{basis}）：奖励{yuan(award.amount)}"
                    entries.append(
                        AwardEntry(
                            figure.agent_id,
                            award.kind,
                            award.amount,
                            award.clause,
                            rule,
                            cited(sentence, award.clause),
                            fact_ids=figure.attendance.fact_ids,
                        )
                    )
            case ConsecutiveFirst():
                for agent_id in firsts.get(award.metric, ()):
                    run = 1 + _run(previous, month, award.metric, agent_id)
                    amount = ladder_amount(award, run)
                    if amount is None:
                        continue
                    sentence = f"连续{run}个月{METRIC[award.metric]}：奖励{yuan(amount)}"
                    entries.append(
                        AwardEntry(
                            agent_id,
                            award.kind,
                            amount,
                            award.clause,
                            rule,
                            cited(sentence, award.clause),
                            metric=award.metric,
                            place=1,
                        )
                    )
    stacking = policy.awards.stacking
    if stacking is not None and not stacking.stackable:
        entries = _largest_only(entries)
    return AwardOutcome(month=month, entries=tuple(entries), firsts=firsts)


def _largest_only(entries: list[AwardEntry]) -> list[AwardEntry]:
    best: dict[str, AwardEntry] = {}
    for entry in entries:
        if entry.agent_id not in best or entry.amount > best[entry.agent_id].amount:
            best[entry.agent_id] = entry
    return [entry for entry in entries if best[entry.agent_id] is entry]
