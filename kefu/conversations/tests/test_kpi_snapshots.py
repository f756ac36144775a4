"""KPI snapshots: exact figures stored per day with the policy version, the days a binding, an
import or a policy version marks for a recompute (and only those recomputed), the facts written
once with their round, the buyers-waiting board's order and the dashboard's figures."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kefu.conversations import kpi_selectors, waiting_selectors
from kefu.conversations.kpi_services import dirty_days_compute, kpi_days_compute
from kefu.conversations.models import (
    AgentDayKpi,
    ChatAccount,
    Conversation,
    DirtyDay,
    HourKpi,
    PlatformStat,
    ShopDayKpi,
)
from kefu.conversations.services import chat_account_bind, chat_rows_import
from kefu.conversations.tests.kpi_fixture import CHATS, DAYS, HL, XM, KpiShop, at, kpi_shop
from kefu.conversations.waiting_selectors import ImportReach
from kefu.core.choices import Role
from kefu.core.tests.factories import MembershipFactory, ShopFactory
from kefu.performance.models import Fact
from kefu.policy.models import PolicyVersion
from kefu.policy.selectors import policy_in_force
from kefu.policy.services import policy_adopt

pytestmark = pytest.mark.django_db
MAY1, MAY2, MAY3 = DAYS
CHATS_BEFORE_E = CHATS[:-1]  # every buyer answered; the last reply 2026-05-03 11:02:30


@pytest.fixture
def k() -> KpiShop:
    return kpi_shop()


def figures(row: ShopDayKpi | AgentDayKpi) -> dict[str, object]:
    names = ("consulted", "served", "inquiries", "rounds", "answered_rounds", "left_rounds",
             "fast_rounds", "slow_rounds", "unanswered_buyers", "first_response_total_s",
             "first_response_count", "response_total_s", "response_count", "ordered_same_day",
             "ordered_final", "paid_final", "sales", "orders", "sales_pending")  # fmt: skip
    return {name: getattr(row, name) for name in names}


def test_snapshots_hold_exact_figures_and_the_policy_version(k: KpiShop) -> None:
    assert kpi_days_compute(shop=k.shop, days=DAYS) == 3
    version = PolicyVersion.objects.get(shop=k.shop)
    may1 = ShopDayKpi.objects.get(shop=k.shop, local_date=MAY1)
    assert may1.policy_version == version
    assert figures(may1) == {
        "consulted": 2, "served": 2, "inquiries": 2, "rounds": 2, "answered_rounds": 2,
        "left_rounds": 0, "fast_rounds": 1, "slow_rounds": 1, "unanswered_buyers": 0,
        "first_response_total_s": 300, "first_response_count": 2, "response_total_s": 300,
        "response_count": 2, "ordered_same_day": 1, "ordered_final": 1, "paid_final": 1,
        "sales": Decimal("99.00"), "orders": 1, "sales_pending": False,
    }  # fmt: skip
    assert (may1.first_response_s, may1.avg_response_s) == (150.0, 150.0)
    assert may1.data["scores"][0]["kind"] == "taobao_3min"
    assert (may1.data["scores"][0]["numerator"], may1.data["scores"][0]["denominator"]) == (1, 2)
    # 慧兰 is not bound yet: her rounds are nobody's (left messages), so only 小美 has rows.
    rows = AgentDayKpi.objects.filter(shop=k.shop).order_by("local_date")
    assert [(r.local_date, r.agent_id) for r in rows] == [
        (MAY1, k.xiaomei.pk),
        (MAY2, k.xiaomei.pk),
    ]
    assert figures(rows[1]) == {
        "consulted": 1, "served": 1, "inquiries": 0, "rounds": 1, "answered_rounds": 1,
        "left_rounds": 0, "fast_rounds": 0, "slow_rounds": 1, "unanswered_buyers": 0,
        "first_response_total_s": 2400, "first_response_count": 1, "response_total_s": 2400,
        "response_count": 1, "ordered_same_day": None, "ordered_final": None, "paid_final": None,
        "sales": Decimal("0.00"), "orders": 0, "sales_pending": False,
    }  # fmt: skip
    shop_hours = HourKpi.objects.filter(shop=k.shop, agent__isnull=True)
    assert list(shop_hours.values_list("local_date", "hour", "rounds", "response_total_s")) == [
        (MAY1, 10, 2, 300), (MAY2, 9, 1, 0), (MAY2, 20, 1, 2400), (MAY3, 11, 1, 0),
        (MAY3, 23, 1, 0),
    ]  # fmt: skip
    assert DirtyDay.objects.filter(shop=k.shop).count() == 0


def test_a_recompute_replaces_the_days_rows(k: KpiShop) -> None:
    kpi_days_compute(shop=k.shop, days=DAYS)
    kpi_days_compute(shop=k.shop, days=DAYS)
    assert ShopDayKpi.objects.filter(shop=k.shop).count() == 3
    assert AgentDayKpi.objects.filter(shop=k.shop).count() == 2
    assert HourKpi.objects.filter(shop=k.shop).count() == 5 + 2


def test_an_import_marks_the_days_of_its_new_messages_only(k: KpiShop) -> None:
    assert sorted(DirtyDay.objects.filter(shop=k.shop).values_list("day", flat=True)) == DAYS
    kpi_days_compute(shop=k.shop, days=DAYS)
    record = {"buyer": "F", "sender": "F", "direction": "buyer", "time": "2026-05-04 08:00:00"}
    chat_rows_import(shop=k.shop, records=[record], source="t2", acting_user=None)
    chat_rows_import(shop=k.shop, records=[record], source="t3", acting_user=None)  # nothing new
    assert list(DirtyDay.objects.filter(shop=k.shop).values_list("day", flat=True)) == [
        dt.date(2026, 5, 4)
    ]


def test_a_binding_recomputes_exactly_the_days_it_touches(k: KpiShop) -> None:
    kpi_days_compute(shop=k.shop, days=DAYS)
    before = {r.local_date: r.pk for r in ShopDayKpi.objects.filter(shop=k.shop)}
    may1_agent = AgentDayKpi.objects.get(shop=k.shop, local_date=MAY1).pk
    account = ChatAccount.objects.get(shop=k.shop, nickname=HL)
    assert chat_account_bind(shop=k.shop, account=account, agent=k.huilan, acting_user=None) == 2
    assert sorted(DirtyDay.objects.filter(shop=k.shop).values_list("day", flat=True)) == [
        MAY2,
        MAY3,
    ]
    assert dirty_days_compute() == 2
    after = {r.local_date: r.pk for r in ShopDayKpi.objects.filter(shop=k.shop)}
    assert after[MAY1] == before[MAY1]  # untouched
    assert after[MAY2] != before[MAY2] and after[MAY3] != before[MAY3]
    assert AgentDayKpi.objects.get(shop=k.shop, local_date=MAY1).pk == may1_agent
    huilan = AgentDayKpi.objects.filter(shop=k.shop, agent=k.huilan).order_by("local_date")
    assert [(r.local_date, r.rounds, r.response_total_s, r.fast_rounds, r.slow_rounds)
            for r in huilan] == [(MAY2, 1, 30, 1, 0), (MAY3, 1, 150, 1, 1)]  # fmt: skip
    may3 = ShopDayKpi.objects.get(shop=k.shop, local_date=MAY3)
    assert (may3.rounds, may3.left_rounds, may3.response_total_s) == (2, 1, 150)
    assert DirtyDay.objects.count() == 0


def test_facts_are_written_once_with_their_round(k: KpiShop) -> None:
    kpi_days_compute(shop=k.shop, days=DAYS)
    kpi_days_compute(shop=k.shop, days=DAYS)
    facts = Fact.objects.filter(shop=k.shop, source="kpi").order_by("occurred_at", "key")
    assert [(f.agent_id, f.key, f.local_date, f.evidence["wait_s"]) for f in facts] == [
        (k.xiaomei.pk, "slow_round", MAY1, 240),
        (k.xiaomei.pk, "slow_round", MAY2, 2400),
        (k.xiaomei.pk, "unanswered_30min", MAY2, 2400),
    ]
    slow = facts[0]
    conversation = Conversation.objects.get(shop=k.shop, buyer__nickname="B", day=MAY1)
    assert slow.occurred_at == at("2026-05-01 10:00:00")
    assert slow.evidence["conversation_id"] == conversation.pk
    assert slow.evidence["url"] == f"/s/{k.shop.pk}/chats/{conversation.pk}/"
    assert slow.evidence["round_end"] == "2026-05-01T02:04:00+00:00"
    assert slow.evidence["threshold_s"] == 120
    assert slow.source_ref == f"slow_round:{conversation.buyer_id}:1777600800"
    # Binding 慧兰 adds her slow round of 05-03 and nothing twice.
    account = ChatAccount.objects.get(shop=k.shop, nickname=HL)
    chat_account_bind(shop=k.shop, account=account, agent=k.huilan, acting_user=None)
    dirty_days_compute(shop=k.shop)
    new = Fact.objects.filter(shop=k.shop, source="kpi").exclude(pk__in=[f.pk for f in facts])
    assert [(f.agent_id, f.key, f.local_date) for f in new] == [(k.huilan.pk, "slow_round", MAY3)]


def test_a_new_policy_version_marks_its_days(k: KpiShop, monkeypatch: pytest.MonkeyPatch) -> None:
    kpi_days_compute(shop=k.shop, days=DAYS)
    monkeypatch.setattr("kefu.conversations.kpi_services.clock.shop_today", lambda tz: MAY3)
    document = policy_in_force(shop=k.shop, on=MAY1).policy
    version = policy_adopt(shop=k.shop, document=document, effective_from=MAY2, acting_user=None)
    assert sorted(DirtyDay.objects.filter(shop=k.shop).values_list("day", flat=True)) == [
        MAY2,
        MAY3,
    ]
    dirty_days_compute(shop=k.shop)
    versions = dict(
        ShopDayKpi.objects.filter(shop=k.shop).values_list("local_date", "policy_version")
    )
    assert versions == {MAY1: version.pk - 1, MAY2: version.pk, MAY3: version.pk}


def test_the_waiting_board_lists_the_longest_wait_first(k: KpiShop) -> None:
    records = [
        {"buyer": "G", "sender": "G", "direction": "buyer", "time": "2026-05-03 23:20:00"},
        {"buyer": "G", "sender": "G", "direction": "buyer", "time": "2026-05-03 23:30:00"},
        {"buyer": "H", "sender": "H", "direction": "buyer", "time": "2026-05-03 22:00:00"},
        {"buyer": "H", "sender": XM, "direction": "agent", "time": "2026-05-03 22:01:00"},
        {"buyer": "H", "sender": "H", "direction": "buyer", "time": "2026-05-03 23:40:00"},
        {"buyer": "H", "sender": XM, "direction": "agent", "kind": "auto_reply",
         "time": "2026-05-03 23:40:01"},  # an auto-reply answers nobody
        {"buyer": "J", "sender": "J", "direction": "buyer", "time": "2026-05-03 23:00:00"},
        {"buyer": "J", "sender": XM, "direction": "agent", "time": "2026-05-03 23:01:00"},
    ]  # fmt: skip
    chat_rows_import(shop=k.shop, records=records, source="wait", acting_user=None)
    now = at("2026-05-03 23:55:00")
    board = waiting_selectors.buyers_waiting(shop=k.shop, now=now)
    assert [(w.conversation.buyer.nickname, w.since, w.messages, w.waited_seconds, w.agent)
            for w in board] == [
        ("G", at("2026-05-03 23:20:00"), 2, 2100, ""),
        ("H", at("2026-05-03 23:40:00"), 1, 900, "小美"),
        ("E", at("2026-05-03 23:50:00"), 1, 300, ""),
    ]  # fmt: skip
    # 24 hours later nobody is "waiting right now".
    assert waiting_selectors.buyers_waiting(shop=k.shop, now=now + dt.timedelta(days=1)) == []


def test_an_empty_waiting_board_says_how_far_the_chat_imports_reach(
    k: KpiShop, monkeypatch: pytest.MonkeyPatch
) -> None:
    reach = waiting_selectors.chats_import_reach
    last = at("2026-05-03 23:50:00")
    assert reach(shop=k.shop, now=last + dt.timedelta(hours=24)) == ImportReach(last, False)
    assert reach(shop=k.shop, now=last + dt.timedelta(hours=24, seconds=1)) == ImportReach(
        last, True
    )
    # Two days after the last import nobody shows as waiting, and the board says why.
    monkeypatch.setattr("kefu.conversations.kpi_views.clock.now", lambda: at("2026-05-05 10:00:00"))
    url = reverse("kpi:waiting", kwargs={"shop_id": k.shop.pk})
    import_url = reverse("conversations:import", kwargs={"shop_id": k.shop.pk})
    supervisor, finance = Client(), Client()
    supervisor.force_login(MembershipFactory(shop=k.shop, role=Role.SUPERVISOR).user)
    finance.force_login(MembershipFactory(shop=k.shop, role=Role.FINANCE).user)
    behind = (
        "聊天记录只导入到 2026年5月3日 23:50，之后的消息还没有导入，这里还看不到现在等待的买家。"
    )
    page = supervisor.get(url).content.decode()
    assert behind in page and f'href="{import_url}"' in page
    assert "现在没有等待回复的买家" not in page
    # Finance sees the board but does not import chats: the same words, no link.
    page = finance.get(url, headers={"HX-Request": "true"}).content.decode()
    assert behind in page and import_url not in page
    # A shop that never imported chats.
    empty = ShopFactory()
    assert reach(shop=empty, now=last) == ImportReach(None, True)
    supervisor.force_login(MembershipFactory(shop=empty, role=Role.SUPERVISOR).user)
    page = supervisor.get(reverse("kpi:waiting", kwargs={"shop_id": empty.pk})).content.decode()
    assert "还没有导入聊天记录，这里还看不到等待的买家。" in page


def test_a_fresh_import_with_everyone_answered_shows_nobody_waiting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answered = kpi_shop(chats=CHATS_BEFORE_E)
    monkeypatch.setattr("kefu.conversations.kpi_views.clock.now", lambda: at("2026-05-04 09:00:00"))
    client = Client()
    client.force_login(MembershipFactory(shop=answered.shop, role=Role.SUPERVISOR).user)
    page = client.get(reverse("kpi:waiting", kwargs={"shop_id": answered.shop.pk}))
    html = page.content.decode()
    assert "现在没有等待回复的买家。" in html and "聊天记录只导入到" not in html


def test_the_dashboard_figures(k: KpiShop) -> None:
    account = ChatAccount.objects.get(shop=k.shop, nickname=HL)
    chat_account_bind(shop=k.shop, account=account, agent=k.huilan, acting_user=None)
    dirty_days_compute(shop=k.shop)
    board = kpi_selectors.team_dashboard(shop=k.shop, today=MAY3)
    assert (board.day.served, board.day.inquiries, board.day.rounds) == (1, 1, 2)
    month = board.month
    assert (month.consulted, month.served, month.inquiries, month.rounds) == (6, 5, 4, 6)
    assert (month.first_response_total_s, month.first_response_count) == (2880, 5)
    assert month.first_response_s == 576.0
    assert month.avg_response_s == 576.0
    assert (month.fast_rounds, month.rounds - month.left_rounds, month.fast_rate) == (3, 5, 0.6)
    assert (month.ordered_final, month.final_inquiries, month.conversion) == (1, 4, 0.25)
    assert (month.sales, month.orders) == (Decimal("99.00"), 1)
    assert [(r.agent.name if r.agent else None, r.totals.served) for r in board.agents] == [
        ("小美", 3),
        ("慧兰", 2),
    ]
    assert board.load["values"][10] == 2 and sum(board.load["values"]) == 6
    volume, response = board.trend["volume"]["series"], board.trend["response"]["series"]
    assert [s["values"][:3] for s in volume] == [[2, 2, 1], [2, 1, 1], [50.0, 50.0, 100.0]]
    assert [s["values"][:3] for s in response] == [[150.0, 1215.0, 150.0], [150.0, 1215.0, 150.0]]
    assert len(volume[0]["values"]) == 3  # 05-01 .. today


def test_the_dashboard_pages_and_their_xlsx(k: KpiShop, monkeypatch: pytest.MonkeyPatch) -> None:
    kpi_days_compute(shop=k.shop, days=DAYS)
    monkeypatch.setattr("kefu.conversations.kpi_views.clock.shop_today", lambda tz: MAY3)
    client = Client()
    client.force_login(MembershipFactory(shop=k.shop, role=Role.SUPERVISOR).user)
    url = reverse("kpi:dashboard", kwargs={"shop_id": k.shop.pk})
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-figure="sales">¥99.00' in html
    export = client.get(url, {"export": "agents"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("客服", "咨询人数", "接待人数")
    assert rows[1][:3] == ("小美", 3, 3)
    agent_url = reverse("kpi:agent", kwargs={"shop_id": k.shop.pk, "agent_id": k.xiaomei.pk})
    agent_page = client.get(agent_url)
    assert agent_page.status_code == 200
    conversation = Conversation.objects.get(shop=k.shop, buyer__nickname="B", day=MAY1)
    assert f"/s/{k.shop.pk}/chats/{conversation.pk}/" in agent_page.content.decode()
    breaches = load_workbook(io.BytesIO(client.get(agent_url, {"export": "breaches"}).content))
    assert breaches.active is not None and breaches.active.max_row == 4
    waiting = client.get(reverse("kpi:waiting", kwargs={"shop_id": k.shop.pk}),
                         headers={"HX-Request": "true"})  # fmt: skip
    assert waiting.status_code == 200 and "<html" not in waiting.content.decode()


def test_an_agent_sees_only_their_own_kpi_page(k: KpiShop) -> None:
    membership = MembershipFactory(shop=k.shop, role=Role.AGENT)
    k.xiaomei.user = membership.user
    k.xiaomei.save()
    client = Client()
    client.force_login(membership.user)
    own = reverse("kpi:agent", kwargs={"shop_id": k.shop.pk, "agent_id": k.xiaomei.pk})
    other = reverse("kpi:agent", kwargs={"shop_id": k.shop.pk, "agent_id": k.huilan.pk})
    assert client.get(own).status_code == 200
    assert client.get(reverse("kpi:dashboard", kwargs={"shop_id": k.shop.pk})).url == own
    assert client.get(other).status_code == 404


def test_the_platforms_figures_sit_beside_kefus(k: KpiShop) -> None:
    kpi_days_compute(shop=k.shop, days=DAYS)
    report = {"shop": k.shop, "date_from": MAY1, "date_to": MAY1}
    PlatformStat.objects.create(nickname="小美", metric="接待人数", value=Decimal(2), **report)
    PlatformStat.objects.create(nickname=XM, metric="平均响应(秒)", value=Decimal(140), **report)
    PlatformStat.objects.create(nickname="小美", metric="询单人数", pending=True, **report)
    PlatformStat.objects.create(nickname="外包", metric="接待人数", value=Decimal(5), **report)
    PlatformStat.objects.create(nickname="小美", metric="客服字数", value=Decimal(9), **report)
    rows = sorted(
        kpi_selectors.team_dashboard(shop=k.shop, today=MAY3).comparisons,
        key=lambda c: (c.nickname, c.metric),  # the database's collation may order otherwise
    )
    assert [(c.nickname, c.metric, c.platform, c.kefu, c.difference) for c in rows] == [
        ("外包", "接待人数", Decimal(5), None, None),  # nobody's sub-account: no Kefu figure
        ("小美", "接待人数", Decimal(2), 2, 0.0),
        ("小美", "询单人数", None, 2, None),  # 延迟统计
        (XM, "平均响应(秒)", Decimal(140), 150.0, 10.0),
    ]


def test_a_past_month_is_read_to_its_last_day(k: KpiShop, monkeypatch: pytest.MonkeyPatch) -> None:
    kpi_days_compute(shop=k.shop, days=DAYS)
    monkeypatch.setattr(
        "kefu.conversations.kpi_views.clock.shop_today", lambda tz: dt.date(2026, 7, 9)
    )
    client = Client()
    client.force_login(MembershipFactory(shop=k.shop, role=Role.SUPERVISOR).user)
    page = client.get(reverse("kpi:dashboard", kwargs={"shop_id": k.shop.pk}), {"month": "2026-05"})
    assert page.context["board"].today == dt.date(2026, 5, 31)
    assert page.context["board"].month.served == 5
    assert (page.context["previous_month"], page.context["next_month"]) == ("2026-04", "2026-06")
    assert 'href="?export=agents&amp;month=2026-05"' in page.content.decode()
    current = client.get(reverse("kpi:dashboard", kwargs={"shop_id": k.shop.pk}), {"month": "x"})
    assert current.context["board"].today == dt.date(2026, 7, 9)
    assert current.context["next_month"] == ""


def test_an_order_import_marks_the_days_of_its_orders_that_have_chats(
    k: KpiShop, django_capture_on_commit_callbacks
) -> None:
    from kefu.orders.services import orders_import
    from kefu.orders.tests import samples

    kpi_days_compute(shop=k.shop, days=DAYS)
    assert not DirtyDay.objects.filter(shop=k.shop).exists()
    rows = [
        # Placed on 2 May, paid on 3 May (Shanghai time): both days have chats.
        samples.taobao_b_row(
            "9001",
            **{"订单创建时间": "2026-05-02 23:30:00", "订单付款时间 ": "2026-05-03 00:10:00"},
        ),
        # 10 May has no chats: nothing to recompute there.
        samples.taobao_b_row("9002", **{"订单创建时间": "2026-05-10 10:00:00"}),
        # The last second of 30 April: 1 May has chats but none of these orders.
        samples.taobao_b_row("9003", **{"订单创建时间": "2026-04-30 23:59:59"}),
    ]
    data = samples.csv_bytes(samples.TAOBAO_B_HEADER, rows)
    with django_capture_on_commit_callbacks(execute=True):
        orders_import(shop=k.shop, data=data, filename="orders.csv", acting_user=None)
    assert sorted(DirtyDay.objects.filter(shop=k.shop).values_list("day", flat=True)) == [
        MAY2,
        MAY3,
    ]
    # The same file again changes no order, so it marks no day.
    DirtyDay.objects.filter(shop=k.shop).delete()
    with django_capture_on_commit_callbacks(execute=True):
        orders_import(shop=k.shop, data=data, filename="orders.csv", acting_user=None)
    assert not DirtyDay.objects.filter(shop=k.shop).exists()
