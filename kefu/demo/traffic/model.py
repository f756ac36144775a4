"""Inputs and outputs of the demo traffic generator: plain frozen dataclasses, no Django.

The generator works on columns (numpy, then Polars) because a big shop's month is millions of
messages; `Traffic` keeps those frames and offers the same rows as dataclasses for small
consumers (`iter_messages`, `iter_orders`, `iter_sessions`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, NamedTuple

import polars as pl

from kefu.demo.traffic.behaviour import Behaviour

if TYPE_CHECKING:
    from kefu.demo.traffic.phrases import PhraseBook


class Platform(enum.StrEnum):
    TAOBAO = "taobao"
    TMALL = "tmall"
    PDD = "pdd"
    JD = "jd"
    DOUYIN = "douyin"


class Direction(enum.StrEnum):
    BUYER = "buyer"
    AGENT = "agent"  # anything the shop side sends, including auto-replies and system notes


class Kind(enum.StrEnum):
    HUMAN = "human"
    AUTO_REPLY = "auto_reply"
    SYSTEM = "system"
    TRANSFER = "transfer"


class Intent(enum.StrEnum):
    """What the buyer came for; the outcome is in the session's order columns."""

    ASK_LEAVE = "ask_leave"
    ORDER_PAY_NOW = "order_pay_now"
    ORDER_PAY_LATER = "order_pay_later"
    ORDER_NEVER_PAY = "order_never_pay"
    ORDER_NEXT_DAY = "order_next_day"  # asks today, orders tomorrow without chatting again
    AFTER_SALES = "after_sales"


class OrderStatus(enum.StrEnum):
    """Taobao TOP trade statuses (FORMATS.md 1g); each exporter maps them to its own words."""

    WAIT_BUYER_PAY = "WAIT_BUYER_PAY"
    WAIT_SELLER_SEND_GOODS = "WAIT_SELLER_SEND_GOODS"
    WAIT_BUYER_CONFIRM_GOODS = "WAIT_BUYER_CONFIRM_GOODS"
    TRADE_FINISHED = "TRADE_FINISHED"
    TRADE_CLOSED = "TRADE_CLOSED"  # paid, then refunded in full
    TRADE_CLOSED_BY_TAOBAO = "TRADE_CLOSED_BY_TAOBAO"  # never paid, closed by timeout


class FlagColour(enum.IntEnum):
    """Taobao `seller_flag` codes; 5 is purple in one SDK text and pink in another."""

    NONE = 0
    RED = 1
    YELLOW = 2
    GREEN = 3
    BLUE = 4
    PURPLE = 5


# A rota answers "who is on duty" for one shop-local date: 24 collections of sub-account
# nicknames, one per hour (index 0 = 00:00-01:00). Hour granularity is what shops plan in.
# Either a callable or a dict (a date missing from the dict has nobody on duty).
Rota = Callable[[dt.date], Sequence[Collection[str]]] | Mapping[dt.date, Sequence[Collection[str]]]


class Month(NamedTuple):
    year: int
    month: int

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def days(self) -> int:
        return calendar.monthrange(self.year, self.month)[1]


@dataclass(frozen=True, slots=True)
class Item:
    """One catalogue entry. `price` is a Decimal string such as "59.90" (never a float)."""

    sku: str
    title: str
    price: str
    name: str = ""  # the short word buyers use ("床头柜"); defaults to the title
    popularity: float = 1.0  # relative weight when buyers pick what to ask about

    def __post_init__(self) -> None:
        if not isinstance(self.price, str):
            raise TypeError(
                f'Item.price must be a Decimal string such as "59.90", not {self.price!r}'
            )
        try:
            value = Decimal(self.price)
        except InvalidOperation as exc:
            raise ValueError(f"Item.price is not an amount: {self.price!r}") from exc
        if not value.is_finite() or value <= 0 or value.as_tuple().exponent < -2:  # type: ignore[operator]
            raise ValueError(f"Item.price must be positive with at most 2 decimals: {self.price!r}")
        if self.popularity <= 0:
            raise ValueError("Item.popularity must be positive")
        if not self.name:
            object.__setattr__(self, "name", self.title)

    @property
    def unit_price(self) -> Decimal:
        return Decimal(self.price).quantize(Decimal("0.01"))

    @property
    def cents(self) -> int:
        return int(self.unit_price * 100)


