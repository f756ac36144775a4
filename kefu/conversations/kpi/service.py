"""Service KPIs per (shop, agent, local date) and per (shop, date): consulted, served (direct,
transferred in, out), inquiries, first and average response, slow, unanswered and long buyers,
answer ratio, reply rate.

Every "buyers with ..." count is a count of distinct buyers, so the rounds are first reduced to
one row per buyer-day (`buyer_days`) and per agent-buyer-day (`agent_buyer_days`) with
`segments.reduce_runs` (the rounds are already grouped by buyer and ordered by time), then
counted per agent-day with a small group-by (agents x days groups). A buyer who went back to
an agent after another (A, B, A) is merged into one row (`segments.merge_repeats`).

Response samples (first response, average response, slow) come from rounds that were answered
and are not left messages 留言. `first_response` of an agent-buyer-day is the response time of the
first round of that day credited to the agent; it has no sample when that round is a left
message or was never answered. A conversation (for 长接待 long and for the inquiry time) runs
from the first round's start, or from the answer when that round is a left message, to the last
round's answer (or start, if unanswered); it is counted per agent-buyer-day (and per buyer-day
for the shop).
"""

from __future__ import annotations

import polars as pl

from kefu.conversations.kpi.keys import KeyLayout
from kefu.conversations.kpi.rounds import Conversations
from kefu.conversations.kpi.segments import merge_repeats, reduce_runs, run_starts
from kefu.conversations.kpi.settings import KpiSettings

# Added up per buyer-day; `rounds` is the run length and unanswered = rounds - answered, so
# neither needs a cumulative sum of its own.
SUMS = ("answered", "timed", "rt_sum", "slow_rounds", "buyer_messages", "left_rounds")


def round_measures(settings: KpiSettings) -> dict[str, pl.Expr]:
    """Per-round measures the service KPIs add up."""
    timed = pl.col("answered") & ~pl.col("left")
    rt = pl.when(timed).then(pl.col("end") - pl.col("start"))
    return {
        "answered": pl.col("answered").cast(pl.Int64),
        "timed": timed.cast(pl.Int64),
        "rt_sum": rt,
        "slow_rounds": (rt > settings.slow_round_seconds).fill_null(False).cast(pl.Int64),
        "buyer_messages": pl.col("buyer_messages").cast(pl.Int64),
        "left_rounds": pl.col("left").cast(pl.Int64),
    }


def _per_round(conv: Conversations, settings: KpiSettings) -> pl.DataFrame:
    measures = round_measures(settings)
    return conv.rounds.select(
        "key",
        "day",
        "agent",
        measures["rt_sum"].alias("first_rt"),
        # A left message's conversation starts when an agent picks it up: the night's wait is
        # neither a long conversation nor the time of the inquiry.
        pl.when(pl.col("left"))
        .then(pl.coalesce("end", "start"))
        .otherwise("start")
        .alias("conv_start"),
        pl.coalesce("end", "start").alias("conv_end"),
        *(expr.alias(name) for name, expr in measures.items()),
    )


FIRSTS = ("key", "day", "first_rt", "conv_start")


def agent_runs(conv: Conversations, settings: KpiSettings) -> pl.DataFrame:
    """Runs of consecutive rounds of one buyer, day and credited agent, in key order: the
    common first step of `buyer_days` and `agent_buyer_days`."""
    layout = conv.layout
    return reduce_runs(
        _per_round(conv, settings),
        [layout.thread(pl.col("key")), pl.col("day"), pl.col("agent")],
        firsts={name: pl.col(name) for name in (*FIRSTS, "agent")},
        lasts={"conv_end": pl.col("conv_end")},
        sums={name: pl.col(name) for name in SUMS},
    ).rename({"rows": "rounds"})


