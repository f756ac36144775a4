"""The buyer profile in a real browser: a note added, a contact revealed (htmx swap, audited),
the lists render clean; screenshots in test-artifacts/screens/buyers-*.png."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from kefu.buyers.groups import groups_recompute
from kefu.conversations.choices import Direction
from kefu.conversations.models import Buyer
from kefu.core.models import AuditEntry
from tests.browser.plugin import assert_clean, assert_styled, shot

from .conftest import at, chat, make_world, order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Page, live_server, user) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_supervisor_notes_a_buyer_and_reveals_a_phone(  # type: ignore[no-untyped-def]
    page: Page, live_server, transactional_db
) -> None:
    w = make_world(name="乐乐家居旗舰店")
    order(
        w,
        "1001",
        "老王",
        created=at(2026, 10, 1),
        paid="1999.00",
        raw={"联系手机": "13812341234", "收货地址": "浙江省杭州市西湖区文三路100号"},
    )
    order(w, "1002", "老王", created=at(2026, 11, 1), paid="300.00")
    wang = Buyer.objects.create(shop=w.shop, nickname="老王")
    chat(
        w,
        wang,
        [
            (at(2026, 11, 1, 9), Direction.BUYER, None, "在吗"),
            (at(2026, 11, 1, 9, 0, 40), Direction.AGENT, w.account1, "在的亲"),
        ],
    )
    groups_recompute(shop=w.shop, now=at(2026, 11, 20))
    _sign_in(page, live_server, w.supervisor)
    page.goto(f"/s/{w.shop.pk}/buyers/{wang.pk}/")
    expect(page.get_by_test_id("paid-total")).to_have_text("¥2,299.00")
    page.locator("textarea[name=text]").fill("老客户，发顺丰")
    page.get_by_test_id("note-add").click()
    expect(page.get_by_test_id("notes")).to_contain_text("老客户，发顺丰")
    contacts = page.get_by_test_id("contacts")
    expect(contacts).to_contain_text("138****1234")
    contacts.get_by_role("button").first.click()
    expect(page.get_by_test_id("revealed")).to_have_text("13812341234")
    assert AuditEntry.objects.filter(action="buyer_contact_reveal").count() == 1
    assert_styled(page)
    shot(page, "buyers-profile")
    for name, url in [
        ("buyers-vip", f"/s/{w.shop.pk}/buyers/?group=vip"),
        ("buyers-visits", f"/s/{w.shop.pk}/buyers/visits/"),
        ("buyers-follow-ups", f"/s/{w.shop.pk}/buyers/follow-ups/"),
    ]:
        page.goto(url)
        assert_styled(page)
        shot(page, name)
    expect(page.get_by_text("老王")).to_have_count(0)  # no chat in the last 7 days: not potential
    assert_clean(page)
