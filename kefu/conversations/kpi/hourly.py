"""Hourly buckets 分时接待 and the most buyers waiting on an agent at once 最大同时接待.

Hourly: rounds are counted in the local hour they started, per (shop, agent, date, hour) and
per (shop, date, hour); the shop frame always has the 24 buckets hour 0..23 of every date.
Distinct buyers per hour come from runs of consecutive rounds (`segments`), not from a
count-distinct per group.

Concurrency: every answered round that is not a left message is an interval [start, end) during
which its buyer waits on the agent credited with it. Start (+1) and end (-1) events are packed
into one UInt64 per event, (shop, agent, time, start bit), sorted once, and a running sum gives
the number waiting after each event; the maximum at start events per local date is the KPI. An
end at the same second as a start sorts first (a half-open interval), and since each agent's
events add up to zero the running sum needs no reset between agents.
"""

from __future__ import annotations

import polars as pl

from kefu.conversations.kpi.keys import dense_index, low_bits, shl, shr
from kefu.conversations.kpi.rounds import Conversations
from kefu.conversations.kpi.segments import merge_repeats, reduce_runs, run_starts
from kefu.conversations.kpi.settings import KpiSettings


def max_concurrency(conv: Conversations) -> pl.DataFrame:
    """max_concurrency per (shop_id, agent_id, day)."""
    layout = conv.layout
    timed = conv.rounds.filter(pl.col("answered") & ~pl.col("left"))
    if timed.is_empty():
        return pl.DataFrame(
            schema={
                "shop_id": pl.Int64(),
                "agent_id": pl.Int64(),
                "day": pl.Int32(),
                "max_concurrency": pl.Int64(),
            }
        )
    agents = timed.get_column("agent").unique().sort()
    agent_bits = max(1, agents.len().bit_length())
    if layout.shop_bits + agent_bits + max(layout.t_bits + 1, 16) > 64:
        raise ValueError("too many agents for one packed event key: compute fewer shops")
    prefix = shl(layout.key_shop_index(pl.col("key")), agent_bits) | dense_index(
        agents, pl.col("agent")
    )
    head = shl(prefix, layout.t_bits + 1)
    events = pl.concat(
        [
            timed.select(
                (head | shl(pl.col("start") - layout.t0, 1) | pl.lit(1, pl.UInt64)).alias("e")
            ),
            timed.select((head | shl(pl.col("end") - layout.t0, 1)).alias("e")),
        ]
    ).get_column("e")
    at = low_bits(shr(pl.col("e"), 1), layout.t_bits).cast(pl.Int64) + layout.t0
    start_bit = low_bits(pl.col("e"), 1)
    day0 = int(timed.get_column("day").min())  # type: ignore[arg-type]
    # One UInt64 group key, (shop, agent) then the day, instead of a two-column group-by.
    group = shl(shr(pl.col("e"), layout.t_bits + 1), 16) | (conv.clock.day(at) - day0).cast(
        pl.UInt64
    )
    out = (
        events.sort()
        .to_frame("e")
        .lazy()
        .with_columns(running=(start_bit.cast(pl.Int64) * 2 - 1).cum_sum())
        .filter(start_bit == 1)
        # Events are in (shop, agent, time) order, so (shop, agent, day) groups are already
        # consecutive: flagged sorted, the group-by slices instead of hashing.
        .with_columns(group.alias("g").set_sorted())
        .group_by("g", maintain_order=True)
        .agg(pl.col("running").max().alias("max_concurrency"))
        .collect()
    )
    prefix = shr(pl.col("g"), 16)
    return out.select(
        layout.shop_id(shr(prefix, agent_bits)).alias("shop_id"),
        pl.lit(agents).gather(low_bits(prefix, agent_bits)).alias("agent_id"),
        (low_bits(pl.col("g"), 16).cast(pl.Int32) + day0).alias("day"),
        "max_concurrency",
    )


HOUR_SUMS = ("answered", "left", "timed", "rt", "slow")


