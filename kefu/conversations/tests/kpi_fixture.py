"""A small shop for the snapshot, facts and screen tests: three days of chats imported through
the API importer, one order, the taobao-s1 policy from April 2026.

    05-01  A 10:00:00 -> 小美 10:01:00 (60 s)      B 10:00:00 -> 小美 10:04:00 (240 s, slow)
           A orders 10:10, pays 10:12, 99.00
    05-02  C 09:00:00 -> 慧兰 09:00:30 (30 s)      A 20:00:00 -> 小美 20:40:00 (2400 s)
    05-03  D 11:00:00 -> 慧兰 11:02:30 (150 s)     E 23:50:00 waits (last message of all)

小美 is bound to an agent; 慧兰 is not until a test binds her.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from kefu.conversations.services import chat_rows_import
from kefu.core.models import Shop
from kefu.core.tests.factories import AssignmentFactory, ShopFactory, SubAccountFactory
from kefu.orders.models import ImportBatch as OrderBatch
from kefu.orders.models import Order
from kefu.policy.services import policy_adopt_preset
from kefu.staff.models import Agent

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
NAME = "测试旗舰店"
XM = f"{NAME}:小美"
HL = f"{NAME}:慧兰"
DAYS = [dt.date(2026, 5, 1), dt.date(2026, 5, 2), dt.date(2026, 5, 3)]

CHATS = [
    ("A", "A", "buyer", "2026-05-01 10:00:00"),
    ("B", "B", "buyer", "2026-05-01 10:00:00"),
    ("A", XM, "agent", "2026-05-01 10:01:00"),
    ("B", XM, "agent", "2026-05-01 10:04:00"),
    ("C", "C", "buyer", "2026-05-02 09:00:00"),
    ("C", HL, "agent", "2026-05-02 09:00:30"),
    ("A", "A", "buyer", "2026-05-02 20:00:00"),
    ("A", XM, "agent", "2026-05-02 20:40:00"),
    ("D", "D", "buyer", "2026-05-03 11:00:00"),
    ("D", HL, "agent", "2026-05-03 11:02:30"),
    ("E", "E", "buyer", "2026-05-03 23:50:00"),
]


@dataclass(frozen=True)
class KpiShop:
    shop: Shop
    xiaomei: Agent
    huilan: Agent


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def kpi_shop(*, chats: list[tuple[str, str, str, str]] = CHATS) -> KpiShop:
    shop = ShopFactory(name=NAME)
    policy_adopt_preset(
        shop=shop, preset="taobao-s1", effective_from=dt.date(2026, 4, 1), acting_user=None
    )
    xiaomei = AssignmentFactory(shop=shop, agent__name="小美").agent
    huilan = AssignmentFactory(shop=shop, agent__name="慧兰").agent
    SubAccountFactory(shop=shop, agent=xiaomei, nickname=XM)
    records = [
        {"buyer": b, "sender": s, "direction": d, "time": t, "text": f"{s} {t}"}
        for b, s, d, t in chats
    ]
    chat_rows_import(shop=shop, records=records, source="test", acting_user=None)
    batch = OrderBatch.objects.create(shop=shop, file_name="orders.csv", kind="test")
    Order.objects.create(
        shop=shop,
        platform="tmall",
        order_no="O1",
        buyer_nick="A",
        status="paid",
        created_at=at("2026-05-01 10:10:00"),
        paid_at=at("2026-05-01 10:12:00"),
        total_amount=Decimal("99.00"),
        paid_amount=Decimal("99.00"),
        batch=batch,
    )
    return KpiShop(shop, xiaomei, huilan)
