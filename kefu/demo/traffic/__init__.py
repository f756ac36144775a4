"""Demo traffic generator: a month of a shop's chats and orders in the platforms' formats.

Pure Python (numpy + Polars), no Django: the demo loader and the benchmarks both use it.
"""

from kefu.demo.traffic.generate import generate_month
from kefu.demo.traffic.model import (
    Behaviour,
    BuyerSession,
    Direction,
    FlagColour,
    Intent,
    Item,
    Kind,
    Message,
    Month,
    Order,
    OrderLine,
    OrderStatus,
    Platform,
    ShopProfile,
    Traffic,
)

__all__ = [
    "Behaviour",
    "BuyerSession",
    "Direction",
    "FlagColour",
    "Intent",
    "Item",
    "Kind",
    "Message",
    "Month",
    "Order",
    "OrderLine",
    "OrderStatus",
    "Platform",
    "ShopProfile",
    "Traffic",
    "generate_month",
]
