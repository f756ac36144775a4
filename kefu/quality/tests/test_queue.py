"""The quality queue, Django side: hits stored by the chat import, idempotent, decisions kept,
a confirmed violation becomes a fact, and the queue page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from kefu.conversations.models import Message
from kefu.conversations.services import chat_rows_import
from kefu.core.choices import Role
from kefu.core.errors import InvalidInput
from kefu.core.models import AuditEntry, Shop
from kefu.core.tests.factories import (
    AssignmentFactory,
    MembershipFactory,
    ShopFactory,
    SubAccountFactory,
)
from kefu.performance.models import Fact
from kefu.policy.services import policy_adopt_preset
from kefu.quality.models import QualityHit
from kefu.quality.services import quality_hit_decide, quality_scan_conversations
from kefu.staff.models import Agent

pytestmark = pytest.mark.django_db
SHOP = "乐乐家居旗舰店"


def _msg(buyer: str, who: str, time: str, text: str) -> dict[str, str]:
    sender = buyer if who == "buyer" else f"{SHOP}:{who}"
    direction = "buyer" if who == "buyer" else "agent"
    return {
        "buyer": buyer,
        "sender": sender,
        "direction": direction,
        "time": f"2026-05-02T{time}+08:00",
        "text": text,
    }


RECORDS = [
    _msg("买家甲", "buyer", "09:00:00", "在吗"),
    _msg("买家甲", "小美", "09:00:30", "您好，在的"),
    _msg("买家甲", "buyer", "09:01:00", "这款还能补货吗"),
    _msg("买家甲", "小美", "09:01:30", "亲，我们不补货了"),
    _msg("买家甲", "小美", "09:02:00", "嗯"),
    _msg("买家乙", "buyer", "10:00:00", "收到就坏了"),
    _msg("买家乙", "阿杰", "10:00:20", "这不是我们的问题"),
]


@pytest.fixture
def shop() -> Shop:
    shop = ShopFactory(name=SHOP)
    # dongyao-s4: banned phrases (S4.4 §5.5①②), honorifics required (③), single characters.
    policy_adopt_preset(
        shop=shop, preset="dongyao-s4", effective_from=dt.date(2026, 1, 1), acting_user=None
    )
    agent = AssignmentFactory(shop=shop, agent__name="小美").agent
    SubAccountFactory(shop=shop, agent=agent, nickname=f"{SHOP}:小美")
    AssignmentFactory(shop=shop, agent__name="阿杰")  # 阿杰's nickname is not bound yet
    return shop


def _hits(shop: Shop) -> list[tuple[str, str, str, str, str, str | None]]:
    return [
        (h.message.text, h.rule, h.phrase, h.severity, h.clause, h.agent.name if h.agent else None)
        for h in QualityHit.objects.filter(shop=shop).order_by("message__at", "rule")
    ]


def test_an_import_stores_the_hits_once(shop: Shop) -> None:
    chat_rows_import(shop=shop, records=RECORDS, source="erp", acting_user=None)
    assert _hits(shop) == [
        ("亲，我们不补货了", "restock_refusal", "我们不补货了", "violation", "S4.4 §5.5①②", "小美"),
        ("嗯", "single_character", "嗯", "violation", "S4.3 §3.2（借用）", "小美"),
        ("这不是我们的问题", "banned", "这不是我们的问题", "violation", "S4.4 §5.5①②", None),
        (
            "这不是我们的问题",
            "honorifics_missing",
            "",
            "violation",
            "S4.4 §5.5③ 严禁不使用敬语",
            None,
        ),
    ]
    refusal = QualityHit.objects.get(rule="restock_refusal")
    assert (refusal.start, refusal.end, refusal.suggestion) == (2, 8, "工厂不再生产了")
    assert refusal.policy_version.preset == "dongyao-s4"
    # The same file again, and a rescan: nothing new.
    chat_rows_import(shop=shop, records=RECORDS, source="erp", acting_user=None)
    conversations = set(Message.objects.values_list("conversation_id", flat=True))
    assert quality_scan_conversations(shop=shop, conversation_ids=conversations) == 0
    assert QualityHit.objects.count() == 4


def test_an_open_hit_the_conversation_no_longer_has_is_removed_a_decided_one_kept(
    shop: Shop,
) -> None:
    chat_rows_import(shop=shop, records=RECORDS, source="erp", acting_user=None)
    banned = QualityHit.objects.get(rule="banned")
    quality_hit_decide(shop=shop, hit=banned, confirm=False, note="买家误会", acting_user=None)
    # Later that day 阿杰 uses an honorific: the conversation-level hit no longer holds.
    later = [_msg("买家乙", "阿杰", "10:05:00", "亲，给您补发一个")]
    chat_rows_import(shop=shop, records=later, source="erp2", acting_user=None)
    assert sorted(QualityHit.objects.values_list("rule", "status")) == [
        ("banned", "dismissed"),
        ("restock_refusal", "open"),
        ("single_character", "open"),
    ]


def test_confirming_a_violation_records_a_fact_dismissing_does_not(shop: Shop) -> None:
    chat_rows_import(shop=shop, records=RECORDS, source="erp", acting_user=None)
    supervisor = MembershipFactory(shop=shop, role=Role.SUPERVISOR).user
    refusal = QualityHit.objects.get(rule="restock_refusal")
    quality_hit_decide(
        shop=shop, hit=refusal, confirm=True, note="应说工厂不再生产了", acting_user=supervisor
    )
    refusal.refresh_from_db()
    fact = Fact.objects.get()
    assert (refusal.status, refusal.decided_by, refusal.fact) == ("confirmed", supervisor, fact)
    assert (fact.key, fact.agent.name, fact.source, fact.source_ref) == (
        "quality_hit_confirmed",
        "小美",
        "quality",
        f"hit:{refusal.pk}",
    )
    assert fact.local_date == dt.date(2026, 5, 2)
    assert fact.evidence == {
        "message_id": refusal.message_id,
        "conversation_id": refusal.conversation_id,
        "rule": "restock_refusal",
        "phrase": "我们不补货了",
        "clause": "S4.4 §5.5①②",
    }
    single = QualityHit.objects.get(rule="single_character")
    quality_hit_decide(shop=shop, hit=single, confirm=False, acting_user=supervisor)
    assert Fact.objects.count() == 1
    actions = list(
        AuditEntry.objects.filter(object_type="quality_hit")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["quality_hit.confirm", "quality_hit.dismiss"]
    with pytest.raises(InvalidInput, match="已处理（已确认）"):
        quality_hit_decide(shop=shop, hit=refusal, confirm=False, acting_user=supervisor)


def test_an_unbound_sender_must_be_bound_before_a_violation_is_confirmed(shop: Shop) -> None:
    chat_rows_import(shop=shop, records=RECORDS, source="erp", acting_user=None)
    banned = QualityHit.objects.get(rule="banned")
    with pytest.raises(InvalidInput, match="还没有绑定客服"):
        quality_hit_decide(shop=shop, hit=banned, confirm=True, acting_user=None)
    banned.refresh_from_db()
    assert (banned.status, Fact.objects.count()) == ("open", 0)
    # Bound afterwards: the confirmation finds the agent now.
    ajie = Agent.objects.get(name="阿杰")
    SubAccountFactory(shop=shop, agent=ajie, nickname=f"{SHOP}:阿杰")
    quality_hit_decide(shop=shop, hit=banned, confirm=True, acting_user=None)
    banned.refresh_from_db()
    assert (banned.agent, Fact.objects.get().agent) == (ajie, ajie)


def test_a_shop_without_a_policy_imports_without_hits() -> None:
    shop = ShopFactory(name=SHOP)
    chat_rows_import(shop=shop, records=RECORDS, source="erp", acting_user=None)
    assert (Message.objects.count(), QualityHit.objects.count()) == (7, 0)


def _client(shop: Shop, role: Role, agent: Agent | None = None) -> Client:
    membership = MembershipFactory(shop=shop, role=role)
    if agent is not None:
        agent.user = membership.user
        agent.save(update_fields=["user"])
    client = Client()
    client.force_login(membership.user)
    return client


def test_the_queue_page_and_htmx_decisions(shop: Shop) -> None:
    chat_rows_import(shop=shop, records=RECORDS, source="erp", acting_user=None)
    url = reverse("quality:queue", kwargs={"shop_id": shop.pk})
    supervisor = _client(shop, Role.SUPERVISOR)
    page = supervisor.get(url).content.decode()
    assert page.count('data-testid="quality-hit"') == 4
    assert "亲，<mark>我们不补货了</mark>" in page
    assert "工厂不再生产了" in page
    refusal = QualityHit.objects.get(rule="restock_refusal")
    decide = reverse("quality:decide", kwargs={"shop_id": shop.pk, "hit_id": refusal.pk})
    swapped = supervisor.post(
        decide, {"decision": "confirm", "note": "x"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert 'data-testid="hit-status">已确认' in swapped
    assert "已计入积分与罚款" in swapped
    assert supervisor.get(url).content.decode().count('data-testid="quality-hit"') == 3
    assert supervisor.get(url + "?status=confirmed").content.decode().count("quality-hit") == 1
    # An agent sees their own hits only and cannot decide.
    xiaomei = Agent.objects.get(name="小美")
    agent = _client(shop, Role.AGENT, xiaomei)
    own = agent.get(url).content.decode()
    assert own.count('data-testid="quality-hit"') == 2
    assert "这不是我们的问题" not in own
    single = QualityHit.objects.get(rule="single_character")
    forbidden = reverse("quality:decide", kwargs={"shop_id": shop.pk, "hit_id": single.pk})
    assert agent.post(forbidden, {"decision": "dismiss"}).status_code == 403
