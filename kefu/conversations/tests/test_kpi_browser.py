"""The KPI screens in a real browser: the dashboard draws its charts, the agent page links a
breached round to its transcript, the waiting board lists the buyer waiting longest; each
renders clean and leaves test-artifacts/screens/kpi-*.png."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from kefu.conversations.kpi_services import kpi_days_compute
from kefu.conversations.models import Conversation
from kefu.conversations.tests.kpi_fixture import DAYS, at, kpi_shop
from kefu.core.choices import Role
from kefu.core.tests.factories import MembershipFactory
from tests.browser.plugin import assert_clean, assert_styled, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_agent_page_and_waiting_board(
    page: Page,
    live_server,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    k = kpi_shop()
    kpi_days_compute(shop=k.shop, days=DAYS)
    # The fixture's days are in May 2026: the screens are looked at on its last evening.
    monkeypatch.setattr("kefu.core.clock.shop_today", lambda tz: DAYS[-1])
    monkeypatch.setattr("kefu.core.clock.now", lambda: at("2026-05-03 23:55:00"))
    boss = MembershipFactory(shop=k.shop, role=Role.SUPERVISOR).user
    client = Client()
    client.force_login(boss, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])

    page.goto(f"/s/{k.shop.pk}/kpi/")
    expect(page.get_by_test_id("kpi-month").locator("[data-figure=served]")).to_have_text("5")
    expect(page.locator("[data-kefu-chart=chart-volume] svg")).to_have_count(1)
    expect(page.locator("[data-kefu-chart=chart-response] svg")).to_have_count(1)
    expect(page.locator("[data-kefu-chart=chart-load] svg")).to_have_count(1)
    assert_styled(page)
    shot(page, "kpi-dashboard")

    page.get_by_test_id("kpi-agents").get_by_role("link", name="小美").click()
    breaches = page.get_by_test_id("agent-breaches")
    expect(breaches.locator("tbody tr")).to_have_count(3)
    shot(page, "kpi-agent")
    breaches.locator("tbody tr", has_text="B").get_by_role("link").click()
    slow = Conversation.objects.get(shop=k.shop, buyer__nickname="B", day=DAYS[0])
    expect(page).to_have_url(f"{live_server.url}/s/{k.shop.pk}/chats/{slow.pk}/")

    page.goto(f"/s/{k.shop.pk}/kpi/waiting/")
    expect(page.get_by_test_id("waiting-row")).to_have_count(1)
    expect(page.get_by_test_id("waiting-row")).to_contain_text("E")
    shot(page, "kpi-waiting")
    assert_clean(page)