def buyer_days(runs: pl.DataFrame, layout: KeyLayout) -> pl.DataFrame:
    """One row per (shop, buyer, local date) with a round, in key order (from `agent_runs`:
    a buyer-day's runs are consecutive, the first run holds its first round)."""
    return reduce_runs(
        runs,
        [layout.thread(pl.col("key")), pl.col("day")],
        firsts={name: pl.col(name) for name in FIRSTS},
        lasts={"conv_end": pl.col("conv_end")},
        sums={name: pl.col(name) for name in ("rounds", *SUMS)},
    ).drop("rows")


def agent_buyer_days(
    runs: pl.DataFrame, layout: KeyLayout, after_sales: pl.Series | None
) -> pl.DataFrame:
    """One row per (shop, buyer, local date, credited agent), not in any particular order.

    `after_sales` is the flag of each buyer-day (`buyer_days` order; None: no orders, so no
    after-sales consults); each run takes its buyer-day's flag by position, since the runs are
    in the same thread-then-day order."""
    group = [layout.thread(pl.col("key")), pl.col("day")]
    if after_sales is None:
        flag = pl.lit(False)
    else:
        flag = pl.lit(after_sales).gather(run_starts(group).cum_sum() - 1)
    return merge_repeats(
        runs.with_columns(after_sales=flag),
        group,
        "agent",
        firsts=[*FIRSTS, "agent", "after_sales"],
        lasts=["conv_end"],
        sums=["rounds", *SUMS],
    )


def _counts(settings: KpiSettings) -> list[pl.Expr]:
    long_seconds = settings.long_conversation_minutes * 60
    return [
        pl.len().alias("consulted"),
        (pl.col("answered") > 0).sum().alias("served"),
        ((pl.col("answered") > 0) & ~pl.col("after_sales")).sum().alias("inquiries"),
        pl.col("first_rt").sum().alias("first_response_total_s"),
        pl.col("first_rt").count().alias("first_response_count"),
        pl.col("rt_sum").sum().alias("response_total_s"),
        pl.col("timed").sum().alias("response_count"),
        (pl.col("slow_rounds") > 0).sum().alias("slow_buyers"),
        pl.col("slow_rounds").sum().alias("slow_rounds"),
        (pl.col("rounds") > pl.col("answered")).sum().alias("unanswered_buyers"),
        ((pl.col("conv_end") - pl.col("conv_start")) > long_seconds).sum().alias("long_buyers"),
        pl.col("rounds").sum().alias("rounds"),
        pl.col("answered").sum().alias("answered_rounds"),
        pl.col("left_rounds").sum().alias("left_rounds"),
        pl.col("buyer_messages").sum().alias("buyer_messages"),
    ]


def _ratios() -> list[pl.Expr]:
    def ratio(num: str, den: str) -> pl.Expr:
        return pl.when(pl.col(den) > 0).then(pl.col(num) / pl.col(den))

    return [
        ratio("first_response_total_s", "first_response_count").alias("first_response_s"),
        ratio("response_total_s", "response_count").alias("avg_response_s"),
        ratio("agent_messages", "buyer_messages").alias("answer_ratio"),
        ratio("served", "consulted").alias("reply_rate"),
    ]


def _transfers(conv: Conversations, abd: pl.DataFrame) -> pl.DataFrame:
    """transferred_in / transferred_out buyers and served_direct per (shop, agent, day)."""
    layout = conv.layout
    moves = conv.transfers
    incoming = moves.select("shop_id", "buyer_id", "day", pl.col("to_agent").alias("agent_id"))
    outgoing = moves.select("shop_id", "buyer_id", "day", pl.col("from_agent").alias("agent_id"))
    keys = ["shop_id", "agent_id", "day"]
    served = abd.filter(pl.col("answered") > 0).select(
        layout.shop(pl.col("key")).alias("shop_id"),
        layout.buyer(pl.col("key")).alias("buyer_id"),
        "day",
        pl.col("agent").alias("agent_id"),
    )
    served_in = served.join(incoming.unique(), on=[*keys, "buyer_id"], how="semi")
    return (
        incoming.group_by(keys)
        .agg(pl.col("buyer_id").n_unique().alias("transferred_in"))
        .join(
            outgoing.group_by(keys).agg(pl.col("buyer_id").n_unique().alias("transferred_out")),
            on=keys,
            how="full",
            coalesce=True,
        )
        .join(
            served_in.group_by(keys).agg(pl.len().alias("served_in")),
            on=keys,
            how="full",
            coalesce=True,
        )
        .drop_nulls("agent_id")
    )


