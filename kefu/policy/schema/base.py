"""Building blocks shared by every policy section: the strict base model, clause references,
local clock times, money, rates and point values. Pure pydantic: no Django.

Conventions (they keep policy files unambiguous and round-trippable):
- every model forbids unknown keys, so a misspelt key is an error, never silently ignored;
- money and rates are written as strings ("30", "0.005") and parsed to Decimal; a float is
  refused because 0.1 + 0.2 is not 0.3 in binary floating point;
- times are local to the shop, written "HH:MM"; "24:00" is allowed as the end of a day;
- cross-field problems are reported with their own sub-path through `Problems`, so a person
  reading the error sees exactly which entry to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer
from pydantic_core import PydanticCustomError

Loc = tuple[str | int, ...]

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

Period = Literal["day", "week", "month"]
"""The counting period of an escalation. `month` is the natural month 自然月."""


class StrictModel(BaseModel):
    """Base of every policy model: unknown keys are errors; field docstrings document the key
    (docs/policy.md is generated from them)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        validate_default=False,
    )


def _check_clause(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        raise PydanticCustomError(
            "clause_empty", "a rule must name the clause it comes from, e.g. 'S4.1 §1'"
        )
    return value.strip() if isinstance(value, str) else value


Clause = Annotated[str, BeforeValidator(_check_clause)]
"""Where a rule comes from, e.g. "S4.1 §1 交接" or "S4.5（借用）"."""


class Rule(StrictModel):
    """A model that is a rule of the regime: it must name its clause."""

    clause: Clause
    """Where this rule comes from, e.g. "S4.1 §1" (see the conventions above)."""


# --- clock times -------------------------------------------------------------------------------

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")
END_OF_DAY = "24:00"


def _parse_clock(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str):
        raise PydanticCustomError(
            "clock_type",
            'a time must be written "HH:MM" in quotes, got {value!r}',
            {"value": value},
        )
    match = _CLOCK.match(value.strip())
    if match is None:
        raise PydanticCustomError(
            "clock_format", 'a time must be written "HH:MM", got {value!r}', {"value": value}
        )
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes > 59 or hours > 24 or (hours == 24 and minutes != 0):
        raise PydanticCustomError(
            "clock_range",
            "{value} is not a time of day (00:00-23:59, or 24:00 for the end of the day)",
            {"value": value.strip()},
        )
    return f"{hours:02d}:{minutes:02d}"


Clock = Annotated[str, BeforeValidator(_parse_clock)]
"""A local time "HH:MM"; "24:00" means the end of the day."""


def clock_minutes(value: str) -> int:
    """Minutes since midnight of a validated clock time ("24:00" is 1440)."""
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


# --- money, rates, counts ------------------------------------------------------------------------


def _decimal(value: Any, *, what: str, example: str) -> Decimal:
    if isinstance(value, bool):
        raise PydanticCustomError(
            "decimal_type",
            "{what} must be a number written as a string, e.g. {example}",
            {"what": what, "example": example},
        )
    if isinstance(value, float):
        raise PydanticCustomError(
            "decimal_float",
            "{what} must be written as a string, e.g. {example}; "
            "a float such as {value} is not exact",
            {"what": what, "example": example, "value": value},
        )
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int | str):
        text = str(value).strip().replace(",", "").removesuffix("元").strip()
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise PydanticCustomError(
                "decimal_parse",
                "{what} must be a number, got {value!r}",
                {"what": what, "value": value},
            ) from None
    else:
        raise PydanticCustomError(
            "decimal_type",
            "{what} must be a number written as a string, e.g. {example}",
            {"what": what, "example": example},
        )
    if not result.is_finite():
        raise PydanticCustomError(
            "decimal_parse",
            "{what} must be a number, got {value!r}",
            {"what": what, "value": value},
        )
    return result


def _parse_money(value: Any) -> Decimal:
    amount = _decimal(value, what="money", example='"30"')
    if amount < 0:
        raise PydanticCustomError(
            "money_negative", "an amount of money cannot be negative, got {value}", {"value": value}
        )
    return amount


def _parse_rate(value: Any) -> Decimal:
    rate = _decimal(value, what="a rate", example='"0.005"')
    if not Decimal(0) <= rate <= Decimal(1):
        raise PydanticCustomError(
            "rate_range",
            'a rate is a fraction between 0 and 1 (0.5 % is "0.005"), got {value}',
            {"value": value},
        )
    return rate


