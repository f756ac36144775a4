"""Commission 提成: flat, or progressive by tiers 超额累进 (S4.5: "每超过一个阶段，前一阶段原有
提成以前一阶段核算方式照常核算" — each tier's rate applies only to the part of sales inside it),
and the rounding rule of `pay.rounding`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from kefu.performance.engine import require_decimal
from kefu.performance.engine.text import yuan
from kefu.policy.describe_text import percent
from kefu.policy.schema import Commission, CommissionTier, Rounding

_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN}


def round_pay(value: Decimal, rounding: Rounding) -> Decimal:
    """`value` to a whole number of `rounding.to` steps (0.01, 0.1, 1, 0.05 ...), written with
    the step's decimal places."""
    steps = (value / rounding.to).to_integral_value(rounding=_MODES[rounding.mode])
    return (steps * rounding.to).quantize(rounding.to)


@dataclass(frozen=True)
class TierPart:
    """The part of the sales inside one tier and what it earns (exact, not rounded)."""

    low: Decimal
    high: Decimal | None
    rate: Decimal
    base: Decimal
    amount: Decimal

    def describe(self) -> str:
        if self.high is None:
            band = f"超过{yuan(self.low)}的部分"
        elif self.low == 0:
            band = f"{yuan(self.high)}以内"
        else:
            band = f"{yuan(self.low)}至{yuan(self.high)}的部分"
        return f"{band}{yuan(self.base)}×{percent(self.rate)}={yuan(self.amount)}"


def progressive_commission(
    amount: Decimal, tiers: Sequence[CommissionTier]
) -> tuple[Decimal, list[TierPart]]:
    """Each tier's rate on the part of `amount` inside it; returns the exact total and the
    parts (only tiers the amount reaches). Tiers 100000@0.3 %, 200000@0.5 %, rest 0.8 % on
    250000: 300 + 500 + 400 = 1200."""
    require_decimal(amount, "amount")
    if amount < 0:
        raise ValueError("sales for commission cannot be negative")
    parts: list[TierPart] = []
    low = Decimal(0)
    for tier in tiers:
        top = amount if tier.up_to is None else min(amount, tier.up_to)
        if top <= low:
            break
        base = top - low
        parts.append(TierPart(low, tier.up_to, tier.rate, base, base * tier.rate))
        if tier.up_to is None:
            break
        low = tier.up_to
    return sum((part.amount for part in parts), Decimal(0)), parts


def commission_compute(amount: Decimal, commission: Commission) -> tuple[Decimal, str]:
    """The exact commission on `amount` by the policy's form, and how it was computed."""
    require_decimal(amount, "amount")
    if commission.flat_rate is not None:
        total = amount * commission.flat_rate
        return total, f"{yuan(amount)}×{percent(commission.flat_rate)}={yuan(total)}"
    total, parts = progressive_commission(amount, commission.tiers or [])
    if not parts:
        return total, f"{yuan(amount)}：无提成"
    text = "；".join(part.describe() for part in parts)
    return total, f"{yuan(amount)}超额累进：{text}；合计{yuan(total)}"
