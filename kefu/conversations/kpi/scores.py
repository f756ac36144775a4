"""The four marketplace service scores, per shop and local date, with the policy's windows and
targets (`service_levels.platform_scores`), plus each score's rolling period (`days`).

- taobao_3min 3分钟人工响应率: rounds answered within 180 s / rounds, counting rounds that start
  inside the window.
- jd_30s 30秒应答率: sessions answered within 30 s / sessions. A session is a buyer's first
  round of the local day; sessions starting outside the window (JD: 23:00-09:00 excluded) and
  left messages 留言 (nobody online) are not counted. `avg_response_s` is JD's 平均响应时长:
  the mean response time of the answered, non-left rounds starting in the window.
- pdd_valid_reply 有效回复率: (buyers - buyers with a round unanswered or answered after 3600 s)
  / buyers, each buyer counted once a day, over rounds starting in the window.
- douyin_3min 3分钟人工回复率: buyer messages answered within 180 s / buyer messages sent inside
  the window; a message's wait runs to the response that ended its round.

What ends a round (and so "answers" it) is the policy's `auto_reply_counts`, the same for every
score. The limits in seconds belong to the score kinds (`settings.SCORE_LIMIT_SECONDS`).
"""

from __future__ import annotations

import polars as pl

from kefu.conversations.kpi.keys import DAY
from kefu.conversations.kpi.rounds import Conversations
from kefu.conversations.kpi.segments import reduce_runs, run_starts
from kefu.conversations.kpi.settings import KpiSettings, ScoreSettings

SCORE_COLUMNS = (
    "shop_id",
    "date",
    "kind",
    "numerator",
    "denominator",
    "rate",
    "avg_response_s",
    "period_numerator",
    "period_denominator",
    "period_rate",
    "target",
    "exempt",
    "meets_target",
    "clause",
)


def _inside(seconds_of_day: pl.Expr, score: ScoreSettings) -> pl.Expr:
    start, end = score.window
    return (seconds_of_day >= start * 60) & (seconds_of_day < end * 60)


def _daily(conv: Conversations, score: ScoreSettings) -> pl.LazyFrame:
    """numerator, denominator (and avg_response_s) per (shop_id, day) for one score."""
    layout = conv.layout
    limit = score.limit_seconds
    rounds = conv.rounds.lazy().filter(_inside(pl.col("second_of_day"), score))
    shop = layout.shop(pl.col("key")).alias("shop_id")
    response = pl.col("end") - pl.col("start")
    within = pl.col("answered") & (response <= limit)
    if score.kind == "taobao_3min":
        return rounds.group_by(shop, "day").agg(
            within.sum().alias("numerator"), pl.len().alias("denominator")
        )
    if score.kind == "jd_30s":
        timed = pl.col("answered") & ~pl.col("left")
        # The first round of each buyer-day over ALL rounds (not only those in the window):
        # a session that started at 08:50 stays outside even if the buyer writes again at 10:00.
        first = conv.rounds.lazy().with_columns(
            _first=run_starts([layout.thread(pl.col("key")), pl.col("day")])
        )
        sessions = first.filter(
            pl.col("_first") & ~pl.col("left") & _inside(pl.col("second_of_day"), score)
        )
        counts = sessions.group_by(shop, "day").agg(
            within.sum().alias("numerator"), pl.len().alias("denominator")
        )
        mean = rounds.group_by(shop, "day").agg(
            pl.when(timed).then(response).mean().alias("avg_response_s")
        )
        return counts.join(mean, on=["shop_id", "day"], how="full", coalesce=True)
    if score.kind == "pdd_valid_reply":
        bad = (~pl.col("answered") | (response > limit)).cast(pl.Int64)
        buyers = reduce_runs(
            rounds.with_columns(_bad=bad),
            [layout.thread(pl.col("key")), pl.col("day")],
            firsts={"key": pl.col("key"), "day": pl.col("day")},
            sums={"bad": pl.col("_bad")},
        ).lazy()
        return buyers.group_by(shop, "day").agg(
            (pl.col("bad") == 0).sum().alias("numerator"), pl.len().alias("denominator")
        )
    waits = conv.message_waits
    if waits is None:
        raise ValueError("douyin_3min needs the message waits: build_conversations(...)")
    clock = conv.clock
    local = pl.col("local")
    return (
        waits.lazy()
        .with_columns(local=clock.local(pl.col("at")))  # one offset lookup for both uses
        .filter(_inside((local % DAY).cast(pl.Int32), score))
        .group_by("shop_id", (local // DAY).cast(pl.Int32).alias("day"))
        .agg((pl.col("wait") <= limit).sum().alias("numerator"), pl.len().alias("denominator"))
    )


def platform_scores(conv: Conversations, settings: KpiSettings) -> pl.DataFrame:
    """One row per (shop_id, date, kind) for each score in the policy."""
    frames = []
    for score in settings.scores:
        daily = _daily(conv, score)
        if "avg_response_s" not in daily.collect_schema().names():
            daily = daily.with_columns(pl.lit(None, pl.Float64).alias("avg_response_s"))
        period = f"{score.days}d"
        frames.append(
            daily.with_columns(
                pl.col("day").cast(pl.Date).alias("date"),
                pl.lit(score.kind).alias("kind"),
                pl.col("numerator").cast(pl.Int64),
                pl.col("denominator").cast(pl.Int64),
            )
            .sort("shop_id", "date")
            .with_columns(
                pl.col("numerator")
                .rolling_sum_by("date", period)
                .over("shop_id")
                .alias("period_numerator"),
                pl.col("denominator")
                .rolling_sum_by("date", period)
                .over("shop_id")
                .alias("period_denominator"),
            )
            .with_columns(
                pl.when(pl.col("denominator") > 0)
                .then(pl.col("numerator") / pl.col("denominator"))
                .alias("rate"),
                pl.when(pl.col("period_denominator") > 0)
                .then(pl.col("period_numerator") / pl.col("period_denominator"))
                .alias("period_rate"),
                pl.lit(float(score.target)).alias("target"),
                (pl.col("period_denominator") < score.min_rounds).alias("exempt"),
                pl.lit(score.clause).alias("clause"),
            )
            .with_columns(
                pl.when(~pl.col("exempt"))
                .then(pl.col("period_rate") >= float(score.target))
                .alias("meets_target")
            )
            .select(SCORE_COLUMNS)
        )
    if not frames:
        return pl.DataFrame(schema=_empty_schema())
    return pl.concat(pl.collect_all(frames)).sort("shop_id", "date", "kind")


def _empty_schema() -> dict[str, pl.DataType]:
    return {
        "shop_id": pl.Int64(),
        "date": pl.Date(),
        "kind": pl.String(),
        "numerator": pl.Int64(),
        "denominator": pl.Int64(),
        "rate": pl.Float64(),
        "avg_response_s": pl.Float64(),
        "period_numerator": pl.Int64(),
        "period_denominator": pl.Int64(),
        "period_rate": pl.Float64(),
        "target": pl.Float64(),
        "exempt": pl.Boolean(),
        "meets_target": pl.Boolean(),
        "clause": pl.String(),
    }
