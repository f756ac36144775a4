"""The response times a buyer received, from their messages: rounds as KPI.md defines them (a
round opens at a buyer's human message not already waiting and closes at the shop's next human
reply; auto-replies, system and transfer lines close nothing). Pure Polars: no Django."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Received:
    rounds: int
    answered: int
    average_seconds: float | None  # over answered rounds
    average_first_seconds: float | None  # first round of each conversation, when answered


def received_waits(messages: pl.DataFrame) -> Received:
    """`messages`: columns `conversation_id`, `at` (Datetime), `direction` ("buyer"/"agent"),
    `kind` ("human", ...), one buyer's messages in any order."""
    if messages.is_empty():
        return Received(0, 0, None, None)
    human = pl.col("kind") == "human"
    frame = (
        messages.sort("conversation_id", "at")
        .with_columns(
            (human & (pl.col("direction") == "buyer")).alias("asks"),
            (human & (pl.col("direction") != "buyer")).alias("replies"),
        )
        .with_columns(
            # A reply closes the segment it ends: the segment number changes after it.
            pl.col("replies")
            .cast(pl.Int64)
            .cum_sum()
            .shift(1, fill_value=0)
            .over("conversation_id")
            .alias("segment")
        )
    )
    rounds = (
        frame.group_by("conversation_id", "segment")
        .agg(
            pl.col("at").filter(pl.col("asks")).min().alias("opened"),
            pl.col("at").filter(pl.col("replies")).max().alias("closed"),
        )
        .filter(pl.col("opened").is_not_null())
        .with_columns(
            (pl.col("closed") - pl.col("opened")).dt.total_microseconds().alias("wait_us"),
            pl.col("segment").rank("ordinal").over("conversation_id").alias("n"),
        )
    )
    answered = rounds.filter(pl.col("wait_us").is_not_null())
    average = answered["wait_us"].mean()
    first = answered.filter(pl.col("n") == 1)["wait_us"].mean()
    return Received(
        rounds=rounds.height,
        answered=answered.height,
        average_seconds=None if average is None else float(average) / 1e6,  # type: ignore[arg-type]
        average_first_seconds=None if first is None else float(first) / 1e6,  # type: ignore[arg-type]
    )
