"""Splitting an amount of money into parts that add up to it exactly.

Rounding each part on its own (¥100 in three: 33.33 + 33.33 + 33.33 = 99.99) loses or creates a
fen. The largest remainder method (Hamilton) does not: every part is first rounded down to the
step, then the fen left over go one each to the parts that lost the most in rounding down (ties:
the larger weight, then the earlier key). Each part is then within one step of its exact share
and the parts sum to the total exactly. Fractions keep the shares exact (1/3 is not a decimal)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from kefu.performance.engine.inputs import require_decimal, require_decimal_map


def split_exact(
    total: Decimal, weights: Mapping[str, Decimal], *, step: Decimal
) -> dict[str, Decimal]:
    """`total` split in proportion to `weights`, in multiples of `step`. With all weights zero
    the parts are equal (a share of nothing by nothing has no proportion to follow)."""
    require_decimal(total, "total")
    require_decimal(step, "step")
    require_decimal_map(weights, "weights")
    if not weights:
        raise ValueError("nobody to split among")
    if step <= 0:
        raise ValueError("the step must be positive")
    if total < 0:
        raise ValueError("cannot split a negative amount")
    units = Fraction(total) / Fraction(step)
    if units.denominator != 1:
        raise ValueError(f"{total} is not a whole number of {step} steps: round it first")
    if any(weight < 0 for weight in weights.values()):
        raise ValueError("weights cannot be negative")
    exact: dict[str, Fraction]
    weight_sum = sum((Fraction(w) for w in weights.values()), Fraction(0))
    if weight_sum == 0:
        exact = {key: units / len(weights) for key in weights}
    else:
        exact = {key: units * Fraction(w) / weight_sum for key, w in weights.items()}
    whole = {key: math.floor(share) for key, share in exact.items()}
    left = int(units) - sum(whole.values())
    order = list(weights)
    ranked = sorted(
        order,
        key=lambda key: (-(exact[key] - whole[key]), -weights[key], order.index(key)),
    )
    for key in ranked[:left]:
        whole[key] += 1
    return {key: step * whole[key] for key in order}