def agent_counts(abd: pl.DataFrame, layout: KeyLayout, settings: KpiSettings) -> pl.DataFrame:
    """The counted KPIs per (shop_id, agent_id, day), before messages, transfers and ratios."""
    return (
        abd.lazy()
        .filter(pl.col("agent").is_not_null())
        .group_by(
            layout.shop(pl.col("key")).alias("shop_id"), pl.col("agent").alias("agent_id"), "day"
        )
        .agg(_counts(settings))
        .collect()
    )


def agent_day(
    abd: pl.DataFrame, conv: Conversations, settings: KpiSettings, concurrency: pl.DataFrame
) -> pl.DataFrame:
    """Service KPIs per (shop_id, agent_id, date). `abd` carries `after_sales`."""
    keys = ["shop_id", "agent_id", "day"]
    counts = agent_counts(abd, conv.layout, settings)
    out = (
        counts.join(conv.agent_messages, on=keys, how="full", coalesce=True)
        .join(_transfers(conv, abd), on=keys, how="left")
        .join(concurrency, on=keys, how="left")
        .drop_nulls("agent_id")
    )
    zero = [c for c in out.columns if c not in (*keys, "first_rt")]
    out = out.with_columns(pl.col(zero).fill_null(0)).with_columns(
        (pl.col("served") - pl.col("served_in")).alias("served_direct")
    )
    return (
        out.with_columns(_ratios())
        .with_columns(pl.col("day").cast(pl.Date).alias("date"))
        .select(AGENT_DAY_COLUMNS)
        .sort(["shop_id", "date", "agent_id"])
    )


def shop_day(bd: pl.DataFrame, conv: Conversations, settings: KpiSettings) -> pl.DataFrame:
    """Service totals per (shop_id, date): distinct buyers over all agents. `bd` carries
    `after_sales`. Concurrency is an agent's KPI only (buyers waiting on one agent)."""
    layout = conv.layout
    counts = (
        bd.lazy()
        .group_by(layout.shop(pl.col("key")).alias("shop_id"), "day")
        .agg(_counts(settings))
        .collect()
    )
    messages = (
        conv.agent_messages.group_by("shop_id", "day")
        .agg(pl.col("agent_messages").sum())
        .cast({"agent_messages": pl.Int64})
    )
    keys = ["shop_id", "day"]
    out = counts.join(messages, on=keys, how="full", coalesce=True)
    zero = [c for c in out.columns if c not in keys]
    return (
        out.with_columns(pl.col(zero).fill_null(0))
        .with_columns(_ratios())
        .with_columns(pl.col("day").cast(pl.Date).alias("date"))
        .select(SHOP_DAY_COLUMNS)
        .sort(["shop_id", "date"])
    )


_COMMON = (
    "consulted",
    "served",
    "inquiries",
    "first_response_s",
    "first_response_total_s",
    "first_response_count",
    "avg_response_s",
    "response_total_s",
    "response_count",
    "slow_buyers",
    "slow_rounds",
    "unanswered_buyers",
    "long_buyers",
    "answer_ratio",
    "reply_rate",
    "max_concurrency",
    "rounds",
    "answered_rounds",
    "left_rounds",
    "buyer_messages",
    "agent_messages",
)
AGENT_DAY_COLUMNS = (
    "shop_id",
    "agent_id",
    "date",
    *_COMMON[:2],
    "served_direct",
    "transferred_in",
    "transferred_out",
    *_COMMON[2:],
)
SHOP_DAY_COLUMNS = ("shop_id", "date", *(c for c in _COMMON if c != "max_concurrency"))
