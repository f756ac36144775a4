"""Weekly summaries (S4.1: Saturday 17:00, 200 characters) and daily records (S4.4: Friday
11:00, prefilled from the KPIs): deadlines, drafts, the reading list, and the facts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from kefu.attendance.tests.support import SH, agent_in, at, days, freeze, publish, shop_under
from kefu.conversations.models import AgentDayKpi, Buyer, ChatAccount, Conversation, Message
from kefu.core.choices import Role
from kefu.core.errors import InvalidInput
from kefu.core.tests.factories import MembershipFactory, UserFactory
from kefu.orders.models import ImportBatch, Order
from kefu.performance.models import Fact
from kefu.policy.models import PolicyVersion
from kefu.policy.schema.attendance import Due
from kefu.rota.choices import RequestKind, RequestStatus
from kefu.rota.models import Request
from kefu.staff.models import SubAccount
from kefu.worklog import selectors
from kefu.worklog.engine import due_in_week, latest_due, record_days, summary_chars
from kefu.worklog.facts import daily_record_facts_record, weekly_summary_facts_record
from kefu.worklog.services import daily_record_save, weekly_summary_save

pytestmark = pytest.mark.django_db

WEEK = dt.date(2026, 1, 5)  # a Monday; S4.1's summary of this week is due Sat 10 Jan 17:00


def test_deadlines_are_read_in_the_shops_zone() -> None:
    saturday = Due(weekday="sat", time="17:00")
    assert due_in_week(WEEK, saturday, SH) == at(10, 17)
    assert latest_due(at(10, 17), saturday, SH) == (WEEK, at(10, 17))
    assert latest_due(at(10, 16, 59), saturday, SH) == (dt.date(2025, 12, 29), at(3, 17))
    friday = Due(weekday="fri", time="11:00")
    _, due_at = latest_due(at(12, 9), friday, SH)
    assert due_at == at(9, 11)
    assert record_days(due_at, SH) == [dt.date(2026, 1, d) for d in (2, 3, 4, 5, 6, 7, 8)]
    assert summary_chars("本周 接待\n顺利。 ok") == 9


def test_missing_late_and_short_summaries_become_facts() -> None:
    shop = shop_under("taobao-s4-fines")
    mei, qiang, lan, hua = (agent_in(shop, n) for n in ("小美", "阿强", "小兰", "阿华"))
    enough, short = "好" * 200, "好" * 199
    weekly_summary_save(
        shop=shop,
        agent=mei,
        week_start=WEEK,
        text=enough,
        submit=True,
        acting_user=None,
        at=at(10, 16),
    )
    weekly_summary_save(
        shop=shop,
        agent=qiang,
        week_start=WEEK,
        text=short,
        submit=True,
        acting_user=None,
        at=at(10, 16),
    )
    weekly_summary_save(
        shop=shop, agent=lan, week_start=WEEK, text=enough, submit=False, acting_user=None
    )
    weekly_summary_save(
        shop=shop, agent=hua, week_start=WEEK, text=enough, submit=True, acting_user=None,
        at=at(10, 17, 1),
    )  # fmt: skip
    assert weekly_summary_facts_record(shop=shop, as_of=at(10, 16, 59)) == 4  # last week's: none
    Fact.objects.all().delete()
    assert weekly_summary_facts_record(shop=shop, as_of=at(11, 6, 30)) == 3
    got = {
        f.agent.name: (f.key, f.evidence["chars"], f.evidence["submitted_at"])
        for f in Fact.objects.select_related("agent")
    }
    assert got == {
        "阿强": ("weekly_summary_short", 199, "2026-01-10T16:00:00+08:00"),
        "小兰": ("weekly_summary_missing", 200, None),
        "阿华": ("weekly_summary_missing", 200, "2026-01-10T17:01:00+08:00"),
    }
    fact = Fact.objects.get(agent=qiang)
    assert (fact.local_date, fact.occurred_at) == (dt.date(2026, 1, 10), at(10, 17))
    assert fact.evidence["clause"] == "S4.1 §3" and fact.evidence["min_chars"] == 200
    rows = selectors.summaries_reading_list(
        shop=shop, week_start=WEEK, due=Due(weekday="sat", time="17:00"), min_chars=200
    )
    assert [(r.agent.name, r.submitted, r.short, r.late) for r in rows] == [
        ("小兰", False, False, False),
        ("小美", True, False, False),
        ("阿华", True, False, True),
        ("阿强", True, True, False),
    ]


def test_a_submitted_summary_is_final_and_a_week_starts_on_monday() -> None:
    shop = shop_under("taobao-s4-fines")
    mei = agent_in(shop, "小美")
    weekly_summary_save(
        shop=shop, agent=mei, week_start=WEEK, text="x", submit=True, acting_user=None
    )
    with pytest.raises(InvalidInput, match="已提交"):
        weekly_summary_save(
            shop=shop, agent=mei, week_start=WEEK, text="y", submit=False, acting_user=None
        )
    with pytest.raises(InvalidInput, match="不是周一"):
        weekly_summary_save(
            shop=shop, agent=mei, week_start=dt.date(2026, 1, 6), text="y", submit=False,
            acting_user=None,
        )  # fmt: skip


def test_a_shop_without_weekly_summaries_records_none() -> None:
    shop = shop_under("pdd-s3")
    agent_in(shop, "小美")
    assert weekly_summary_facts_record(shop=shop, as_of=at(11, 6, 30)) == 0


def test_the_summary_pages_draft_submit_and_read(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch, at(9, 10))
    shop = shop_under("taobao-s4-fines")
    user = UserFactory()
    MembershipFactory(shop=shop, user=user, role=Role.AGENT)
    mei = agent_in(shop, "小美", agent__user=user)
    own = Client()
    own.force_login(user)
    url = f"/s/{shop.pk}/worklog/summaries/?week=2026-01-07"
    assert own.post(url, {"text": "草稿", "draft": "1"}).status_code == 302
    assert own.post(url, {"text": "本周" * 100, "submit": "1"}).status_code == 302
    summary = selectors.summary_of(shop=shop, agent=mei, week_start=WEEK)
    assert summary is not None and summary.submitted_at == at(9, 10)
    boss = Client()
    boss.force_login(MembershipFactory(shop=shop, role=Role.SUPERVISOR).user)
    page = boss.get(url).content.decode()
    assert page.count('data-testid="reading-row"') == 1 and "已提交" in page
    boss.post(f"/s/{shop.pk}/worklog/summaries/{summary.pk}/")
    summary.refresh_from_db()
    assert summary.read_at == at(9, 10)
    # Another agent cannot read it.
    other = UserFactory()
    MembershipFactory(shop=shop, user=other, role=Role.AGENT)
    agent_in(shop, "阿强", agent__user=other)
    peer = Client()
    peer.force_login(other)
    assert peer.get(f"/s/{shop.pk}/worklog/summaries/{summary.pk}/").status_code == 404


def test_missing_daily_records_become_facts_for_days_with_a_shift() -> None:
    shop = shop_under("dongyao-s4")
    mei = agent_in(shop, "小美")
    publish(shop, {(mei, d): "day" for d in days(5, 6, 7, 8)})
    Request.objects.create(
        shop=shop, kind=RequestKind.LEAVE, agent=mei, start_date=dt.date(2026, 1, 8),
        end_date=dt.date(2026, 1, 8), status=RequestStatus.APPROVED,
    )  # fmt: skip
    for day, when in ((5, at(5, 18)), (6, at(9, 10, 59)), (7, at(9, 11, 1))):
        daily_record_save(
            shop=shop, agent=mei, local_date=dt.date(2026, 1, day), values={"buyers_received": 3},
            acting_user=None, at=when,
        )  # fmt: skip
    # Due Friday 9 Jan 11:00 for the 2nd..8th: the 7th came late, the 8th was leave.
    assert daily_record_facts_record(shop=shop, as_of=at(10, 6, 30)) == 1
    fact = Fact.objects.get()
    assert (fact.key, fact.local_date, fact.occurred_at) == (
        "daily_record_missing",
        dt.date(2026, 1, 7),
        at(9, 11),
    )
    assert fact.evidence["clause"] == "S4.4 §3.5 记录内容"


def test_the_daily_record_is_prefilled_from_the_kpi_snapshot_else_from_chats() -> None:
    shop = shop_under("dongyao-s4")
    mei = agent_in(shop, "小美")
    SubAccount.objects.create(shop=shop, agent=mei, nickname="店:小美")
    account = ChatAccount.objects.create(
        shop=shop, nickname="店:小美", first_seen_at=at(5, 9), last_seen_at=at(5, 9)
    )
    for nick, when in (("tb_甲", at(5, 9)), ("tb_乙", at(5, 10))):
        buyer = Buyer.objects.create(shop=shop, nickname=nick)
        conversation = Conversation.objects.create(shop=shop, buyer=buyer, day=dt.date(2026, 1, 5))
        Message.objects.create(
            shop=shop, conversation=conversation, buyer=buyer, sender="店:小美",
            direction="agent", kind="human", at=when, text="您好", text_hash="x", holder=account,
        )  # fmt: skip
    batch = ImportBatch.objects.create(shop=shop, file_name="o.csv", sha256="0", kind="x")
    Order.objects.create(
        shop=shop, platform="taobao", order_no="9", buyer_nick="tb_乙", status="paid",
        paid_at=at(5, 11), paid_amount=Decimal("88.50"), batch=batch,
    )  # fmt: skip
    day = dt.date(2026, 1, 5)
    assert selectors.daily_record_prefill(shop=shop, agent=mei, day=day) == {
        "source": "chats",
        "buyers_received": 2,
        "buyer_ids": "tb_乙\ntb_甲",
        "buyers_converted": 1,
        "converted_amount": Decimal("88.50"),
    }
    AgentDayKpi.objects.create(
        shop=shop, agent=mei, local_date=day, policy_version=PolicyVersion.objects.get(shop=shop),
        served=5, paid_final=2, sales=Decimal("300.00"), computed_at=timezone.now(),
    )  # fmt: skip
    prefill = selectors.daily_record_prefill(shop=shop, agent=mei, day=day)
    assert (prefill["source"], prefill["buyers_received"], prefill["buyers_converted"]) == (
        "kpi",
        5,
        2,
    )
    assert prefill["converted_amount"] == Decimal("300.00")


def test_the_daily_page_prefills_asks_the_policys_items_and_saves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    freeze(monkeypatch, at(5, 18))
    shop = shop_under("taobao-s4-standard")  # items: received, converted, amount, problems
    user = UserFactory()
    MembershipFactory(shop=shop, user=user, role=Role.AGENT)
    mei = agent_in(shop, "小美", agent__user=user)
    AgentDayKpi.objects.create(
        shop=shop, agent=mei, local_date=dt.date(2026, 1, 5),
        policy_version=PolicyVersion.objects.get(shop=shop), served=7, paid_final=3,
        sales=Decimal("420.00"), computed_at=timezone.now(),
    )  # fmt: skip
    client = Client()
    client.force_login(user)
    page = client.get(f"/s/{shop.pk}/worklog/daily/?day=2026-01-05").content.decode()
    assert 'name="buyers_received" value="7"' in page
    assert 'name="converted_amount" value="420.00"' in page
    assert 'name="shipments_by_category"' not in page  # not an item of this policy
    response = client.post(
        f"/s/{shop.pk}/worklog/daily/?day=2026-01-05",
        {
            "buyers_received": "7",
            "buyers_converted": "3",
            "converted_amount": "420.00",
            "product_problems": "保温杯漏水两起",
            "service_problems": "",
        },
    )
    assert response.status_code == 302
    record = selectors.daily_record_of(shop=shop, agent=mei, day=dt.date(2026, 1, 5))
    assert record is not None
    assert (record.buyers_received, record.converted_amount, record.product_problems) == (
        7,
        Decimal("420.00"),
        "保温杯漏水两起",
    )
    assert (record.submitted_at, record.prefilled["source"]) == (at(5, 18), "kpi")
