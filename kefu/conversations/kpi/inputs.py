"""The engine's documented inputs: Polars schemas for messages and orders (`MESSAGE_COLUMNS`,
`ORDER_COLUMNS`; docs/kpi.md has the full table), their validation, and helpers that turn
importer-shaped frames (buyer nicknames, seller notes) into them.

Messages, one row per chat message in any order: shop_id, buyer_id (an integer >= 0 per shop;
`encode_buyers` makes one from nicknames), agent_id (shop side: the sender; buyer side: the agent
holding the buyer, i.e. whose chat log it is in; null = the shop's main account held it because no
agent was online, a left message 留言), direction (buyer / agent; auto-replies and system lines
are `agent`), kind (human / auto_reply / system / transfer / recall), at (tz-aware, read to the
second) and, optionally, transfer_to (the agent a `transfer` line hands the buyer to).

Orders, one row per order: shop_id, buyer_id (the same ids), order_no, created_at, paid_at (null:
not paid yet), amount (Decimal(12, 2)), items (pieces); optional: status, flag (colour name),
flag_agent_id (the agent named in the seller note, `flag_agent_from_note`), refund_amount,
refund_items (pieces returned; 0 for a partial refund with the goods kept), refund_reason
(quality / buyer_whim / poor_service / other) and bad_review_by_agent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

DIRECTIONS = ("buyer", "agent")
KINDS = ("human", "auto_reply", "system", "transfer", "recall")
REFUND_REASONS = ("quality", "buyer_whim", "poor_service", "other")
FLAG_COLOURS = ("red", "yellow", "green", "blue", "purple")
DIRECTION = pl.Enum(DIRECTIONS)
KIND = pl.Enum(KINDS)
REFUND_REASON = pl.Enum(REFUND_REASONS)
MONEY = pl.Decimal(12, 2)


class KpiInputError(ValueError):
    """An input frame does not have the documented shape; the message names the column."""


@dataclass(frozen=True)
class Column:
    name: str
    dtype: pl.DataType
    meaning: str
    required: bool = True
    default: Any = None
    nullable: bool = True


_DATETIME = pl.Datetime("us", "UTC")
MESSAGE_COLUMNS: tuple[Column, ...] = (
    Column("shop_id", pl.Int64(), "the shop", nullable=False),
    Column("buyer_id", pl.Int64(), "integer buyer id (encode_buyers)", nullable=False),
    Column("agent_id", pl.Int64(), "sender, or the agent holding a buyer message"),
    Column("direction", DIRECTION, "buyer or agent", nullable=False),
    Column("kind", KIND, "human, auto_reply, system, transfer or recall", nullable=False),
    Column("at", _DATETIME, "tz-aware send time", nullable=False),
    Column("transfer_to", pl.Int64(), "agent a transfer hands to", required=False),
)
ORDER_COLUMNS: tuple[Column, ...] = (
    Column("shop_id", pl.Int64(), "the shop", nullable=False),
    Column("order_no", pl.String(), "order number", nullable=False),
    Column("buyer_id", pl.Int64(), "integer buyer id (encode_buyers)", nullable=False),
    Column("created_at", _DATETIME, "tz-aware creation time", nullable=False),
    Column("paid_at", _DATETIME, "tz-aware payment time, null if unpaid"),
    Column("amount", MONEY, "amount paid, Decimal(12, 2)", nullable=False),
    Column("items", pl.Int64(), "pieces in the order", nullable=False),
    Column("status", pl.String(), "platform status", required=False, default=""),
    Column("flag", pl.String(), "seller flag colour", required=False),
    Column("flag_agent_id", pl.Int64(), "agent named in the note", required=False),
    Column("refund_amount", MONEY, "refunded money", required=False, default=0),
    Column("refund_items", pl.Int64(), "pieces returned", required=False, default=0),
    Column("refund_reason", REFUND_REASON, "refund reason", required=False),
    Column("bad_review_by_agent", pl.Boolean(), "review caused by the agent", False, False),
)


def _describe(column: Column) -> str:
    return f"{column.name!r} ({column.dtype}: {column.meaning})"


def _cast(frame: pl.DataFrame, what: str, column: Column) -> pl.Expr:
    dtype = frame.schema[column.name]
    expr = pl.col(column.name)
    if isinstance(column.dtype, pl.Datetime):
        if not isinstance(dtype, pl.Datetime) or dtype.time_zone is None:
            raise KpiInputError(
                f"{what}: column {column.name!r} must be a tz-aware Datetime, got {dtype}"
            )
        return expr.dt.convert_time_zone("UTC").dt.cast_time_unit("us")
    if isinstance(column.dtype, pl.Enum) and dtype != column.dtype:
        values = frame.get_column(column.name).cast(pl.String).drop_nulls().unique()
        allowed = column.dtype.categories.to_list()
        bad = values.filter(~values.is_in(allowed)).sort().to_list()
        if bad:
            raise KpiInputError(
                f"{what}: column {column.name!r} has unknown values {bad[:5]}; "
                f"allowed: {', '.join(allowed)}"
            )
        return expr.cast(pl.String).cast(column.dtype)
    if dtype == column.dtype:
        return expr
    try:
        return expr.cast(column.dtype, strict=True)
    except pl.exceptions.PolarsError as exc:  # pragma: no cover - cast errors are lazy
        raise KpiInputError(f"{what}: column {column.name!r} is {dtype}") from exc


def _validate(frame: pl.DataFrame, what: str, columns: tuple[Column, ...]) -> pl.DataFrame:
    if not isinstance(frame, pl.DataFrame):
        raise TypeError(f"{what} must be a Polars DataFrame, got {type(frame).__name__}")
    exprs: list[pl.Expr] = []
    for column in columns:
        if column.name not in frame.columns:
            if column.required:
                hint = (
                    "; a frame with buyer nicknames can be encoded with encode_buyers()"
                    if column.name == "buyer_id" and "buyer" in frame.columns
                    else ""
                )
                raise KpiInputError(f"{what}: missing column {_describe(column)}{hint}")
            exprs.append(pl.lit(column.default, dtype=column.dtype).alias(column.name))
        else:
            exprs.append(_cast(frame, what, column).alias(column.name))
    try:
        out = frame.select(exprs)
    except pl.exceptions.PolarsError as exc:
        raise KpiInputError(f"{what}: {exc}") from exc
    for column in columns:
        if not column.nullable and out.get_column(column.name).null_count():
            raise KpiInputError(f"{what}: column {column.name!r} has empty values")
    if out.height and out.get_column("buyer_id").min() < 0:  # type: ignore[operator]
        raise KpiInputError(f"{what}: column 'buyer_id' must not be negative")
    return out


def validate_messages(messages: pl.DataFrame) -> pl.DataFrame:
    """The messages frame with exactly the documented columns and types (times in UTC).

    Raises KpiInputError naming the first missing or malformed column.
    """
    return _validate(messages, "messages", MESSAGE_COLUMNS)


def validate_orders(orders: pl.DataFrame) -> pl.DataFrame:
    """The orders frame with exactly the documented columns and types (times in UTC)."""
    out = _validate(orders, "orders", ORDER_COLUMNS)
    flags = out.get_column("flag").drop_nulls().unique()
    bad = flags.filter(~flags.is_in(FLAG_COLOURS)).sort().to_list()
    if bad:
        raise KpiInputError(
            f"orders: column 'flag' has unknown colours {bad[:5]}; allowed: {FLAG_COLOURS}"
        )
    return out


def encode_buyers(
    messages: pl.DataFrame, orders: pl.DataFrame, *, column: str = "buyer"
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Replace buyer nicknames by integer `buyer_id`s shared by messages and orders.

    Returns (messages, orders, buyers) where `buyers` maps (shop_id, buyer) -> buyer_id, for
    showing evidence with the buyer's name. Ids are dense, in order of first appearance.
    """
    for what, frame in (("messages", messages), ("orders", orders)):
        for name in ("shop_id", column):
            if name not in frame.columns:
                raise KpiInputError(f"{what}: missing column {name!r}")
    buyers = (
        pl.concat(
            [messages.select("shop_id", column), orders.select("shop_id", column)],
            how="vertical_relaxed",
        )
        .unique(maintain_order=True)
        .with_row_index("buyer_id")
        .select("shop_id", pl.col(column).alias("buyer"), pl.col("buyer_id").cast(pl.Int64))
    )
    lookup = buyers.rename({"buyer": column})

    def encode(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.join(lookup, on=["shop_id", column], how="left", maintain_order="left").drop(
            column
        )

    return encode(messages), encode(orders), buyers


def flag_agent_from_note(note: pl.Expr, agents: Mapping[str, int]) -> pl.Expr:
    """The agent id named in a seller note, or null.

    Notes follow the policy's template, "{content}_{agent}" (S4.4: `发邮政快递_慧兰`) or
    "{agent}" (S4.2: `慧兰`): the name is the text after the last "_", or the whole note, and
    must be an agent's name exactly (so a warehouse memo such as `南京仓` names nobody).
    """
    name = note.str.strip_chars().str.split("_").list.last()
    return name.replace_strict(
        list(agents.keys()), list(agents.values()), default=None, return_dtype=pl.Int64
    )