@dataclass(frozen=True)
class ShopProfile:
    shop_name: str
    platform: Platform
    sub_accounts: tuple[str, ...]  # "乐乐家居旗舰店:小美"
    rota: Rota
    catalogue: tuple[Item, ...]
    month: Month
    seed: int
    scale: float = 1.0  # 1.0 = a small shop (~150-300 consulting buyers a day); 100 = a big one
    time_zone: str = "Asia/Shanghai"
    shop_id: int = 57301234
    behaviour: Behaviour = field(default_factory=Behaviour)
    phrases: PhraseBook | None = None  # None: the built-in phrase book

    def __post_init__(self) -> None:
        if not isinstance(self.month, Month):
            object.__setattr__(self, "month", Month(*self.month))
        if not self.sub_accounts:
            raise ValueError("a shop needs at least one sub-account")
        for nick in self.sub_accounts:
            if not nick.startswith(f"{self.shop_name}:") or nick == f"{self.shop_name}:":
                raise ValueError(f"sub-account {nick!r} is not of the form '{self.shop_name}:名字'")
        if len(set(self.sub_accounts)) != len(self.sub_accounts):
            raise ValueError("sub-account nicknames must be unique")
        if not self.catalogue:
            raise ValueError("the catalogue is empty")
        if len({i.sku for i in self.catalogue}) != len(self.catalogue):
            raise ValueError("catalogue SKUs must be unique")
        if not self.scale > 0:
            raise ValueError("scale must be positive")

    def on_duty(self, date: dt.date) -> Sequence[Collection[str]]:
        """The rota for `date`: 24 collections of nicknames, one per hour."""
        if isinstance(self.rota, Mapping):
            return self.rota.get(date, [()] * 24)
        return self.rota(date)

    @property
    def main_account(self) -> str:
        """The shop's main account: it sends auto-replies when nobody is on duty."""
        return self.shop_name


# --- outputs ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Message:
    message_id: int
    session_id: int
    time: dt.datetime
    buyer: str
    # The shop-side sender; for a buyer message, the sub-account holding the buyer (the main
    # account while nobody is on duty).
    sub_account: str | None
    direction: Direction
    kind: Kind
    text: str
    transfer_to: str | None = None


@dataclass(frozen=True, slots=True)
class OrderLine:
    sku: str
    title: str
    price: Decimal
    quantity: int


@dataclass(frozen=True, slots=True)
class Order:
    order_no: str
    buyer: str
    created: dt.datetime
    paid: dt.datetime | None
    amount: Decimal  # what the buyer pays (goods - discount + postage)
    status: OrderStatus
    lines: tuple[OrderLine, ...]
    flag: FlagColour
    note: str  # the seller's private memo (订单备注 / 商家备注)
    session_id: int | None  # the chat that led to it; None for silent orders
    consigned: dt.datetime | None
    confirmed: dt.datetime | None
    refund: Decimal
    buyer_message: str


@dataclass(frozen=True, slots=True)
class BuyerSession:
    session_id: int
    buyer: str
    started: dt.datetime
    ended: dt.datetime
    intent: Intent
    sku: str
    first_agent: str | None
    rounds: int
    answered_rounds: int
    order_no: str | None  # the order this chat led to
    after_sales_of: str | None  # the earlier order an after-sales buyer asks about


def _dt(tz: str) -> pl.Datetime:
    return pl.Datetime("ms", tz)


