"""Stock from item data and the low-stock alert to the agents on duty (S4.2: below 10)."""

from __future__ import annotations

import datetime as dt

import pytest

from config import schedule
from kefu.core.choices import Role
from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.core.tests.factories import AssignmentFactory, MembershipFactory, UserFactory
from kefu.knowledge import selectors, services
from kefu.knowledge.models import Product
from kefu.knowledge.stock import low_stock_check, product_stock_set
from kefu.notify.models import Notice
from kefu.policy.models import PolicyVersion
from kefu.policy.services import policy_adopt_preset
from kefu.rota.choices import RosterStatus
from kefu.rota.models import Roster, RosterShift
from kefu.staff.models import Agent

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai


def _products(shop: Shop) -> dict[str, Product]:
    data = (
        "宝贝ID,宝贝标题,宝贝数量,价格\n1001,保温杯,3,99\n1002,儿童水杯,10,59\n1003,杯刷,,9\n"
    ).encode("gb18030")
    services.products_import(shop=shop, data=data, filename="宝贝.csv", acting_user=None)
    return {p.name: p for p in selectors.products(shop=shop)}


def test_the_item_sheet_gives_each_product_its_stock(shop: Shop) -> None:
    products = _products(shop)
    assert {name: p.stock for name, p in products.items()} == {
        "保温杯": 3,
        "儿童水杯": 10,
        "杯刷": None,
    }
    # A later sheet replaces the stock (it is item data, not what the supervisor wrote).
    data = '商品ID,商品名称,库存\n1001,保温杯,"1,200"\n'.encode()
    assert services.products_import(
        shop=shop, data=data, filename="items.csv", acting_user=None
    ) == (0, 0)
    assert Product.objects.get(item_id="1001").stock == 1200


def test_a_stock_that_is_not_a_count_imports_nothing(shop: Shop) -> None:
    data = "商品ID,商品名称,库存\n1,杯子,5\n2,碗,-3\n3,勺,2.5\n".encode()
    with pytest.raises(InvalidInput) as caught:
        services.products_import(shop=shop, data=data, filename="items.csv", acting_user=None)
    assert caught.value.details == [
        "items.csv 第3行 C列：库存“-3”不是件数（应为 0 或正整数）",
        "items.csv 第4行 C列：库存“2.5”不是件数（应为 0 或正整数）",
    ]
    assert Product.objects.count() == 0


def test_low_stock_is_sent_once_to_the_agents_until_restocked(shop: Shop, agent: Agent) -> None:
    products = _products(shop)
    run = low_stock_check(shop=shop, at=AT)
    assert (run.alerted, run.cleared, run.recipients, run.below) == (["保温杯"], [], ["小美"], 10)
    assert run.clause == "S4.2 ch.4 §2.7 上架宝贝数量低于10件"
    notice = Notice.objects.get()
    assert (notice.recipient, notice.kind, notice.title) == (
        agent.user,
        "warning",
        "低库存提醒：1 个宝贝库存低于 10 件",
    )
    assert notice.body == (
        "保温杯（1001）：库存 3 件\n请核对库存并告知同事（S4.2 ch.4 §2.7 上架宝贝数量低于10件）。"
    )
    assert notice.link == f"/s/{shop.pk}/knowledge/products/"
    # Once: the next run alerts nothing.
    assert low_stock_check(shop=shop, at=AT + dt.timedelta(hours=1)).alerted == []
    assert Notice.objects.count() == 1
    # Restocked to 12 clears the alert; a drop to 2 alerts again.
    cup = products["保温杯"]
    product_stock_set(shop=shop, product=cup, stock=12, acting_user=None)
    cup.refresh_from_db()
    assert cup.low_stock_alerted_at is None
    product_stock_set(shop=shop, product=cup, stock=2, acting_user=None)
    again = low_stock_check(shop=shop, at=AT + dt.timedelta(hours=2))
    assert again.alerted == ["保温杯"]
    assert Notice.objects.count() == 2


