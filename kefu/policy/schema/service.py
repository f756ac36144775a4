"""响应: chat service levels and the marketplace service scores (docs: /work/shared/KPI.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from kefu.policy.schema.base import (
    Clock,
    PositiveInt,
    Problems,
    Rate,
    Rule,
    StrictModel,
    clock_minutes,
)

PlatformScoreKind = Literal["taobao_3min", "jd_30s", "pdd_valid_reply", "douyin_3min"]


class Response(Rule):
    slow_round_seconds: PositiveInt
    """A round answered later than this is slow (S1: 120 s, "2分钟")."""
    unanswered_minutes: list[PositiveInt] = Field(default_factory=list)
    """Waits without a human answer that are facts of their own, shortest first
    (S1: 30 and 120 minutes)."""
    idle_online_minutes: PositiveInt | None = None
    """Online but away from the desk 空挂 this long is a fact (S1: 120)."""
    long_conversation_minutes: PositiveInt = 30
    """A conversation longer than this counts as long 长接待 (KPI.md; no seed states it)."""

    @model_validator(mode="after")
    def _increasing(self) -> Response:
        problems = Problems()
        for index in range(1, len(self.unanswered_minutes)):
            if self.unanswered_minutes[index] <= self.unanswered_minutes[index - 1]:
                problems.add(("unanswered_minutes", index), "must be longer than the one before")
        problems.raise_if_any()
        return self


class NightFirstResponse(Rule):
    seconds: PositiveInt
    """On a night shift the first response comes within this many seconds (S4.4: 60)."""


class Conduct(Rule):
    auto_reply_counts: bool = False
    """An auto-reply counts as a response (S1 says it does not)."""
    auto_reply_required: bool = False
    """The sub-account must have an auto-reply set (S2, S4.4)."""
    no_transfer_mid_conversation: bool = False
    """A buyer is not handed to another agent mid-conversation (S2, S4.4)."""
    hang_up_when_away: bool = False
    """Away from the desk without the 挂起 status is not allowed (S4.3, S4.4)."""
    invisible_forbidden: bool = False
    """Invisible mode 隐身 is not allowed (S4.3, S4.4)."""


class PlatformScore(Rule):
    kind: PlatformScoreKind
    """Which marketplace score: taobao_3min (3分钟人工响应率), jd_30s (咚咚30秒应答率),
    pdd_valid_reply (有效回复率), douyin_3min (飞鸽3分钟人工回复率)."""
    window: tuple[Clock, Clock]
    """Rounds starting inside this local window count (Taobao default 08:00-23:00)."""
    target: Rate
    """The score to reach, as a fraction ("0.90")."""
    min_rounds: int = Field(default=0, ge=0, strict=True)
    """Shops with fewer rounds in the period are exempt (Taobao: 100)."""
    days: PositiveInt = 30
    """Length of the rolling period in days."""

    @model_validator(mode="after")
    def _window(self) -> PlatformScore:
        if clock_minutes(self.window[1]) <= clock_minutes(self.window[0]):
            raise ValueError(
                f"the window ends before it starts ({self.window[0]}-{self.window[1]})"
            )
        return self


class ServiceLevels(StrictModel):
    conduct: Conduct
    """What counts as a response and how an agent must appear online."""
    response: Response
    """Slow, unanswered and idle thresholds."""
    night_first_response: NightFirstResponse | None = None
    """Night-shift first-response limit, if the regime has one."""
    platform_scores: list[PlatformScore] = Field(default_factory=list)
    """Marketplace service scores the shop is measured by."""

    @model_validator(mode="after")
    def _one_per_kind(self) -> ServiceLevels:
        problems = Problems()
        seen: set[str] = set()
        for index, score in enumerate(self.platform_scores):
            if score.kind in seen:
                problems.add(("platform_scores", index, "kind"), f"{score.kind} appears twice")
            seen.add(score.kind)
        problems.raise_if_any()
        return self