def session_schema(tz: str) -> dict[str, pl.DataType]:
    return {
        "session_id": pl.Int64(),
        "buyer": pl.String(),
        "started": _dt(tz),
        "ended": _dt(tz),
        "intent": pl.String(),
        "sku": pl.String(),
        "first_agent": pl.String(),
        "rounds": pl.Int32(),
        "answered_rounds": pl.Int32(),
        "order_no": pl.String(),
        "after_sales_of": pl.String(),
    }


def message_schema(tz: str) -> dict[str, pl.DataType]:
    return {
        "message_id": pl.Int64(),
        "session_id": pl.Int64(),
        "time": _dt(tz),
        "buyer": pl.String(),
        "sub_account": pl.String(),
        "direction": pl.String(),
        "kind": pl.String(),
        "text": pl.String(),
        "transfer_to": pl.String(),
    }


MONEY = pl.Decimal(12, 2)


def order_schema(tz: str) -> dict[str, pl.DataType]:
    return {
        "order_no": pl.String(),
        "buyer": pl.String(),
        "created": _dt(tz),
        "paid": _dt(tz),
        "amount": MONEY,
        "status": pl.String(),
        "flag": pl.Int8(),
        "note": pl.String(),
        "session_id": pl.Int64(),
        "consigned": _dt(tz),
        "confirmed": _dt(tz),
        "refund": MONEY,
        "buyer_message": pl.String(),
        "receiver": pl.String(),  # masked, as the platforms show it: 张**
        "phone": pl.String(),  # masked: 138****1234
        "province": pl.String(),
        "city": pl.String(),
        "district": pl.String(),
        "tracking_no": pl.String(),
        "courier": pl.String(),
    }


def order_line_schema() -> dict[str, pl.DataType]:
    return {
        "order_no": pl.String(),
        "line_no": pl.Int32(),
        "sku": pl.String(),
        "title": pl.String(),
        "price": MONEY,
        "quantity": pl.Int32(),
    }


@dataclass(frozen=True)
class Traffic:
    """A month of one shop's customer-service traffic, as seen at `as_of` (the month's end).

    Frames (columns as in the `*_schema` functions, times tz-aware in the shop's zone, money
    Decimal): `sessions`, `messages` (sorted by time), `orders` (by created), `order_lines`.
    Orders include a few created before the month: the earlier purchases that this month's
    after-sales buyers ask about.
    """

    profile: ShopProfile
    as_of: dt.datetime
    sessions: pl.DataFrame
    messages: pl.DataFrame
    orders: pl.DataFrame
    order_lines: pl.DataFrame

    def iter_messages(self) -> Iterator[Message]:
        for row in self.messages.iter_rows(named=True):
            yield Message(
                message_id=row["message_id"],
                session_id=row["session_id"],
                time=row["time"],
                buyer=row["buyer"],
                sub_account=row["sub_account"],
                direction=Direction(row["direction"]),
                kind=Kind(row["kind"]),
                text=row["text"],
                transfer_to=row["transfer_to"],
            )

    def iter_sessions(self) -> Iterator[BuyerSession]:
        for row in self.sessions.iter_rows(named=True):
            yield BuyerSession(**{**row, "intent": Intent(row["intent"])})

    def iter_orders(self) -> Iterator[Order]:
        lines: dict[str, list[OrderLine]] = {}
        for ln in self.order_lines.iter_rows(named=True):
            lines.setdefault(ln["order_no"], []).append(
                OrderLine(ln["sku"], ln["title"], ln["price"], ln["quantity"])
            )
        for row in self.orders.iter_rows(named=True):
            yield Order(
                order_no=row["order_no"],
                buyer=row["buyer"],
                created=row["created"],
                paid=row["paid"],
                amount=row["amount"],
                status=OrderStatus(row["status"]),
                lines=tuple(lines.get(row["order_no"], ())),
                flag=FlagColour(row["flag"]),
                note=row["note"],
                session_id=row["session_id"],
                consigned=row["consigned"],
                confirmed=row["confirmed"],
                refund=row["refund"],
                buyer_message=row["buyer_message"],
            )
