from decimal import Decimal

import pytest

from kefu.core.money import format_cny, money, round_money


def test_money_reads_the_platforms_spellings() -> None:
    assert money("1,234.50") == Decimal("1234.50")
    assert money(" 88.00元 ") == Decimal("88.00")
    assert money(30) == Decimal("30")


def test_money_refuses_floats_and_garbage() -> None:
    with pytest.raises(TypeError, match="float"):
        money(0.1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not an amount of money: 'abc'"):
        money("abc")
    with pytest.raises(ValueError):
        money("NaN")


def test_rounding_is_half_up_to_the_fen() -> None:
    assert round_money(Decimal("2.345")) == Decimal("2.35")
    assert round_money(Decimal("-2.345")) == Decimal("-2.35")


def test_format_cny_uses_the_chinese_convention() -> None:
    assert format_cny(Decimal("1234.5")) == "¥1,234.50"
    assert format_cny(Decimal("-80")) == "-¥80.00"
