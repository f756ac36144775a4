"""Unpaid-order reminders 催付: the 16:00 round under a frozen clock (which orders, which agent,
no buyer twice), the supervisor's choice without a roster, marking, outcomes from later imports
and the conversion."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from kefu.conversations.models import Buyer
from kefu.core import clock
from kefu.core.choices import Role
from kefu.core.models import AuditEntry, Shop
from kefu.core.tests.factories import AssignmentFactory, MembershipFactory, ShopFactory, UserFactory
from kefu.notify.models import Notice
from kefu.orders import reminder_selectors, reminders
from kefu.orders.choices import OrderStatus, ReminderOutcome
from kefu.orders.models import ImportBatch, Order, OrderStatusChange, Reminder, ReminderBatch
from kefu.orders.services import orders_import
from kefu.orders.tests import samples as s
from kefu.policy.services import policy_adopt_preset

pytestmark = pytest.mark.django_db

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 3, 2)


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SH)


@pytest.fixture
def shop() -> Shop:
    shop = ShopFactory()
    # S2: remind orders unpaid for 12 hours; 16:00 and the blue flag borrowed from S4.4.
    policy_adopt_preset(
        shop=shop, preset="workflow-s2", effective_from=dt.date(2026, 1, 1), acting_user=None
    )
    return shop


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Set the clock: frozen(at(16, 5)). Django's own clock too, which the importer and the
    auto_now fields read."""

    def freeze(moment: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(dt.UTC))
        monkeypatch.setattr(clock, "now", lambda: moment.astimezone(dt.UTC))

    return freeze


