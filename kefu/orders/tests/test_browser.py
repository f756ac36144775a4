"""The order pages in a real browser: upload a demo export through the form, see the counts,
the list and one order; each page renders clean and leaves test-artifacts/screens/orders-*.png."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from kefu.core.choices import Role
from kefu.core.tests.factories import AssignmentFactory, MembershipFactory, ShopFactory
from kefu.demo.traffic import generate_month
from kefu.demo.traffic.exports import write_taobao_orders
from kefu.demo.traffic.profiles import demo_profile
from kefu.orders.models import Order
from kefu.policy.services import policy_adopt_preset
from kefu.staff.models import SubAccount
from tests.browser.plugin import assert_clean, assert_styled, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_list_and_order(page: Page, live_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    shop = ShopFactory(name="乐乐家居旗舰店")
    policy_adopt_preset(
        shop=shop, preset="taobao-s4-standard", effective_from=dt.date(2026, 1, 1), acting_user=None
    )
    for name in ("小美", "慧兰", "晓雯"):  # 阿强 is not set up: his notes become warnings
        agent = AssignmentFactory(shop=shop, agent__name=name).agent
        SubAccount.objects.create(shop=shop, agent=agent, nickname=f"{shop.name}:{name}")
    boss = MembershipFactory(shop=shop, role=Role.SUPERVISOR).user
    client = Client()
    client.force_login(boss)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    path = tmp_path / "ExportOrderList202605.csv"
    write_taobao_orders(generate_month(demo_profile(scale=0.05, seed=9)), path)

    page.goto(f"{live_server.url}/s/{shop.pk}/orders/import/")
    assert_styled(page)
    shot(page, "orders-import")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_test_id("import-submit").click()
    expect(page.get_by_test_id("created")).to_have_text(str(Order.objects.count()))
    assert_clean(page)
    shot(page, "orders-batch")

    page.goto(f"{live_server.url}/s/{shop.pk}/orders/")
    expect(page.get_by_test_id("orders")).to_be_visible()
    assert_clean(page)
    shot(page, "orders-list")
    flagged = Order.objects.filter(shop=shop).exclude(flag_agent=None).first()
    assert flagged is not None
    page.goto(f"{live_server.url}/s/{shop.pk}/orders/{flagged.pk}/")
    expect(page.get_by_test_id("flag-agent")).to_contain_text(flagged.flag_agent_name)
    assert_clean(page)
    shot(page, "orders-detail")
