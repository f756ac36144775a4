"""The case page in a real browser: an agent opens a quality case, uploads the buyer's photo,
works the path and resolves it; the page renders clean and leaves
test-artifacts/screens/aftersales-*.png."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from kefu.aftersales.choices import CaseStatus
from kefu.aftersales.models import Case
from kefu.aftersales.tests.images import png
from kefu.core.choices import Role
from kefu.core.tests.factories import AssignmentFactory, MembershipFactory, ShopFactory, UserFactory
from kefu.policy.services import policy_adopt_preset
from tests.browser.plugin import assert_clean, assert_styled, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agent_works_a_quality_case(page: Page, live_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # MEDIA_ROOT is a temporary folder (conftest.py)
    shop = ShopFactory(name="乐乐家居旗舰店")
    policy_adopt_preset(
        shop=shop, preset="dongyao-s4", effective_from=dt.date(2026, 1, 1), acting_user=None
    )
    user = UserFactory()
    MembershipFactory(shop=shop, user=user, role=Role.AGENT)
    AssignmentFactory(shop=shop, agent__user=user, agent__name="慧兰")
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])

    page.goto(f"{live_server.url}/s/{shop.pk}/aftersales/new/")
    assert_styled(page)
    page.select_option("select[name=type]", "quality_problem")
    page.fill("input[name=buyer_nick]", "tb_王")
    page.fill("textarea[name=description]", "杯盖开裂")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("steps")).to_contain_text("买家提供照片和问题所在")
    photo = tmp_path / "开裂.png"
    photo.write_bytes(png(8, 8))
    page.set_input_files("input[name=photo]", str(photo))
    page.get_by_test_id("photo-submit").click()
    expect(page.locator("[data-testid=photos] img")).to_have_count(1)
    for index in range(3):
        page.get_by_test_id(f"step-{index}").click()
    page.locator("[data-testid=fault-form] select[name=party]").select_option("product")
    page.locator("[data-testid=fault-form] button").click()
    page.locator("[data-testid=resolve-form] select[name=resolution]").select_option("exchange")
    page.get_by_test_id("resolve").click()
    expect(page.get_by_test_id("status")).to_have_text("已解决")
    assert_clean(page)
    shot(page, "aftersales-case")
    case = Case.objects.get(shop=shop)
    assert (case.status, case.resolution, case.party_at_fault) == (
        CaseStatus.RESOLVED,
        "exchange",
        "product",
    )
    page.goto(f"{live_server.url}/s/{shop.pk}/aftersales/")
    expect(page.get_by_test_id("cases")).to_contain_text("tb_王")
    assert_clean(page)
