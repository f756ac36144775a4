"""A taobao-s1 shop with two agents (with users and sub-accounts), buyers, orders and chats."""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

import pytest

from kefu.conversations.choices import Direction, Kind
from kefu.conversations.models import Buyer, ChatAccount, Conversation, Message
from kefu.core.choices import Role
from kefu.core.models import Shop
from kefu.core.tests.factories import (
    AssignmentFactory,
    MembershipFactory,
    ShopFactory,
    SubAccountFactory,
)
from kefu.orders.models import ImportBatch, Order
from kefu.policy.services import policy_adopt_preset
from kefu.staff.models import Agent

SH = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0, ss: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=SH)


@dataclass
class World:
    shop: Shop
    agent1: Agent
    agent2: Agent
    account1: ChatAccount
    account2: ChatAccount
    supervisor: object
    agent_user: object
    batch: ImportBatch


def make_world(**shop_kwargs: object) -> World:
    shop = ShopFactory(**shop_kwargs)
    policy_adopt_preset(
        shop=shop, preset="taobao-s1", effective_from=dt.date(2025, 1, 1), acting_user=None
    )
    supervisor = MembershipFactory(shop=shop, role=Role.SUPERVISOR).user
    agent_user = MembershipFactory(shop=shop, role=Role.AGENT).user
    a1 = AssignmentFactory(shop=shop, agent__name="小美", agent__user=agent_user).agent
    a2 = AssignmentFactory(shop=shop, agent__name="小丽").agent
    s1 = SubAccountFactory(shop=shop, agent=a1, nickname=f"{shop.name}:小美")
    s2 = SubAccountFactory(shop=shop, agent=a2, nickname=f"{shop.name}:小丽")
    seen = at(2025, 1, 1)
    acc1 = ChatAccount.objects.create(
        shop=shop, nickname=s1.nickname, first_seen_at=seen, last_seen_at=seen
    )
    acc2 = ChatAccount.objects.create(
        shop=shop, nickname=s2.nickname, first_seen_at=seen, last_seen_at=seen
    )
    batch = ImportBatch.objects.create(shop=shop, file_name="o.csv", sha256="0", kind="test")
    return World(shop, a1, a2, acc1, acc2, supervisor, agent_user, batch)


@pytest.fixture
def world(db: object) -> World:
    return make_world()


def order(
    w: World,
    no: str,
    nick: str,
    *,
    created: dt.datetime,
    paid: str | None = None,
    status: str = "finished",
    raw: dict[str, str] | None = None,
) -> Order:
    return Order.objects.create(
        shop=w.shop,
        platform="taobao",
        order_no=no,
        buyer_nick=nick,
        status=status,
        created_at=created,
        paid_at=created + dt.timedelta(minutes=5) if paid is not None else None,
        paid_amount=Decimal(paid) if paid is not None else None,
        total_amount=Decimal(paid) if paid is not None else None,
        raw=raw or {},
        batch=w.batch,
    )


def chat(
    w: World, buyer: Buyer, lines: list[tuple[dt.datetime, str, ChatAccount | None, str]]
) -> Conversation:
    """lines: (at, direction, holder account, text); human messages."""
    day = lines[0][0].astimezone(SH).date()
    conv, _ = Conversation.objects.get_or_create(shop=w.shop, buyer=buyer, day=day)
    for when, direction, holder, text in lines:
        sender = buyer.nickname if direction == Direction.BUYER else holder.nickname  # type: ignore[union-attr]
        Message.objects.create(
            shop=w.shop,
            conversation=conv,
            buyer=buyer,
            sender=sender,
            direction=direction,
            kind=Kind.HUMAN,
            at=when,
            text=text,
            text_hash=hashlib.sha256(text.encode()).hexdigest()[:16],
            holder=holder,
        )
    conv.first_at = min(x[0] for x in lines)
    conv.last_at = max(x[0] for x in lines)
    conv.message_count = conv.messages.count()
    conv.save()
    return conv
