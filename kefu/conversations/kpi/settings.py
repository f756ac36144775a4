"""The narrow policy view the KPI engine reads: `KpiSettings`, built by `kpi_settings(policy)`.

The engine never sees the pydantic `Policy`: a frozen dataclass of plain values keeps it easy to
test (a test states exactly the thresholds it needs) and makes plain which policy keys a KPI
depends on. Values that the policy schema has no key for carry a documented Kefu default and are
listed in docs/kpi.md ("Kefu defaults").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from kefu.policy.schema import PlatformScore, Policy, clock_minutes

ScoreKind = Literal["taobao_3min", "jd_30s", "pdd_valid_reply", "douyin_3min"]
AttributionMode = Literal["order", "order_first", "payment"]
RefundReason = Literal["quality", "buyer_whim", "poor_service", "other"]

# The limit is part of what each marketplace score *is* (its name says "3 minutes", "30 seconds",
# "1 hour"), not a shop's choice, so it lives with the kind rather than in the policy.
SCORE_LIMIT_SECONDS: dict[str, int] = {
    "taobao_3min": 180,
    "jd_30s": 30,
    "pdd_valid_reply": 3600,
    "douyin_3min": 180,
}

# Which refund reason each policy deduction takes out of an agent's results.
DEDUCTION_REASONS: dict[str, str] = {
    "return_buyer_whim": "buyer_whim",
    "return_poor_service": "poor_service",
}


@dataclass(frozen=True)
class ScoreSettings:
    """One marketplace score from `service_levels.platform_scores`."""

    kind: ScoreKind
    window: tuple[int, int]
    """Local window in minutes from midnight, [start, end): rounds starting inside count."""
    target: Decimal
    min_rounds: int = 0
    days: int = 30
    clause: str = ""

    @property
    def limit_seconds(self) -> int:
        return SCORE_LIMIT_SECONDS[self.kind]


@dataclass(frozen=True)
class KpiSettings:
    """Every threshold and window the engine applies. Defaults are S1's (taobao-s1 preset)."""

    timezone: str = "Asia/Shanghai"
    auto_reply_counts: bool = False
    """service_levels.conduct.auto_reply_counts: an auto-reply ends a round."""
    slow_round_seconds: int = 120
    """service_levels.response.slow_round_seconds: a round answered later is slow."""
    unanswered_minutes: tuple[int, ...] = (30, 120)
    """service_levels.response.unanswered_minutes: waits that are facts of their own."""
    long_conversation_minutes: int = 30
    """service_levels.response.long_conversation_minutes: 长接待."""
    response_clause: str = ""
    night_first_response_seconds: int | None = None
    """service_levels.night_first_response.seconds (S4.4: 60); None: no such rule."""
    night_windows: tuple[tuple[int, int], ...] = ()
    """Local minutes of the night shifts' parts (schedule.shifts with night: true); an end
    after 1440 runs into the next day."""
    night_clause: str = ""
    scores: tuple[ScoreSettings, ...] = ()
    attribution_mode: AttributionMode = "order"
    inquiry_window_days: int = 2
    """attribution.inquiry_window_days, counting the inquiry day (2: that day or the next)."""
    flag_owner_wins: bool = False
    chase_after_unpaid_hours: int | None = None
    deductions: frozenset[str] = field(default_factory=frozenset)
    silent_follow_up_minutes: int | None = None
    after_sales_window_days: int = 15
    payment_buffer_days: int = 7
    offline_minutes: int = 60
    """Kefu default (no policy key): an agent who sent no message in this many minutes before
    a chase is offline, so the chase may take the order (S1)."""
    excluded_flag_colours: frozenset[str] = field(default_factory=frozenset)
    """Kefu default (no policy key yet): flag colours whose orders earn nobody credit."""
    attribution_clause: str = ""


def _score(raw: PlatformScore) -> ScoreSettings:
    return ScoreSettings(
        kind=raw.kind,
        window=(clock_minutes(raw.window[0]), clock_minutes(raw.window[1])),
        target=raw.target,
        min_rounds=raw.min_rounds,
        days=raw.days,
        clause=raw.clause,
    )


def kpi_settings(policy: Policy) -> KpiSettings:
    """The KPI engine's view of a shop's policy."""
    levels = policy.service_levels
    attribution = policy.attribution
    night = levels.night_first_response
    windows = tuple(
        span
        for name in policy.schedule.night_shifts()
        for span in policy.schedule.shifts[name].spans()
    )
    return KpiSettings(
        timezone=policy.shop.timezone,
        auto_reply_counts=levels.conduct.auto_reply_counts,
        slow_round_seconds=levels.response.slow_round_seconds,
        unanswered_minutes=tuple(levels.response.unanswered_minutes),
        long_conversation_minutes=levels.response.long_conversation_minutes,
        response_clause=levels.response.clause,
        night_first_response_seconds=night.seconds if night is not None else None,
        night_windows=windows if night is not None else (),
        night_clause=night.clause if night is not None else "",
        scores=tuple(_score(score) for score in levels.platform_scores),
        attribution_mode=attribution.mode,
        inquiry_window_days=attribution.inquiry_window_days,
        flag_owner_wins=attribution.flag_owner_wins,
        chase_after_unpaid_hours=attribution.chase_after_unpaid_hours,
        deductions=frozenset(attribution.deductions),
        silent_follow_up_minutes=attribution.silent_order_follow_up_minutes,
        after_sales_window_days=attribution.after_sales_window_days,
        payment_buffer_days=attribution.payment_buffer_days,
        attribution_clause=attribution.clause,
    )
