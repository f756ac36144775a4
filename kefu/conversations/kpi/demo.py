"""Adapters from the demo traffic generator (`kefu.demo.traffic.Traffic`) to the engine's inputs,
so tests and the benchmark run on realistic months.

- agents: sub-account i of the profile is agent_id i + 1; the shop's main account (it holds
  buyers while nobody is on duty and sends the night auto-reply) is no agent: null.
- buyers: nicknames become buyer ids shared by messages and orders (`inputs.encode_buyers`).
- orders: `items` is the sum of the line quantities; the seller flag code becomes its colour
  name; `flag_agent_id` is read from the seller note; a refund of the whole amount is a return
  of every item, a smaller one (a partial refund for damage) returns none. Demo exports carry
  no refund reason or review cause, so those are null / false.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from kefu.conversations.kpi.inputs import (
    DIRECTION,
    FLAG_COLOURS,
    KIND,
    MONEY,
    REFUND_REASON,
    encode_buyers,
    flag_agent_from_note,
)
from kefu.demo.traffic import Traffic


@dataclass(frozen=True)
class KpiInputs:
    messages: pl.DataFrame
    orders: pl.DataFrame
    agents: pl.DataFrame
    """agent_id, sub_account, name."""
    buyers: pl.DataFrame
    """shop_id, buyer, buyer_id."""
    as_of: dt.datetime


def agents_of(traffic: Traffic) -> pl.DataFrame:
    nicks = traffic.profile.sub_accounts
    return pl.DataFrame(
        {
            "agent_id": pl.int_range(1, len(nicks) + 1, eager=True).cast(pl.Int64),
            "sub_account": list(nicks),
            "name": [nick.split(":", 1)[1] for nick in nicks],
        }
    )


def inputs_from_traffic(traffic: Traffic) -> KpiInputs:
    """The month's messages and orders in the engine's input schemas."""
    shop_id = traffic.profile.shop_id
    agents = agents_of(traffic)
    ids = dict(zip(agents["sub_account"], agents["agent_id"], strict=True))

    def agent(column: str) -> pl.Expr:
        return pl.col(column).replace_strict(ids, default=None, return_dtype=pl.Int64)

    messages = traffic.messages.select(
        pl.lit(shop_id, pl.Int64).alias("shop_id"),
        "buyer",
        agent("sub_account").alias("agent_id"),
        pl.col("direction").cast(DIRECTION),
        pl.col("kind").cast(KIND),
        pl.col("time").dt.convert_time_zone("UTC").alias("at"),
        agent("transfer_to").alias("transfer_to"),
    )
    items = traffic.order_lines.group_by("order_no").agg(pl.col("quantity").sum().alias("items"))
    names = dict(zip(agents["name"], agents["agent_id"], strict=True))
    colours = {code: name for code, name in enumerate(FLAG_COLOURS, start=1)}
    orders = traffic.orders.join(items, on="order_no", how="left", maintain_order="left").select(
        pl.lit(shop_id, pl.Int64).alias("shop_id"),
        "order_no",
        "buyer",
        pl.col("created").dt.convert_time_zone("UTC").alias("created_at"),
        pl.col("paid").dt.convert_time_zone("UTC").alias("paid_at"),
        pl.col("amount").cast(MONEY),
        pl.col("items").fill_null(0).cast(pl.Int64),
        "status",
        pl.col("flag").replace_strict(colours, default=None, return_dtype=pl.String).alias("flag"),
        flag_agent_from_note(pl.col("note"), names).alias("flag_agent_id"),
        pl.col("refund").cast(MONEY).alias("refund_amount"),
        pl.when(pl.col("refund") >= pl.col("amount"))
        .then(pl.col("items").fill_null(0))
        .otherwise(0)
        .cast(pl.Int64)
        .alias("refund_items"),
        pl.lit(None, REFUND_REASON).alias("refund_reason"),
        pl.lit(False).alias("bad_review_by_agent"),
    )
    messages, orders, buyers = encode_buyers(messages, orders)
    return KpiInputs(
        messages=messages,
        orders=orders,
        agents=agents,
        buyers=buyers,
        as_of=traffic.as_of.astimezone(dt.UTC),
    )
