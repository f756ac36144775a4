"""Attendance and the worklog in a real browser: each page renders clean and leaves a
screenshot in test-artifacts/screens/; an agent reads the handover on the dashboard and clocks
in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from kefu.attendance.tests.support import (
    agent_in,
    at,
    freeze,
    machine_punch,
    publish,
    shop_under,
)
from kefu.core.choices import Role
from kefu.core.tests.factories import MembershipFactory, UserFactory
from kefu.worklog.services import handover_write, weekly_summary_save
from tests.browser.plugin import assert_clean, assert_styled, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    freeze(monkeypatch, at(9, 7, 55))
    shop = shop_under("taobao-s4-fines")
    boss = MembershipFactory(shop=shop, role=Role.SUPERVISOR, user__username="zhuguan").user
    user = UserFactory(username="xiaomei")
    MembershipFactory(shop=shop, user=user, role=Role.AGENT)
    mei = agent_in(shop, "小美", "1001", agent__user=user)
    qiang = agent_in(shop, "阿强", "1002")
    cells = {}
    for day in range(1, 32):
        cells[(mei, dt.date(2026, 1, day))] = "day" if day % 7 else "night"
        if day % 6:
            cells[(qiang, dt.date(2026, 1, day))] = "night"
    publish(shop, cells)
    for day in range(1, 9):
        if day == 3:
            continue  # 小美 absent on the 3rd
        late = 12 if day == 5 else 0
        machine_punch(shop, mei, at(day, 8, late) if day % 7 else at(day, 16))
        machine_punch(shop, mei, at(day, 17, 35) if day % 7 else at(day + 1, 1))
    handover_write(
        shop=shop,
        author=qiang,
        text="买家 tb_小李 催发货，仓库已答应今早优先发出，请跟进物流单号。",
        order_nos=["1930679858170647"],
        buyer_nicks=["tb_小李"],
        acting_user=None,
        at=at(9, 0, 50),
    )
    weekly_summary_save(
        shop=shop, agent=mei, week_start=dt.date(2026, 1, 5), text="本周" * 120, submit=True,
        acting_user=None, at=at(8, 16),
    )  # fmt: skip
    return shop, boss, user


def _sign_in(page: Page, live_server, user) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_supervisor_pages(page: Page, live_server, world) -> None:  # type: ignore[no-untyped-def]
    shop, boss, _ = world
    _sign_in(page, live_server, boss)
    for name, url in [
        ("attendance-month", f"/s/{shop.pk}/attendance/?month=2026-01"),
        ("attendance-import", f"/s/{shop.pk}/attendance/import/"),
        ("worklog-handover", f"/s/{shop.pk}/worklog/"),
        ("worklog-summaries", f"/s/{shop.pk}/worklog/summaries/?week=2026-01-05"),
        ("worklog-daily", f"/s/{shop.pk}/worklog/daily/"),
    ]:
        page.goto(url)
        assert_styled(page)
        shot(page, name)
    assert_clean(page)
    page.goto(f"/s/{shop.pk}/attendance/?month=2026-01")
    expect(page.get_by_test_id("attendance-row")).to_have_count(2)


def test_agent_reads_the_handover_and_clocks_in(page: Page, live_server, world) -> None:  # type: ignore[no-untyped-def]
    shop, _, user = world
    _sign_in(page, live_server, user)
    page.goto(f"/s/{shop.pk}/")
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    shot(page, "worklog-agent-home")
    page.get_by_test_id("handover-ack").click()
    expect(page.get_by_test_id("unread-count")).to_have_text("0")
    page.get_by_test_id("clock-in").click()
    expect(page.get_by_test_id("last-punch")).to_contain_text("上班")
    page.goto(f"/s/{shop.pk}/attendance/?month=2026-01")
    expect(page.get_by_test_id("attendance-row")).to_have_count(1)
    shot(page, "attendance-agent-month")
    assert_clean(page)