def _hour_rounds(conv: Conversations, settings: KpiSettings) -> pl.DataFrame:
    timed = pl.col("answered") & ~pl.col("left")
    rt = pl.when(timed).then(pl.col("end") - pl.col("start"))
    return conv.rounds.select(
        "key",
        "day",
        "agent",
        (pl.col("second_of_day") // 3600).cast(pl.Int8).alias("hour"),
        pl.col("answered").cast(pl.Int64),
        pl.col("left").cast(pl.Int64),
        timed.cast(pl.Int64).alias("timed"),
        rt.alias("rt"),
        (rt > settings.slow_round_seconds).fill_null(False).cast(pl.Int64).alias("slow"),
    )


def _hour_runs(conv: Conversations, settings: KpiSettings) -> pl.DataFrame:
    """Runs of consecutive rounds of one buyer, day, hour and agent, in key order."""
    layout = conv.layout
    return reduce_runs(
        _hour_rounds(conv, settings),
        [layout.thread(pl.col("key")), pl.col("day"), pl.col("hour"), pl.col("agent")],
        firsts={name: pl.col(name) for name in ("key", "day", "hour", "agent")},
        sums={name: pl.col(name) for name in HOUR_SUMS},
    )


def _hour_counts() -> list[pl.Expr]:
    return [
        pl.len().alias("consulted"),
        (pl.col("answered") > 0).sum().alias("served"),
        pl.col("rows").sum().alias("rounds"),
        pl.col("answered").sum().alias("answered_rounds"),
        pl.col("left").sum().alias("left_rounds"),
        pl.col("rt").sum().alias("response_total_s"),
        pl.col("timed").sum().alias("response_count"),
        pl.col("slow").sum().alias("slow_rounds"),
    ]


def hourly(conv: Conversations, settings: KpiSettings) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(agent_hour, shop_hour): counts per local start hour; shop_hour has all 24 buckets."""
    layout = conv.layout
    shop = layout.shop(pl.col("key")).alias("shop_id")
    runs = _hour_runs(conv, settings)
    group = [layout.thread(pl.col("key")), pl.col("day"), pl.col("hour")]
    # Shop: a buyer-hour's agent runs are consecutive, so its first run counts the buyer once;
    # among the answered runs (still in order) the first of each buyer-hour counts it as served.
    counts = _hour_counts()
    by = [shop, pl.col("day"), pl.col("hour")]
    all_runs, answered = pl.collect_all(
        [
            runs.lazy()
            .with_columns(_first=run_starts(group))
            .group_by(by)
            .agg(pl.col("_first").sum().alias("consulted"), *counts[2:]),
            runs.lazy()
            .filter(pl.col("answered") > 0)
            .with_columns(_first=run_starts(group))
            .group_by(by)
            .agg(pl.col("_first").sum().alias("served")),
        ]
    )
    shop_hour = all_runs.join(answered, on=["shop_id", "day", "hour"], how="left").with_columns(
        pl.col("served").fill_null(0)
    )
    agent_hour = (
        merge_repeats(
            runs,
            group,
            "agent",
            firsts=["key", "day", "hour", "agent"],
            lasts=[],
            sums=[*HOUR_SUMS, "rows"],
        )
        .lazy()
        .filter(pl.col("agent").is_not_null())
        .group_by(shop, pl.col("agent").alias("agent_id"), "day", "hour")
        .agg(counts)
        .collect()
    )
    grid = (
        shop_hour.select("shop_id", "day")
        .unique()
        .join(pl.DataFrame({"hour": pl.int_range(0, 24, eager=True).cast(pl.Int8)}), how="cross")
    )
    shop_hour = grid.join(shop_hour, on=["shop_id", "day", "hour"], how="left")
    filled = [c for c in shop_hour.columns if c not in ("shop_id", "day", "hour")]
    shop_hour = shop_hour.with_columns(pl.col(filled).fill_null(0))

    def finish(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
        return (
            frame.with_columns(
                pl.col("day").cast(pl.Date).alias("date"),
                pl.when(pl.col("response_count") > 0)
                .then(pl.col("response_total_s") / pl.col("response_count"))
                .alias("avg_response_s"),
            )
            .select(*keys, *(c for c in frame.columns if c not in (*keys, "day")), "avg_response_s")
            .sort(keys)
        )

    return (
        finish(agent_hour, ["shop_id", "agent_id", "date", "hour"]),
        finish(shop_hour, ["shop_id", "date", "hour"]),
    )
