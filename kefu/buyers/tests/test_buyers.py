"""Profiles, groups, notes, links, follow-ups and personal data, with exact values."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.db.models import Count, Sum
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kefu.buyers import privacy, services
from kefu.buyers.groups import groups_recompute
from kefu.buyers.models import BuyerNote, FollowUp, GroupMembership
from kefu.buyers.selectors import buyer_notes_for, buyer_summary, follow_up_candidates
from kefu.conversations.choices import Direction
from kefu.conversations.kpi_services import kpi_days_compute
from kefu.conversations.models import AgentDayKpi, Buyer, Message, ShopDayKpi
from kefu.core.choices import Role
from kefu.core.errors import Forbidden, InvalidInput, NotFound
from kefu.core.models import AuditEntry
from kefu.core.tests.factories import MembershipFactory, ShopFactory
from kefu.knowledge.models import QuickPhrase
from kefu.orders.models import Order

from .conftest import World, at, chat, make_world, order

NOW = at(2026, 11, 20, 12)


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _shop_data(w: World) -> dict[str, Buyer]:
    """老王: 3 paid orders 2,150.50 in a year (VIP); 小张: one order; 问问: chatted, no order."""
    order(w, "1", "老王", created=at(2026, 1, 5), paid="1000.00")
    order(w, "2", "老王", created=at(2026, 6, 5), paid="900.50")
    order(
        w,
        "3",
        "老王",
        created=at(2026, 11, 1),
        paid="250.00",
        raw={"联系手机": "13812341234", "收货地址": "浙江省杭州市西湖区文三路100号"},
    )
    order(w, "4", "老王", created=at(2026, 11, 2), paid="99.00", status="closed")
    order(w, "5", "小张", created=at(2026, 10, 1), paid="30.00")
    wang = Buyer.objects.create(shop=w.shop, nickname="老王")
    zhang = Buyer.objects.create(shop=w.shop, nickname="小张")
    ask = Buyer.objects.create(shop=w.shop, nickname="问问")
    chat(
        w,
        wang,
        [
            (at(2026, 11, 1, 9), Direction.BUYER, None, "在吗，我的电话13812341234"),
            (at(2026, 11, 1, 9, 0, 30), Direction.AGENT, w.account1, "在的亲"),
            (at(2026, 11, 1, 9, 5), Direction.BUYER, None, "什么时候发货"),
            (at(2026, 11, 1, 9, 6, 30), Direction.AGENT, w.account1, "今天发"),
        ],
    )
    chat(
        w,
        wang,
        [
            (at(2026, 11, 3, 20), Direction.BUYER, None, "收到了"),
            (at(2026, 11, 3, 20, 0, 10), Direction.AGENT, w.account2, "好的"),
        ],
    )
    chat(
        w,
        ask,
        [
            (at(2026, 11, 18, 15), Direction.BUYER, None, "有优惠吗"),
            (at(2026, 11, 18, 15, 1), Direction.AGENT, w.account2, "有券哦"),
        ],
    )
    return {"wang": wang, "zhang": zhang, "ask": ask}


def test_summary_lifetime_value_orders_last_contact_and_response(world: World) -> None:
    b = _shop_data(world)
    s = buyer_summary(shop=world.shop, buyer=b["wang"])
    assert s.paid_total == Decimal("2150.50")  # the closed order is not counted
    assert s.order_count == 3
    assert s.last_contact == at(2026, 11, 3, 20, 0, 10)
    assert s.conversations == 2
    # Rounds: 30 s, 90 s, 10 s; first rounds of each conversation: 30 s and 10 s.
    assert (s.received.rounds, s.received.answered) == (3, 3)
    assert s.received.average_seconds == pytest.approx(130 / 3)
    assert s.received.average_first_seconds == 20.0


def test_groups_from_policy_set_based_and_recomputed(world: World) -> None:
    b = _shop_data(world)
    result = groups_recompute(shop=world.shop, now=NOW)
    members = {
        (m.buyer.nickname, m.group, m.clause[:2])
        for m in GroupMembership.objects.select_related("buyer")
    }
    assert members == {("老王", "vip", "S1"), ("问问", "potential", "S2")}
    assert result.joined == {"vip": 1, "potential": 1, "at_risk": 0}
    # 问问 orders: no longer potential; 小张 buys twice more: VIP by count (3 orders).
    order(world, "6", "问问", created=at(2026, 11, 19), paid="10.00")
    order(world, "7", "小张", created=at(2026, 11, 10), paid="30.00")
    order(world, "8", "小张", created=at(2026, 11, 11), paid="30.00")
    result = groups_recompute(shop=world.shop, now=NOW)
    assert result.left == {"vip": 0, "potential": 1, "at_risk": 0}
    assert set(GroupMembership.objects.values_list("buyer__nickname", "group")) == {
        ("老王", "vip"),
        ("小张", "vip"),
    }
    assert b["zhang"].pk in {m.buyer_id for m in GroupMembership.objects.filter(group="vip")}


def test_group_list_and_xlsx_export(world: World) -> None:
    _shop_data(world)
    groups_recompute(shop=world.shop, now=NOW)
    client = _client(world.supervisor)
    url = reverse("buyers:list", kwargs={"shop_id": world.shop.pk})
    page = client.get(url, {"group": "vip"}).content.decode()
    assert "老王" in page and "小张" not in page
    response = client.get(
        reverse("buyers:group_export", kwargs={"shop_id": world.shop.pk}), {"group": "vip"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("买家", "实付总额", "订单数", "最近联系")
    assert rows[1][:3] == ("老王", 2150.5, 3)
    assert len(rows) == 2
    # Agents see the lists but do not export.
    agent = _client(world.agent_user)
    assert (
        agent.get(
            reverse("buyers:group_export", kwargs={"shop_id": world.shop.pk}), {"group": "vip"}
        ).status_code
        == 403
    )


def test_notes_show_beside_the_buyer_on_orders_and_chats(world: World) -> None:
    b = _shop_data(world)
    client = _client(world.agent_user)
    url = reverse("buyers:note_add", kwargs={"shop_id": world.shop.pk, "buyer_id": b["wang"].pk})
    assert client.post(url, {"text": "老客户，要发顺丰"}).status_code == 302
    note = BuyerNote.objects.get()
    assert (note.text, note.author_name, note.author_id) == (
        "老客户，要发顺丰",
        "小美",
        world.agent_user.pk,
    )
    services.buyer_tag_add(shop=world.shop, buyer=b["wang"], name="爱砍价", acting_user=None)
    badges = buyer_notes_for(shop=world.shop, nicknames=["老王", "小张", "没见过"])
    assert set(badges) == {"老王", "小张"}
    assert (badges["老王"].notes, badges["老王"].latest, badges["老王"].tags) == (
        1,
        "老客户，要发顺丰",
        ["爱砍价"],
    )
    assert badges["小张"].notes == 0
    supervisor = _client(world.supervisor)
    orders_page = supervisor.get(reverse("orders:list", kwargs={"shop_id": world.shop.pk}))
    assert (
        orders_page.content.decode().count('data-testid="buyer-badge"') == 5
    )  # 4 of 老王, 1 of 小张
    o = Order.objects.get(order_no="1")
    detail = supervisor.get(
        reverse("orders:detail", kwargs={"shop_id": world.shop.pk, "order_id": o.pk})
    )
    assert "老客户，要发顺丰" in detail.content.decode()
    conv = b["wang"].conversations.first()
    chat_page = supervisor.get(
        reverse(
            "conversations:detail", kwargs={"shop_id": world.shop.pk, "conversation_id": conv.pk}
        )
    )
    assert "老客户，要发顺丰" in chat_page.content.decode()
    # The after-sales list and case, and the buyers-waiting board, show the note too.
    from kefu.aftersales.services import case_open

    case = case_open(shop=world.shop, type="missing_items", buyer_nick="老王", acting_user=None)
    cases = supervisor.get(reverse("aftersales:list", kwargs={"shop_id": world.shop.pk}))
    assert cases.content.decode().count('data-testid="buyer-badge"') == 1
    case_page = supervisor.get(
        reverse("aftersales:case", kwargs={"shop_id": world.shop.pk, "case_id": case.pk})
    )
    assert "老客户，要发顺丰" in case_page.content.decode()
    from django.template.loader import render_to_string

    from kefu.conversations.waiting_selectors import Waiting

    waiting = Waiting(
        conversation=conv, since=conv.last_at, holder="", agent="小美", messages=2,
        waited=dt.timedelta(minutes=4),
    )  # fmt: skip
    board = render_to_string(
        "conversations/_waiting_rows.html", {"shop": world.shop, "waiting": [waiting]}
    )
    assert board.count('data-testid="buyer-badge"') == 1


def test_profile_page_shows_timeline_and_figures(world: World) -> None:
    b = _shop_data(world)
    page = (
        _client(world.agent_user)
        .get(reverse("buyers:profile", kwargs={"shop_id": world.shop.pk, "buyer_id": b["wang"].pk}))
        .content.decode()
    )
    assert "¥2,150.50" in page
    assert page.count('data-kind="order"') == 4
    assert page.count('data-kind="conversation"') == 2
    # Contacts are masked for an agent, who has no reveal button.
    assert "138****1234" in page and "13812341234" not in page.split("timeline")[0]
    assert "查看（留痕）" not in page


def test_a_note_on_a_buyer_of_another_shop_is_404(world: World) -> None:
    other = make_world()
    stranger = Buyer.objects.create(shop=other.shop, nickname="别人家的")
    client = _client(world.agent_user)
    url = reverse("buyers:note_add", kwargs={"shop_id": world.shop.pk, "buyer_id": stranger.pk})
    assert client.post(url, {"text": "x"}).status_code == 404
    with pytest.raises(NotFound):
        services.buyer_note_add(shop=world.shop, buyer=stranger, text="x", acting_user=None)
    assert BuyerNote.objects.count() == 0


def test_same_nickname_on_two_platforms_stays_two_buyers(world: World) -> None:
    jd = make_world(agency=world.shop.agency, platform="jd", name="京东店")
    here = Buyer.objects.create(shop=world.shop, nickname="同名")
    there = Buyer.objects.create(shop=jd.shop, nickname="同名")
    order(world, "T1", "同名", created=at(2026, 11, 1), paid="10.00")
    order(jd, "J1", "同名", created=at(2026, 11, 1), paid="99.00")
    services.buyer_note_add(shop=world.shop, buyer=here, text="淘宝的备注", acting_user=None)
    assert here.pk != there.pk
    assert buyer_summary(shop=world.shop, buyer=here).paid_total == Decimal("10.00")
    assert buyer_summary(shop=jd.shop, buyer=there).paid_total == Decimal("99.00")
    assert buyer_notes_for(shop=jd.shop, nicknames=["同名"])["同名"].notes == 0
    # Linking them is a supervisor's decision in both shops, stored on both sides.
    boss = world.supervisor
    MembershipFactory(shop=jd.shop, user=boss, role=Role.SUPERVISOR)
    services.buyer_link(shop=world.shop, buyer=here, other=there, acting_user=boss)
    assert set(here.links.values_list("other_id", "shop_id")) == {(there.pk, world.shop.pk)}
    assert set(there.links.values_list("other_id", "shop_id")) == {(here.pk, jd.shop.pk)}
    with pytest.raises(InvalidInput, match="已经关联"):
        services.buyer_link(shop=world.shop, buyer=here, other=there, acting_user=boss)


def test_a_link_across_two_agencies_is_refused(world: World) -> None:
    other = make_world()  # another agency
    boss = world.supervisor
    MembershipFactory(shop=other.shop, user=boss, role=Role.SUPERVISOR)
    here = Buyer.objects.create(shop=world.shop, nickname="甲")
    there = Buyer.objects.create(shop=other.shop, nickname="甲")
    with pytest.raises(InvalidInput, match="不同的代运营公司"):
        services.buyer_link(shop=world.shop, buyer=here, other=there, acting_user=boss)
    assert here.links.count() == 0 and there.links.count() == 0


def test_a_link_needs_the_user_to_manage_both_shops(world: World) -> None:
    sister = ShopFactory(agency=world.shop.agency, name="姐妹店")
    here = Buyer.objects.create(shop=world.shop, nickname="甲")
    there = Buyer.objects.create(shop=sister, nickname="甲")
    with pytest.raises(NotFound):
        services.buyer_link(shop=world.shop, buyer=here, other=there, acting_user=world.supervisor)


def test_follow_up_list_suggests_a_phrase_and_respects_the_quiet_period(world: World) -> None:
    b = _shop_data(world)
    groups_recompute(shop=world.shop, now=NOW)
    QuickPhrase.objects.create(shop=world.shop, group="跟进", text="亲，券还有两天到期哦")
    assert [x.nickname for x in follow_up_candidates(shop=world.shop, now=NOW, quiet_days=7)] == [
        "问问"
    ]
    client = _client(world.agent_user)
    page = client.get(
        reverse("buyers:follow_ups", kwargs={"shop_id": world.shop.pk})
    ).content.decode()
    assert "亲，券还有两天到期哦" in page and "问问" in page
    services.follow_up_record(
        shop=world.shop,
        buyer=b["ask"],
        outcome="interested",
        phrase_text="亲，券还有两天到期哦",
        acting_user=world.agent_user,
        at=at(2026, 11, 19, 10),
    )
    row = FollowUp.objects.get()
    assert (row.agent_id, row.outcome) == (world.agent1.pk, "interested")
    assert list(follow_up_candidates(shop=world.shop, now=NOW, quiet_days=7)) == []
    later = at(2026, 11, 26, 10, 0, 1)  # seven days and a second later
    assert [x.nickname for x in follow_up_candidates(shop=world.shop, now=later, quiet_days=7)] == [
        "问问"
    ]


def test_contacts_masked_revealed_by_role_and_each_reveal_audited(world: World) -> None:
    b = _shop_data(world)
    rows = privacy.buyer_contacts(shop=world.shop, buyer=b["wang"])
    assert [(r.kind, r.masked, r.source) for r in rows] == [
        ("phone", "138****1234", "3"),
        ("address", "浙江省杭州市西湖区****", "3"),
    ]
    with pytest.raises(Forbidden):
        privacy.contact_reveal(
            shop=world.shop,
            buyer=b["wang"],
            ref=rows[0].ref,
            role=Role.AGENT,
            acting_user=world.agent_user,
        )
    url = reverse(
        "buyers:contact_reveal", kwargs={"shop_id": world.shop.pk, "buyer_id": b["wang"].pk}
    )
    assert _client(world.agent_user).post(url, {"ref": rows[0].ref}).status_code == 403
    response = _client(world.supervisor).post(url, {"ref": rows[0].ref})
    assert response.content.decode() == "13812341234"
    entry = AuditEntry.objects.get(action="buyer_contact_reveal")
    assert (entry.actor_id, entry.object_id, entry.path) == (
        world.supervisor.pk,
        str(b["wang"].pk),
        rows[0].ref,
    )


def _figures(w: World) -> dict[str, object]:
    orders = Order.objects.filter(shop=w.shop).aggregate(n=Count("pk"), total=Sum("paid_amount"))
    kpi_days_compute(shop=w.shop, days=[dt.date(2026, 11, d) for d in range(1, 21)])
    drop = {"id", "computed_at", "created_at", "updated_at"}

    def rows(model: type) -> list[dict[str, object]]:
        return sorted(
            (
                {k: v for k, v in r.items() if k not in drop}
                for r in model.objects.filter(shop=w.shop).values()
            ),
            key=repr,
        )

    return {"orders": orders, "shop_day": rows(ShopDayKpi), "agent_day": rows(AgentDayKpi)}


def test_export_then_erasure_keeps_the_shops_figures(world: World) -> None:
    b = _shop_data(world)
    wang = b["wang"]
    services.buyer_note_add(shop=world.shop, buyer=wang, text="电话13812341234", acting_user=None)
    services.buyer_contact_add(
        shop=world.shop, buyer=wang, kind="wechat", value="wang_wx", acting_user=None
    )
    client = _client(world.supervisor)
    export = client.get(
        reverse("buyers:export", kwargs={"shop_id": world.shop.pk, "buyer_id": wang.pk})
    )
    data = json.loads(export.content)
    assert data["nickname"] == "老王"
    assert [o["order_no"] for o in data["orders"]] == ["1", "2", "3", "4"]
    assert {"kind": "phone", "value": "13812341234"} in data["contacts"]
    assert len(data["messages"]) == 6
    xlsx = client.get(
        reverse("buyers:export", kwargs={"shop_id": world.shop.pk, "buyer_id": wang.pk}),
        {"format": "xlsx"},
    )
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames == [
        "买家",
        "联系方式",
        "订单",
        "聊天记录",
        "备注",
        "回访",
        "跟进",
    ]

    before = _figures(world)
    assert before["orders"] == {"n": 5, "total": Decimal("2279.50")}
    assert before["shop_day"], "the KPI engine produced figures"
    url = reverse("buyers:erase", kwargs={"shop_id": world.shop.pk, "buyer_id": wang.pk})
    assert client.post(url, {"reason": "买家2026-11-20申请"}).status_code == 302
    after = _figures(world)
    assert after == before

    wang.refresh_from_db()
    assert wang.nickname == f"已删除买家{wang.pk}"
    assert not Order.objects.filter(buyer_nick="老王").exists()
    assert Order.objects.get(order_no="3").raw == {}
    texts = set(Message.objects.filter(buyer=wang).values_list("text", flat=True))
    assert texts == {"[已删除]"}
    assert not Message.objects.filter(sender="老王").exists()
    assert wang.notes.count() == 0 and wang.contacts.count() == 0
    assert privacy.buyer_contacts(shop=world.shop, buyer=wang) == []
    assert buyer_summary(shop=world.shop, buyer=wang).paid_total == Decimal("2150.50")
    entry = AuditEntry.objects.get(action="buyer_erase")
    assert entry.note == "买家2026-11-20申请" and "老王" not in json.dumps(
        entry.new_value, ensure_ascii=False
    )
    # Erased buyers are in no group and are never scheduled again.
    groups_recompute(shop=world.shop, now=NOW)
    assert not GroupMembership.objects.filter(buyer=wang).exists()
    with pytest.raises(InvalidInput, match="已经删除"):
        privacy.buyer_erase(shop=world.shop, buyer=wang, reason="again", acting_user=None)
