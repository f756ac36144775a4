"""The month grid in a real browser: generate, edit a cell (htmx shows what broke), publish;
screenshots in test-artifacts/screens/rota-*.png."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from kefu.core.choices import Role
from kefu.core.tests.factories import AssignmentFactory, MembershipFactory, ShopFactory
from kefu.policy.services import policy_adopt_preset
from kefu.rota.tests.helpers import generate
from tests.browser.plugin import assert_clean, assert_styled, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Page, live_server, user) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_supervisor_edits_and_publishes(page: Page, live_server, transactional_db) -> None:  # type: ignore[no-untyped-def]
    shop = ShopFactory(name="乐乐家居旗舰店")
    policy_adopt_preset(
        shop=shop, preset="taobao-s4-fines", effective_from=dt.date(2026, 1, 1), acting_user=None
    )
    boss = MembershipFactory(shop=shop, role=Role.SUPERVISOR).user
    for name in ("小美", "阿强", "小丽", "大刘"):
        AssignmentFactory(shop=shop, agent__name=name)
    generate(shop, "2026-11")
    _sign_in(page, live_server, boss)
    page.goto(f"/s/{shop.pk}/rota/?month=2026-11")
    assert_styled(page)
    expect(page.get_by_test_id("roster-grid")).to_be_visible()
    shot(page, "rota-month")
    page.locator('[data-shift="early"]').first.click()
    expect(page.get_by_test_id("cell-editor")).to_be_visible()
    page.get_by_test_id("cell-editor").get_by_role("button", name="休息").click()
    expect(page.get_by_test_id("cell-broke")).to_contain_text("本月休息 4 天，应为 3 天")
    shot(page, "rota-cell-broke")
    page.get_by_test_id("roster-publish").click()
    expect(page.get_by_test_id("roster-status")).to_contain_text("已发布")
    assert_clean(page)