Money = Annotated[
    Decimal, BeforeValidator(_parse_money), PlainSerializer(str, return_type=str, when_used="json")
]
"""CNY, written as a string ("30", "1500.50"), parsed to Decimal."""

Rate = Annotated[
    Decimal, BeforeValidator(_parse_rate), PlainSerializer(str, return_type=str, when_used="json")
]
"""A fraction between 0 and 1 written as a string ("0.005" is 0.5 %)."""

Count = Annotated[int, Field(ge=0, strict=True)]
PositiveInt = Annotated[int, Field(gt=0, strict=True)]


# --- points -------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class PointRange:
    """A number of points, or a range the supervisor chooses from (S4.5 "2-5 分/次").
    Always a magnitude: whether it adds or deducts is said by the rule (its severity)."""

    low: Decimal
    high: Decimal

    @property
    def fixed(self) -> bool:
        return self.low == self.high

    def render(self) -> int | str:
        if self.fixed:
            return int(self.low) if self.low == self.low.to_integral_value() else str(self.low)
        return f"{_plain(self.low)}-{_plain(self.high)}"


def _plain(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


def _points_number(value: Any, original: Any) -> Decimal:
    if isinstance(value, bool):
        raise PydanticCustomError(
            "points_type",
            "points must be a number or a range like 2-5, got {value!r}",
            {"value": original},
        )
    try:
        # Points are not money: a YAML float such as 0.5 is accepted, read through its text.
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise PydanticCustomError(
            "points_type",
            "points must be a number or a range like 2-5, got {value!r}",
            {"value": original},
        ) from None
    if not number.is_finite() or number < 0:
        raise PydanticCustomError(
            "points_negative",
            "points are written as a positive magnitude (the rule's kind says add or deduct), "
            "got {value!r}",
            {"value": original},
        )
    return number


def _parse_points(value: Any) -> PointRange:
    if isinstance(value, PointRange):
        return value
    if isinstance(value, str) and "-" in value.strip().lstrip("-"):
        low_text, _, high_text = value.strip().partition("-")
        low, high = _points_number(low_text, value), _points_number(high_text, value)
    elif isinstance(value, list | tuple) and len(value) == 2:
        low, high = _points_number(value[0], value), _points_number(value[1], value)
    elif isinstance(value, int | float | str | Decimal):
        low = high = _points_number(value, value)
    else:
        raise PydanticCustomError(
            "points_type",
            "points must be a number or a range like 2-5, got {value!r}",
            {"value": value},
        )
    if low > high:
        raise PydanticCustomError(
            "points_range",
            "the range {value} runs backwards: the low end comes first",
            {"value": value},
        )
    return PointRange(low, high)


Points = Annotated[
    PointRange,
    BeforeValidator(_parse_points),
    PlainSerializer(lambda p: p.render(), return_type=int | str),
]
"""Points: a number (5, 0.5) or a range "2-5"; a magnitude, never negative."""


def _parse_score(value: Any) -> Decimal:
    return _points_number(value, value)


Score = Annotated[
    Decimal,
    BeforeValidator(_parse_score),
    PlainSerializer(
        lambda d: int(d) if d == d.to_integral_value() else str(d),
        return_type=int | str,
        when_used="json",
    ),
]
"""A score on the points scale (10, 60, 2.5)."""


# --- cross-field problems ---------------------------------------------------------------------


class Problems:
    """Collects cross-field problems in a model validator and raises them together, each with
    the sub-path (relative to the model) that the error lines will show."""

    def __init__(self) -> None:
        self.items: list[tuple[Loc, str]] = []

    def add(self, at: Loc, message: str) -> None:
        self.items.append((at, message))

    def raise_if_any(self) -> None:
        if self.items:
            summary = "; ".join(
                f"{'.'.join(str(p) for p in at) or '(here)'}: {message}"
                for at, message in self.items
            )
            raise PydanticCustomError(
                "policy_rule", "{summary}", {"summary": summary, "problems": tuple(self.items)}
            )


def check_unique(problems: Problems, at: Loc, values: list[str], what: str) -> None:
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            problems.add((*at, index), f"{what} {value!r} appears twice")
        seen.add(value)


Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
"""A machine key: lower case letters, digits and underscores, e.g. `night`, `junior`."""
