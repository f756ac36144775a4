"""Facts for the points-and-fines rules, each with its round as evidence.

- `slow_round` 应答超时: an answered round (not a left message 留言) whose response took longer than
  service_levels.response.slow_round_seconds (S1: 120 s); the fact is the answering agent's.
- `unanswered_30min` / `unanswered_2h` (one per service_levels.response.unanswered_minutes): a
  round, not a left message, whose buyer waited at least that long for a human answer, answered
  late or not at all (measured up to the data's `as_of`); the fact is the credited agent's (the
  one who answered, else the one holding the buyer). A 2-hour wait is both facts: S1 adds them up.
- `night_first_response_slow`: on a night shift, an agent's first response to a buyer that day
  (the first round credited to the agent) took longer than service_levels.night_first_response
  .seconds (S4.4: 60 s). "On a night shift" is: the round started inside a night shift's hours
  and, when a roster of night shifts is given, the agent was on one that date (FACTS:
  晚班首次响应超时).

Each row: shop_id, agent_id, date (local date the round started), fact, label, clause, buyer_id,
round_start, round_end (UTC; null if never answered), wait_s and threshold_s.
"""

from __future__ import annotations

import polars as pl

from kefu.conversations.kpi.rounds import Conversations
from kefu.conversations.kpi.settings import KpiSettings
from kefu.policy.schema.vocab import FACTS

UNANSWERED_FACTS = {30: "unanswered_30min", 120: "unanswered_2h"}
NIGHT_FACT = "night_first_response_slow"
FACT_COLUMNS = (
    "shop_id",
    "agent_id",
    "date",
    "fact",
    "label",
    "clause",
    "buyer_id",
    "round_start",
    "round_end",
    "wait_s",
    "threshold_s",
)


def unanswered_fact(minutes: int) -> str:
    return UNANSWERED_FACTS.get(minutes, f"unanswered_{minutes}min")


def _rows(
    frame: pl.DataFrame | pl.LazyFrame,
    conv: Conversations,
    *,
    fact: str,
    clause: str,
    threshold: int,
    start: pl.Expr,
    end: pl.Expr,
    wait: pl.Expr,
) -> pl.LazyFrame:
    layout = conv.layout

    def utc(seconds: pl.Expr) -> pl.Expr:
        return (seconds * 1_000_000).cast(pl.Datetime("us", "UTC"))

    return frame.lazy().select(
        layout.shop(pl.col("key")).alias("shop_id"),
        pl.col("agent").alias("agent_id"),
        pl.col("day").cast(pl.Date).alias("date"),
        pl.lit(fact).alias("fact"),
        pl.lit(FACTS.get(fact, "")).alias("label"),
        pl.lit(clause).alias("clause"),
        layout.buyer(pl.col("key")).alias("buyer_id"),
        utc(start).alias("round_start"),
        utc(end).alias("round_end"),
        wait.cast(pl.Int64).alias("wait_s"),
        pl.lit(threshold, pl.Int64).alias("threshold_s"),
    )


def _in_night(minute: pl.Expr, windows: tuple[tuple[int, int], ...]) -> pl.Expr:
    inside = pl.lit(False)
    for start, end in windows:
        # A part ending after midnight (end > 1440) also covers the next morning's minutes.
        inside = inside | ((minute >= start) & (minute < end))
        inside = inside | ((minute + 1440 >= start) & (minute + 1440 < end))
    return inside


def facts(
    conv: Conversations,
    abd: pl.DataFrame,
    settings: KpiSettings,
    *,
    night_roster: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Every fact of the period: slow rounds, then each unanswered wait, then night first
    responses, each in round order (shop, buyer, time)."""
    rounds = conv.rounds.lazy().filter(~pl.col("left") & pl.col("agent").is_not_null())
    parts = [
        _rows(
            rounds.filter(
                pl.col("answered")
                & ((pl.col("end") - pl.col("start")) > settings.slow_round_seconds)
            ),
            conv,
            fact="slow_round",
            clause=settings.response_clause,
            threshold=settings.slow_round_seconds,
            start=pl.col("start"),
            end=pl.col("end"),
            wait=pl.col("wait"),
        )
    ]
    for minutes in settings.unanswered_minutes:
        parts.append(
            _rows(
                rounds.filter(pl.col("wait") >= minutes * 60),
                conv,
                fact=unanswered_fact(minutes),
                clause=settings.response_clause,
                threshold=minutes * 60,
                start=pl.col("start"),
                end=pl.col("end"),
                wait=pl.col("wait"),
            )
        )
    limit = settings.night_first_response_seconds
    if limit is not None and settings.night_windows:
        minute = conv.clock.second_of_day(pl.col("conv_start")) // 60
        night = abd.lazy().filter(
            pl.col("agent").is_not_null()
            & (pl.col("first_rt") > limit)
            & _in_night(minute, settings.night_windows)
        )
        if night_roster is not None:
            roster = night_roster.lazy().select(
                "shop_id", pl.col("agent_id").alias("agent"), pl.col("date").cast(pl.Date)
            )
            night = (
                night.with_columns(
                    shop_id=conv.layout.shop(pl.col("key")), date=pl.col("day").cast(pl.Date)
                )
                .join(roster, on=["shop_id", "agent", "date"], how="semi")
                .drop("shop_id", "date")
            )
        parts.append(
            _rows(
                night,
                conv,
                fact=NIGHT_FACT,
                clause=settings.night_clause,
                threshold=limit,
                start=pl.col("conv_start"),
                end=pl.col("conv_start") + pl.col("first_rt"),
                wait=pl.col("first_rt"),
            )
        )
    # Kept in the order built (fact by fact, rounds in key order): sorting 10^5-10^6 rows on five
    # columns would cost more than everything else here; callers group by agent and month.
    return pl.concat(pl.collect_all(parts)).select(FACT_COLUMNS)