def test_the_check_clears_alerts_of_products_restocked_by_hand(shop: Shop, agent: Agent) -> None:
    _products(shop)
    low_stock_check(shop=shop, at=AT)
    Product.objects.filter(name="保温杯").update(stock=30)  # e.g. through the admin
    run = low_stock_check(shop=shop, at=AT + dt.timedelta(hours=1))
    assert (run.alerted, run.cleared) == ([], ["保温杯"])


def test_only_the_agents_on_the_published_roster_now_are_told(shop: Shop, agent: Agent) -> None:
    other_user = UserFactory()
    MembershipFactory(shop=shop, user=other_user, role=Role.AGENT)
    AssignmentFactory(shop=shop, agent__user=other_user, agent__name="阿杰")
    roster = Roster.objects.create(
        shop=shop,
        month="2026-03",
        status=RosterStatus.PUBLISHED,
        policy_version=PolicyVersion.objects.get(shop=shop),
        shift_templates={"late": {"label": "晚班", "parts": [[900, 1440]], "night": True}},
    )
    RosterShift.objects.create(
        shop=shop, roster=roster, agent=agent, local_date=dt.date(2026, 3, 2), shift_key="late"
    )
    _products(shop)
    # 10:00: nobody of the roster works yet, so everyone is told ...
    assert low_stock_check(shop=shop, at=AT).recipients == ["小美", "阿杰"]
    Product.objects.update(low_stock_alerted_at=None)
    # ... at 16:00 only 小美 on the late shift.
    at_four = AT + dt.timedelta(hours=6)
    assert low_stock_check(shop=shop, at=at_four).recipients == ["小美"]


def test_a_policy_without_a_low_stock_check_alerts_nothing(shop: Shop, agent: Agent) -> None:
    policy_adopt_preset(
        shop=shop, preset="taobao-s4-points", effective_from=dt.date(2026, 3, 1), acting_user=None
    )
    _products(shop)
    run = low_stock_check(shop=shop, at=AT)
    assert (run.alerted, run.below) == ([], None)
    assert Notice.objects.count() == 0


def test_the_periodic_job_checks_every_shop(shop: Shop, agent: Agent) -> None:
    _products(shop)
    schedule.low_stock_alerts.call_local()
    assert Notice.objects.get().title == "低库存提醒：1 个宝贝库存低于 10 件"
    assert Product.objects.get(name="保温杯").low_stock_alerted_at is not None


def test_the_product_list_shows_stock_and_the_alert(shop: Shop, agent: Agent) -> None:
    from django.test import Client
    from django.urls import reverse

    _products(shop)
    low_stock_check(shop=shop, at=AT)
    client = Client()
    client.force_login(agent.user)
    page = client.get(reverse("knowledge:products", kwargs={"shop_id": shop.pk})).content.decode()
    assert "库存 3" in page and "库存 10" in page
    assert page.count('data-testid="low-stock"') == 1


def test_the_supervisor_records_stock_by_hand(shop: Shop, agent: Agent) -> None:
    from django.test import Client
    from django.urls import reverse

    products = _products(shop)
    low_stock_check(shop=shop, at=AT)
    supervisor = Client()
    supervisor.force_login(MembershipFactory(shop=shop, role=Role.SUPERVISOR).user)
    cup = products["保温杯"]
    url = reverse("knowledge:product_stock", kwargs={"shop_id": shop.pk, "product_id": cup.pk})
    page = reverse("knowledge:product", kwargs={"shop_id": shop.pk, "product_id": cup.pk})
    assert "库存不足，已提醒当班客服" in supervisor.get(page).content.decode()
    supervisor.post(url, {"stock": "-1"})
    cup.refresh_from_db()
    assert cup.stock == 3
    supervisor.post(url, {"stock": "40"})
    cup.refresh_from_db()
    assert (cup.stock, cup.low_stock_alerted_at) == (40, None)
    agent_client = Client()
    agent_client.force_login(agent.user)
    assert agent_client.post(url, {"stock": "1"}).status_code == 403
