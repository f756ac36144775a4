"""Packed sort keys and local clocks: the two tricks the engine's speed rests on.

`KeyLayout` packs (shop, buyer, time) into one UInt64: shop index in the high bits, then the
buyer id, then seconds since `t0`. Sorting one 64-bit column is a radix-friendly single pass;
sorting three columns is several times slower (bench/README.md). Because the key orders the
messages of one buyer by time and keeps each buyer's messages together, the same key also serves
as an as-of join key: "the last agent reply before this order" is a backward as-of match on
pack(shop, buyer, created) whose thread part (`key >> t_bits`) is then checked to be the same.

`LocalClock` turns UTC seconds into the shop's local seconds with one gather: UTC offsets only
change on quarter hours, so the offset of every 15-minute bucket of the period is computed once
(a few thousand values) and looked up by bucket index, instead of a time-zone conversion per row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from kefu.conversations.kpi.inputs import KpiInputError

DAY = 86_400
BUCKET = 900  # UTC offsets change only on quarter hours in every IANA zone
MARGIN_DAYS = 62  # clock range beyond the data: windows reach back (after-sales) and ahead


def shl(expr: pl.Expr, bits: int) -> pl.Expr:
    """expr << bits on UInt64 (Polars expressions have no shift operator)."""
    return expr.cast(pl.UInt64) * pl.lit(1 << bits, pl.UInt64)


def shr(expr: pl.Expr, bits: int) -> pl.Expr:
    """expr >> bits on UInt64."""
    return expr.cast(pl.UInt64) // pl.lit(1 << bits, pl.UInt64)


def low_bits(expr: pl.Expr, bits: int) -> pl.Expr:
    """The lowest `bits` bits of a UInt64 expression."""
    return expr & pl.lit((1 << bits) - 1, pl.UInt64)


def dense_index(values: pl.Series, expr: pl.Expr) -> pl.Expr:
    """Position of each value of `expr` in `values` (distinct), as UInt64; a hash lookup, which
    is several times faster than a binary search per row."""
    if values.is_empty():  # nothing to look up (no rows, or only nulls)
        return pl.lit(None, dtype=pl.UInt64)
    positions = pl.int_range(values.len(), eager=True, dtype=pl.UInt64)
    return expr.replace_strict(values, positions, return_dtype=pl.UInt64)


def _bits(value: int) -> int:
    return max(1, int(value).bit_length())


@dataclass(frozen=True)
class KeyLayout:
    """How (shop, buyer, time) are packed into one UInt64 key."""

    shops: pl.Series
    """Sorted distinct shop ids; a shop's index in it is its high-bit part."""
    t0: int
    """Epoch seconds of time 0 in the key."""
    t_bits: int
    buyer_bits: int
    shop_bits: int

    @classmethod
    def fit(
        cls,
        shop_ids: pl.Series,
        max_buyer: int,
        t_min: int,
        t_max: int,
        margin_days: int = MARGIN_DAYS,
    ) -> KeyLayout:
        shops = shop_ids.unique().sort()
        t0 = t_min - margin_days * DAY  # room for window starts before the first message
        t_bits = _bits(t_max + margin_days * DAY - t0)
        buyer_bits = _bits(max_buyer)
        shop_bits = _bits(max(shops.len() - 1, 0))
        if t_bits + buyer_bits + shop_bits > 64:
            raise KpiInputError(
                f"the inputs do not fit a 64-bit key ({shop_bits} shop + {buyer_bits} buyer + "
                f"{t_bits} time bits): compute fewer shops or a shorter period at a time"
            )
        return cls(shops=shops, t0=t0, t_bits=t_bits, buyer_bits=buyer_bits, shop_bits=shop_bits)

    @property
    def shop_shift(self) -> int:
        return self.t_bits + self.buyer_bits

    def shop_index(self, shop: pl.Expr) -> pl.Expr:
        if self.shops.len() <= 1:
            return pl.lit(0, dtype=pl.UInt64)
        return dense_index(self.shops, shop)

    def shop_id(self, index: pl.Expr) -> pl.Expr:
        """Back from a shop index to the shop id."""
        if self.shops.len() == 0:
            return pl.lit(None, dtype=pl.Int64)
        if self.shops.len() == 1:
            return pl.lit(self.shops[0], dtype=pl.Int64)
        return pl.lit(self.shops).gather(index)

    def pack(self, shop: pl.Expr, buyer: pl.Expr, seconds: pl.Expr) -> pl.Expr:
        """Key of (shop id, buyer id, epoch seconds)."""
        return (
            shl(self.shop_index(shop), self.shop_shift)
            | shl(buyer, self.t_bits)
            | (seconds - self.t0).cast(pl.UInt64)
        )

    def thread(self, key: pl.Expr) -> pl.Expr:
        """(shop index, buyer): the conversation thread a key belongs to."""
        return shr(key, self.t_bits)

    def seconds(self, key: pl.Expr) -> pl.Expr:
        """Epoch seconds of a key."""
        return low_bits(key, self.t_bits).cast(pl.Int64) + self.t0

    def with_seconds(self, key: pl.Expr, seconds: pl.Expr) -> pl.Expr:
        """The same thread at another time."""
        return shl(shr(key, self.t_bits), self.t_bits) | (seconds - self.t0).cast(pl.UInt64)

    def buyer(self, key: pl.Expr) -> pl.Expr:
        return low_bits(shr(key, self.t_bits), self.buyer_bits).cast(pl.Int64)

    def key_shop_index(self, key: pl.Expr) -> pl.Expr:
        return shr(key, self.shop_shift)

    def shop(self, key: pl.Expr) -> pl.Expr:
        """Shop id of a key."""
        return self.shop_id(shr(key, self.shop_shift))


