"""URL objects of the quality app for tests/test_tenancy.py."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kefu.conversations.models import Buyer, Conversation, Message
from kefu.core.models import Shop
from kefu.policy.selectors import policy_in_force
from kefu.quality.models import QualityHit
from kefu.staff.models import Assignment


def shop_objects(*, shop: Shop, assignment: Assignment) -> dict[str, int]:
    buyer = Buyer.objects.create(shop=shop, nickname="质检买家")
    version = policy_in_force(shop=shop, on=dt.date(2026, 1, 1)).version
    conversation = Conversation.objects.create(shop=shop, buyer=buyer, day=dt.date(2026, 1, 2))
    message = Message.objects.create(
        shop=shop,
        conversation=conversation,
        buyer=buyer,
        sender="店:客服",
        direction="agent",
        kind="human",
        at=timezone.now(),
        text="嗯",
        text_hash="0",
    )
    hit = QualityHit.objects.create(
        shop=shop,
        message=message,
        conversation=conversation,
        agent=assignment.agent,
        rule="single_character",
        phrase="嗯",
        start=0,
        end=1,
        severity="violation",
        clause="S4.3 §3.2",
        policy_version=version,
    )
    return {"hit_id": hit.pk}
