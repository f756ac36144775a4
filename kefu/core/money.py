"""Money is Decimal in CNY, never float. Pure: no Django."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def money(value: str | int | Decimal) -> Decimal:
    """Parse an amount written as a string or int (never a float) into Decimal."""
    if isinstance(value, float):
        raise TypeError("money must not be a float; write it as a string")
    try:
        result = Decimal(str(value).strip().replace(",", "").removesuffix("元").strip())
    except InvalidOperation as exc:
        raise ValueError(f"not an amount of money: {value!r}") from exc
    if not result.is_finite():
        raise ValueError(f"not an amount of money: {value!r}")
    return result


def round_money(value: Decimal, *, to: Decimal = CENT, rounding: str = ROUND_HALF_UP) -> Decimal:
    return value.quantize(to, rounding=rounding)


def format_cny(value: Decimal) -> str:
    """Chinese convention: ¥1,234.50 (negative as -¥1,234.50)."""
    rounded = round_money(value)
    sign = "-" if rounded < 0 else ""
    return f"{sign}¥{abs(rounded):,.2f}"