@dataclass(frozen=True)
class LocalClock:
    """Local dates and times of UTC epoch seconds in one IANA zone."""

    timezone: str
    b0: int
    offsets: pl.Series
    """UTC offset (seconds) of each 15-minute bucket from `b0`."""

    @classmethod
    def covering(
        cls, timezone: str, t_min: int, t_max: int, margin_days: int = MARGIN_DAYS
    ) -> LocalClock:
        b0 = (t_min - margin_days * DAY) // BUCKET
        b1 = (t_max + margin_days * DAY) // BUCKET + 1
        utc = pl.int_range(b0, b1 + 1, eager=True) * (BUCKET * 1000)
        local = utc.cast(pl.Datetime("ms", "UTC")).dt.convert_time_zone(timezone)
        offsets = local.dt.replace_time_zone(None).dt.epoch("s") - utc // 1000
        return cls(timezone=timezone, b0=b0, offsets=offsets.cast(pl.Int64))

    def local(self, seconds: pl.Expr) -> pl.Expr:
        """Local wall-clock seconds since 1970-01-01 00:00 local."""
        return seconds + pl.lit(self.offsets).gather(seconds // BUCKET - self.b0)

    def day(self, seconds: pl.Expr) -> pl.Expr:
        """Local date as days since 1970-01-01 (Int32; `.cast(pl.Date)` shows it)."""
        return (self.local(seconds) // DAY).cast(pl.Int32)

    def second_of_day(self, seconds: pl.Expr) -> pl.Expr:
        return (self.local(seconds) % DAY).cast(pl.Int32)

    def day_start(self, day: pl.Expr) -> pl.Expr:
        """UTC epoch seconds of local midnight starting `day` (days since 1970-01-01).

        The offset is read at the local midnight taken as UTC, then once more at the found
        instant, which settles every zone whose offset does not change within the day's first
        hours (a transition exactly at midnight is off by that hour, and only then)."""
        wall = day.cast(pl.Int64) * DAY
        guess = wall - pl.lit(self.offsets).gather(wall // BUCKET - self.b0)
        return wall - pl.lit(self.offsets).gather(guess // BUCKET - self.b0)

    def date(self, day: int) -> dt.date:
        return dt.date(1970, 1, 1) + dt.timedelta(days=day)


def epoch_seconds(column: str) -> pl.Expr:
    """Epoch seconds of a tz-aware datetime column (truncated to the second)."""
    return pl.col(column).dt.epoch("s")
