"""Aggregation over runs of equal keys in sorted data, without hashing.

The rounds come out of the engine's one sort grouped by thread and ordered by time, so "all
rounds of this buyer on this day" are consecutive rows. A hash group-by would regroup millions
of rows that are already grouped; here a run is found by comparing each row with its neighbour,
sums come from differences of cumulative sums at the run's two ends, and first/last values are
read at those ends. Both ends are filtered out in the same order, so they pair up by position.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl


def run_starts(keys: Sequence[pl.Expr]) -> pl.Expr:
    """True on the first row of each run of equal `keys` (nulls compare equal)."""
    changed = [key.ne_missing(key.shift(1)) for key in keys]
    return pl.any_horizontal(changed).fill_null(True)


def run_ends(keys: Sequence[pl.Expr]) -> pl.Expr:
    changed = [key.ne_missing(key.shift(-1)) for key in keys]
    return pl.any_horizontal(changed).fill_null(True)


def reduce_runs(
    frame: pl.DataFrame | pl.LazyFrame,
    keys: Sequence[pl.Expr],
    *,
    firsts: Mapping[str, pl.Expr],
    lasts: Mapping[str, pl.Expr] | None = None,
    sums: Mapping[str, pl.Expr] | None = None,
) -> pl.DataFrame:
    """One row per run of equal `keys`: `firsts` read on its first row, `lasts` on its last,
    `sums` added over it (nulls count as 0), plus `rows`, the run's length."""
    sums = dict(sums or {})
    lasts = dict(lasts or {})
    lazy = frame.lazy().with_columns(
        _first=run_starts(keys),
        _last=run_ends(keys),
        _row=pl.int_range(pl.len(), dtype=pl.Int64),
        **{f"_v_{name}": expr.fill_null(0) for name, expr in sums.items()},
    )
    lazy = lazy.with_columns(**{f"_c_{name}": pl.col(f"_v_{name}").cum_sum() for name in sums})
    starts, ends = pl.collect_all(
        [
            lazy.filter("_first").select(
                *(expr.alias(name) for name, expr in firsts.items()),
                pl.col("_row").alias("_row0"),
                *(
                    (pl.col(f"_c_{name}") - pl.col(f"_v_{name}")).alias(f"_b_{name}")
                    for name in sums
                ),
            ),
            lazy.filter("_last").select(
                *(expr.alias(name) for name, expr in lasts.items()),
                pl.col("_row").alias("_row1"),
                *(pl.col(f"_c_{name}").alias(f"_e_{name}") for name in sums),
            ),
        ]
    )
    both = pl.concat([starts, ends], how="horizontal")
    return both.select(
        *firsts,
        *lasts,
        *((pl.col(f"_e_{name}") - pl.col(f"_b_{name}")).alias(name) for name in sums),
        (pl.col("_row1") - pl.col("_row0") + 1).alias("rows"),
    )


def merge_repeats(
    runs: pl.DataFrame,
    group: Sequence[pl.Expr],
    agent: str,
    *,
    firsts: Sequence[str],
    lasts: Sequence[str],
    sums: Sequence[str],
) -> pl.DataFrame:
    """Make each (group, agent) one row when an agent came back within a group (A, B, A).

    `runs` come from `reduce_runs` over `group` + [agent], in order. Only a group of three runs
    or more can repeat an agent, so only those few are regrouped (by hash, keeping time order);
    the result is the untouched rows followed by the merged ones."""
    marked = runs.with_columns(
        _g=run_starts(group).cum_sum(),
        _middle=~run_starts(group) & ~run_ends(group),
    )
    repeated = marked.filter("_middle").get_column("_g").unique()
    if repeated.is_empty():
        return runs
    inside = pl.col("_g").is_in(repeated.implode())
    merged = (
        marked.filter(inside)
        .group_by("_g", agent, maintain_order=True)
        .agg(
            *(pl.col(c).first() for c in firsts if c != agent),
            *(pl.col(c).last() for c in lasts),
            *(pl.col(c).sum() for c in sums),
        )
        .select(runs.columns)
    )
    return pl.concat([marked.filter(~inside).select(runs.columns), merged])