@pytest.fixture
def on_duty(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Stand in for the roster: on_duty([agent ids]) for any instant."""
    asked: list[dt.datetime] = []

    def set_ids(ids: list[int]) -> list[dt.datetime]:
        def lookup(*, shop: Shop, at: dt.datetime) -> list[int]:
            asked.append(at)
            return ids

        monkeypatch.setattr(reminders, "_roster_lookup", lambda: lookup)
        return asked

    return set_ids


def order(shop: Shop, no: str, created: dt.datetime, **fields: object) -> Order:
    batch, _ = ImportBatch.objects.get_or_create(shop=shop, file_name="t.csv", sha256="0", kind="x")
    values: dict[str, object] = {
        "buyer_nick": f"买家{no}",
        "status": OrderStatus.WAIT_PAY,
        "total_amount": Decimal("99.00"),
    }
    values.update(fields)
    return Order.objects.create(shop=shop, order_no=no, created_at=created, batch=batch, **values)


def agent_of(shop: Shop, name: str):  # type: ignore[no-untyped-def]
    user = UserFactory()
    MembershipFactory(shop=shop, user=user, role=Role.AGENT)
    return AssignmentFactory(shop=shop, agent__user=user, agent__name=name).agent


def test_the_1600_round_lists_orders_unpaid_12_hours_for_the_agent_on_duty(
    shop, frozen, on_duty
) -> None:
    early, late = agent_of(shop, "小美"), agent_of(shop, "慧兰")
    asked = on_duty([late.pk, early.pk])
    order(shop, "A1", at(3, 59))  # 12 h 01 before 16:00: listed
    order(shop, "A2", at(4, 0))  # exactly 12 h: listed
    order(shop, "A3", at(4, 1))  # 11 h 59: too young
    order(shop, "A4", at(1, 0), status=OrderStatus.PAID)  # paid: not listed
    order(shop, "A5", at(2, 0), flag="blue")  # already marked in the platform
    order(shop, "A6", at(2, 0), buyer_nick="买家A1")  # the same buyer's second order
    order(shop, "A7", None)  # no creation time known

    frozen(at(15, 55))
    assert reminders.reminder_batches_create_due() == []
    frozen(at(16, 5))
    made = reminders.reminder_batches_create_due()

    assert [b.day for b in made] == [DAY]
    batch = made[0]
    assert batch.agent == late  # the roster's first agent on duty at 16:00
    assert asked == [at(16)]
    assert batch.due_at == at(16)
    assert (batch.min_age_hours, batch.mark_flag, batch.policy_version) == (12, "blue", 1)
    listed = list(batch.reminders.values_list("order__order_no", "buyer_nick"))
    assert listed == [("A6", "买家A1"), ("A1", "买家A1"), ("A2", "买家A2")]
    assert Buyer.objects.filter(shop=shop, nickname="买家A1").count() == 1
    assert Reminder.objects.get(order__order_no="A1").buyer.nickname == "买家A1"
    # The duty agent is told, with the link to the list.
    notice = Notice.objects.get(recipient=late.user)
    assert notice.title == "今天的催付名单：3 个未付款订单"

    # Later runs the same day change nothing; the next day lists only what is new.
    frozen(at(16, 10))
    assert reminders.reminder_batches_create_due() == []
    assert ReminderBatch.objects.filter(shop=shop).count() == 1
    order(shop, "B1", at(1, 0, DAY + dt.timedelta(days=1)))
    frozen(at(16, 0, DAY + dt.timedelta(days=1)))
    second = reminders.reminder_batches_create_due()[0]
    # A1, A2 and A6 are still unpaid, but are never listed again; A3 is now old enough.
    assert list(second.reminders.values_list("order__order_no", flat=True)) == ["A3", "B1"]


def test_an_order_is_listed_once_by_the_database_too(shop) -> None:
    first = order(shop, "C1", at(1))
    batch = ReminderBatch.objects.create(
        shop=shop, day=DAY, due_at=at(16), min_age_hours=12, policy_version=1
    )
    Reminder.objects.create(shop=shop, batch=batch, order=first)
    other = ReminderBatch.objects.create(
        shop=shop, day=DAY + dt.timedelta(days=1), due_at=at(16), min_age_hours=12, policy_version=1
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(shop=shop, batch=other, order=first)


def test_without_a_roster_the_supervisor_chooses_the_agent(shop, frozen, on_duty) -> None:
    on_duty([])
    supervisor = MembershipFactory(shop=shop, role=Role.SUPERVISOR).user
    helper = agent_of(shop, "小美")
    order(shop, "D1", at(1))
    frozen(at(16, 0))
    batch = reminders.reminder_batches_create_due()[0]
    assert batch.agent is None
    assert Notice.objects.get(recipient=supervisor).title == (
        "今天的催付名单（1 单）没有值班客服，请指定负责人"
    )

    client = Client()
    client.force_login(supervisor)
    page = client.get(reverse("orders:reminder_batch", args=[shop.pk, batch.pk]))
    assert "没有值班客服，等待主管指定" in page.content.decode()
    response = client.post(
        reverse("orders:reminder_assign", args=[shop.pk, batch.pk]), {"agent": helper.pk}
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.agent, batch.assigned_by) == (helper, supervisor)
    entry = AuditEntry.objects.get(shop=shop, action="orders.reminder_assign")
    assert (entry.old_value, entry.new_value) == ({"agent": None}, {"agent": helper.pk})
    assert Notice.objects.get(recipient=helper.user).title == "请处理 03-02 的催付名单"


def test_without_the_roster_app_the_batch_waits_for_the_supervisor(
    shop, frozen, monkeypatch
) -> None:
    monkeypatch.setattr(reminders, "_roster_lookup", lambda: None)
    order(shop, "E1", at(1))
    frozen(at(17, 0))
    assert reminders.reminder_batches_create_due()[0].agent is None


def test_a_shop_without_a_policy_gets_no_batch(frozen) -> None:
    bare = ShopFactory()
    order(bare, "F1", at(1))
    frozen(at(23, 0))
    assert reminders.reminder_rule(shop=bare, day=DAY) is None
    assert reminders.reminder_batches_create_due() == []


def test_marking_a_buyer_covers_their_orders_once_with_the_flag(shop, frozen, on_duty) -> None:
    duty = agent_of(shop, "慧兰")
    on_duty([duty.pk])
    order(shop, "G1", at(1), buyer_nick="张三")
    order(shop, "G2", at(2), buyer_nick="张三")
    order(shop, "G3", at(3), buyer_nick="李四")
    frozen(at(16, 0))
    batch = reminders.reminder_batches_create_due()[0]

    client = Client()
    client.force_login(duty.user)
    first = batch.reminders.get(order__order_no="G1")
    frozen(at(16, 20))
    client.post(reverse("orders:reminder_mark", args=[shop.pk, first.pk]))
    rows = {r.order.order_no: r for r in batch.reminders.select_related("order", "reminded_by")}
    assert [(n, r.flag, r.reminded_by) for n, r in sorted(rows.items())] == [
        ("G1", "blue", duty),
        ("G2", "blue", duty),
        ("G3", "", None),
    ]
    assert rows["G1"].reminded_at == at(16, 20)
    # Marking again changes nothing: the buyer is not reminded twice.
    frozen(at(17, 0))
    client.post(reverse("orders:reminder_mark", args=[shop.pk, first.pk]))
    first.refresh_from_db()
    assert first.reminded_at == at(16, 20)
    assert AuditEntry.objects.filter(shop=shop, action="orders.reminder_mark").count() == 1


def test_another_agent_cannot_see_or_mark_the_list(shop, frozen, on_duty) -> None:
    duty, other = agent_of(shop, "慧兰"), agent_of(shop, "小美")
    on_duty([duty.pk])
    order(shop, "H1", at(1))
    frozen(at(16, 0))
    batch = reminders.reminder_batches_create_due()[0]
    client = Client()
    client.force_login(other.user)
    row = batch.reminders.get()
    assert client.get(reverse("orders:reminder_batch", args=[shop.pk, batch.pk])).status_code == 404
    assert client.post(reverse("orders:reminder_mark", args=[shop.pk, row.pk])).status_code == 404
    row.refresh_from_db()
    assert row.reminded_at is None
    listing = client.get(reverse("orders:reminders", args=[shop.pk])).content.decode()
    assert 'data-testid="batches"' in listing
    assert reverse("orders:reminder_batch", args=[shop.pk, batch.pk]) not in listing


def test_outcomes_from_later_imports_and_the_conversion(frozen, on_duty) -> None:
    shop = ShopFactory()
    policy_adopt_preset(
        shop=shop, preset="workflow-s2", effective_from=dt.date(2026, 1, 1), acting_user=None
    )
    duty = agent_of(shop, "慧兰")
    on_duty([duty.pk])
    header = s.TAOBAO_B_HEADER

    def export(*rows: dict) -> bytes:
        return s.csv_bytes(header, list(rows))

    wait = "等待买家付款"
    created = {"订单创建时间": "2026-03-01 20:00:00", "订单付款时间 ": ""}
    rows = [
        s.taobao_b_row("1001", wait, 买家会员名="甲", **created),
        s.taobao_b_row("1002", wait, 买家会员名="乙", **created),
        s.taobao_b_row("1003", wait, 买家会员名="丙", **created),
        s.taobao_b_row("1004", wait, 买家会员名="丁", **created),
    ]
    frozen(at(9, 0))
    orders_import(shop=shop, data=export(*rows), filename="a.csv", acting_user=None)
    frozen(at(16, 0))
    batch = reminders.reminder_batches_create_due()[0]
    assert batch.reminders.count() == 4
    by_no = {r.order.order_no: r for r in batch.reminders.select_related("order")}
    for no in ("1001", "1002", "1003"):
        reminders.reminder_mark(
            shop=shop, reminder=by_no[no], agent=duty, acting_user=None, now=at(16, 30)
        )

    # The next export: 1001 paid after the reminder, 1002 closed, 1004 paid without one.
    paid = {"订单付款时间 ": "2026-03-02 18:12:00"}
    later = [
        s.taobao_b_row("1001", "买家已付款，等待卖家发货", 买家会员名="甲", **{**created, **paid}),
        s.taobao_b_row("1002", "交易关闭", 买家会员名="乙", **created),
        s.taobao_b_row("1003", wait, 买家会员名="丙", **created),
        s.taobao_b_row("1004", "买家已付款，等待卖家发货", 买家会员名="丁", **{**created, **paid}),
    ]
    frozen(at(20, 0))
    orders_import(shop=shop, data=export(*later), filename="b.csv", acting_user=None)
    assert reminders.reminder_outcomes_refresh_all() == 3
    closed_seen = OrderStatusChange.objects.get(
        order__order_no="1002", from_status="wait_pay", to_status="closed"
    ).seen_at
    outcomes = {
        r.order.order_no: (r.outcome, r.outcome_at) for r in batch.reminders.select_related("order")
    }
    assert outcomes == {
        "1001": (ReminderOutcome.PAID, at(18, 12)),
        "1002": (ReminderOutcome.CLOSED, closed_seen),  # when an import saw it closed
        "1003": (ReminderOutcome.PENDING, None),
        "1004": (ReminderOutcome.PAID, at(18, 12)),
    }
    conversion = reminder_selectors.reminder_conversion(shop=shop, start=DAY, end=DAY)
    assert (
        conversion.listed,
        conversion.reminded,
        conversion.paid_after,
        conversion.paid_before,
        conversion.closed,
        conversion.pending,
    ) == (4, 3, 1, 1, 1, 1)
    assert conversion.rate == Decimal("0.3333")
    assert conversion.amount_paid_after == Decimal("129.00")
    mine = reminder_selectors.reminder_conversion(shop=shop, start=DAY, end=DAY, agent=duty)
    assert mine.reminded == 3

    client = Client()
    client.force_login(MembershipFactory(shop=shop, role=Role.SUPERVISOR).user)
    page = client.get(reverse("orders:reminders", args=[shop.pk])).content.decode()
    assert 'data-testid="conversion-rate">33%' in page
    # The dashboard's card: this month's conversion for the team.
    home = client.get(reverse("web:dashboard", args=[shop.pk])).content.decode()
    assert 'data-testid="reminder-rate">33<' in home
    assert "已催 3 单，催后付款 1 单（¥129.00）" in home
    detail = client.get(reverse("orders:reminder_batch", args=[shop.pk, batch.pk])).content
    assert "138****5678" in detail.decode()  # the phone masked on the list
    assert "13812345678" not in detail.decode()


def test_the_scheduled_job_is_declared_every_five_minutes(shop, frozen, on_duty) -> None:
    import kefu.core.tasks  # noqa: F401  (what djhuey's autodiscovery imports)
    from config import schedule

    on_duty([])
    order(shop, "J1", at(1))
    frozen(at(16, 3))
    schedule.unpaid_reminders.call_local()
    assert ReminderBatch.objects.filter(shop=shop, day=DAY).count() == 1

    def due(utc_naive: dt.datetime) -> bool:
        return "unpaid_reminders" in {t.name for t in HUEY.read_periodic(utc_naive)}

    assert due(dt.datetime(2026, 3, 2, 8, 5)) and not due(dt.datetime(2026, 3, 2, 8, 6))
