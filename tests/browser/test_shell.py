"""The web shell in a real browser: sign-in, navigation per role, the shop switcher, the
English switch, and every page free of console errors. Each test leaves full-page screenshots
in test-artifacts/screens/."""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from kefu.core.choices import Platform, Role
from kefu.core.services import membership_grant, shop_create
from kefu.web.tests import scenario
from kefu.web.tests.test_navigation import AGENT_NAV, SUPERVISOR_NAV
from tests.browser.plugin import assert_clean, assert_styled, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def team(transactional_db, monkeypatch: pytest.MonkeyPatch) -> scenario.Scenario:
    scenario.freeze_now(monkeypatch)
    return scenario.build()


@pytest.fixture
def sign_in(page: Page, live_server):  # type: ignore[no-untyped-def]
    """Sign in without the form (the form has its own test): a session cookie from Django."""

    def sign_in_as(user) -> None:  # type: ignore[no-untyped-def]
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )

    return sign_in_as


def nav_labels(page: Page) -> list[str]:
    titles = page.get_by_test_id("nav").locator(".nav-link-title")
    return [t.strip() for t in titles.all_inner_texts()]


def test_login_form(page: Page, team: scenario.Scenario) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    expect(page.get_by_role("heading", name="登录 Kefu 客服")).to_be_visible()
    assert_styled(page)
    shot(page, "login")

    page.get_by_label("用户名").fill("zhuguan")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("login-error")).to_have_text(
        "用户名或密码不正确，请重新输入。注意区分大小写。"
    )
    expect(page.get_by_label("用户名")).to_have_value("zhuguan")
    shot(page, "login-error")

    page.get_by_label("密码").fill(scenario.PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page).to_have_url(re.compile(rf"/s/{team.shop.pk}/$"))
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    assert_clean(page)


def test_locked_out_after_five_failures(page: Page, team: scenario.Scenario) -> None:
    page.goto("/login/")
    for attempt in range(5):
        page.get_by_label("用户名").fill("zhuguan")
        page.get_by_label("密码").fill(f"wrong-{attempt}")
        page.get_by_test_id("login-submit").click()
        if attempt < 4:
            expect(page.get_by_test_id("login-error")).to_be_visible()
    expect(page.get_by_test_id("locked-out")).to_contain_text("登录失败次数过多，请15分钟后再试")
    assert_styled(page)
    shot(page, "locked-out")


def test_supervisor_dashboard(page: Page, team: scenario.Scenario, sign_in) -> None:
    sign_in(team.supervisor)
    page.goto(f"/s/{team.shop.pk}/")
    assert_styled(page)
    assert nav_labels(page) == SUPERVISOR_NAV
    sections = page.get_by_test_id("nav-section").all_inner_texts()
    assert [t.strip() for t in sections] == [
        "今日", "售后与买家", "团队", "绩效与工资", "知识与培训", "制度",
    ]  # fmt: skip
    expect(page.get_by_test_id("current-role")).to_have_text("客服主管")
    expect(page.get_by_test_id("card-agents")).to_contain_text("4人")
    expect(page.get_by_test_id("card-policy")).to_contain_text("淘宝客服管理制度+奖金（积分制）")
    expect(page.get_by_test_id("card-notices")).to_contain_text("2条")
    # ECharts drew the agents-by-level chart.
    expect(page.locator("[data-kefu-chart] svg")).to_have_count(1)
    expect(page.get_by_test_id("card-levels")).to_contain_text("初级客服")
    # htmx is loaded and sends the CSRF token with every request it makes.
    assert page.evaluate("() => typeof window.htmx.ajax") == "function"
    headers = json.loads(page.locator("body").get_attribute("hx-headers") or "{}")
    assert len(headers["X-CSRFToken"]) == 64
    shot(page, "dashboard-supervisor")
    assert_clean(page)


def test_agent_navigation(page: Page, team: scenario.Scenario, sign_in) -> None:
    sign_in(team.agent_user)
    page.goto("/")
    expect(page).to_have_url(re.compile(rf"/s/{team.shop.pk}/$"))
    assert nav_labels(page) == AGENT_NAV
    expect(page.get_by_test_id("current-role")).to_have_text("客服")
    expect(page.get_by_test_id("nav")).not_to_contain_text("客服团队")
    expect(page.get_by_test_id("shop-switcher")).to_have_count(0)
    shot(page, "dashboard-agent")
    assert_clean(page)

    response = page.goto(f"/s/{team.shop.pk}/agents/")
    assert response is not None and response.status == 403
    expect(page.get_by_test_id("error-page")).to_contain_text("没有权限查看此页面")
    assert_styled(page)
    shot(page, "forbidden")


def test_shop_switcher(page: Page, team: scenario.Scenario, sign_in) -> None:
    sign_in(team.supervisor)
    page.goto(f"/s/{team.shop.pk}/")
    expect(page.get_by_test_id("current-shop")).to_have_text(scenario.SHOP)
    page.get_by_test_id("shop-switcher").click()
    options = page.get_by_test_id("shop-option")
    expect(options).to_have_count(2)
    expect(options.nth(1)).to_contain_text("拼多多")
    shot(page, "shop-switcher-open")
    options.filter(has_text=scenario.OTHER_SHOP).click()
    expect(page).to_have_url(re.compile(rf"/s/{team.other_shop.pk}/$"))
    expect(page.get_by_test_id("current-shop")).to_have_text(scenario.OTHER_SHOP)
    expect(page.get_by_test_id("card-policy")).to_contain_text("拼多多网店客服管理制度")
    expect(page.get_by_test_id("card-agents")).to_contain_text("1人")
    # The home page now remembers the shop used last.
    page.goto("/")
    expect(page).to_have_url(re.compile(rf"/s/{team.other_shop.pk}/$"))
    shot(page, "dashboard-other-shop")
    assert_clean(page)


def test_team_and_agent_pages(page: Page, team: scenario.Scenario, sign_in) -> None:
    sign_in(team.supervisor)
    page.goto(f"/s/{team.shop.pk}/")
    page.get_by_test_id("nav").get_by_role("link", name="客服团队").click()
    expect(page.get_by_role("heading", name="客服团队")).to_be_visible()
    expect(page.get_by_test_id("agent-link")).to_have_text(["李娜", "王小美", "赵强", "陈静"])
    assert_styled(page)
    shot(page, "agent-list")
    assert_clean(page)

    page.get_by_test_id("agent-link").filter(has_text="王小美").click()
    expect(page.get_by_test_id("eligibility-sentence")).to_have_text(
        "入职14个月，已满足“高级客服”条件（S4.5）"
    )
    expect(page.get_by_test_id("other-shops")).to_have_text("1 家")
    expect(page.get_by_test_id("sub-accounts")).to_contain_text("乐乐家居旗舰店:王小美")
    shot(page, "agent-detail")
    assert_clean(page)


def test_english_switch(page: Page, team: scenario.Scenario, sign_in) -> None:
    sign_in(team.supervisor)
    page.goto(f"/s/{team.shop.pk}/")
    page.get_by_test_id("language-menu").click()
    page.get_by_test_id("language-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert nav_labels(page) == [
        "Dashboard", "Service KPIs", "Chats", "Orders",
        "After-sales", "Mid and bad reviews", "Complaints", "Buyer", "Chat quality check",
        "Team", "Rosters", "Attendance", "Handover and summaries", "Weekly meetings",
        "Weekly meeting pack",
        "Points & fines", "Payroll",
        "Quick replies", "Product knowledge", "Exams",
        "Policy", "Notifications",
    ]  # fmt: skip
    sections = [t.strip() for t in page.get_by_test_id("nav-section").all_inner_texts()]
    assert sections == ["Today", "After-sales and buyers", "Team", "Performance and pay",
                        "Knowledge and training", "Rules"]  # fmt: skip
    expect(page.get_by_test_id("current-role")).to_have_text("Supervisor")
    expect(page.get_by_test_id("empty-state")).to_contain_text("No business data yet")
    expect(page.get_by_test_id("today")).to_have_text("Today is Nov 22, 2026")
    shot(page, "dashboard-english")
    assert_clean(page)

    page.goto(f"/s/{team.shop.pk}/agents/{team.agents['李娜'].pk}/")
    expect(page.get_by_test_id("eligibility-sentence")).to_have_text(
        "2 months since joining; will meet the requirements for “中级客服” on Dec 6, 2026"
    )
    shot(page, "agent-detail-english")
    assert_clean(page)

    page.get_by_test_id("language-menu").click()
    page.get_by_test_id("language-zh-hans").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_test_id("eligibility-sentence")).to_contain_text("入职2个月")


def test_no_shop_and_not_found(page: Page, team: scenario.Scenario, sign_in) -> None:
    sign_in(team.loner)
    page.goto("/")
    expect(page.get_by_test_id("no-shop")).to_contain_text("你还没有加入任何店铺")
    assert_styled(page)
    shot(page, "no-shop")
    assert_clean(page)

    response = page.goto(f"/s/{team.shop.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_test_id("error-page")).to_contain_text("页面不存在")
    shot(page, "not-found")

    page.goto("/")
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(r"/login/$"))


def test_every_navigation_page_renders_cleanly(
    page: Page, team: scenario.Scenario, sign_in
) -> None:
    """Each page the navigation offers opens inside the shell with no console error."""
    sign_in(team.supervisor)
    page.goto(f"/s/{team.shop.pk}/")
    links = page.get_by_test_id("nav").get_by_role("link")
    targets = [
        (t.strip(), links.nth(i).get_attribute("href"))
        for i, t in enumerate(links.all_inner_texts())
    ]
    assert [label for label, _url in targets] == SUPERVISOR_NAV
    for index, (label, url) in enumerate(targets):
        name = f"nav-{index:02d}-" + str(url).strip("/").split("/", 2)[-1].replace("/", "-")
        response = page.goto(str(url))
        assert response is not None and response.status == 200, (label, url)
        expect(page.get_by_test_id("nav").locator(".nav-item.active")).to_have_text(label)
        assert_styled(page)
        shot(page, name)
    assert_clean(page)


def test_small_screen(page: Page, team: scenario.Scenario, sign_in) -> None:
    """On a phone the sidebar folds into a menu button and nothing overflows sideways."""
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(team.supervisor)
    page.goto(f"/s/{team.shop.pk}/agents/{team.agents['王小美'].pk}/")
    expect(page.get_by_test_id("eligibility-sentence")).to_be_visible()
    expect(page.get_by_test_id("nav")).to_be_hidden()
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow == 0
    shot(page, "phone-agent-detail")

    page.get_by_role("button", name="展开菜单").click()
    expect(page.locator("#sidebar-menu")).to_have_class(re.compile(r"\bshow\b"))
    expect(page.get_by_test_id("nav").get_by_role("link", name="通知")).to_be_visible()
    shot(page, "phone-menu-open")
    assert_clean(page)


def test_dashboard_of_a_new_shop(page: Page, transactional_db, monkeypatch, sign_in) -> None:
    """A shop with no policy and no data yet: friendly cards, the empty state, no chart."""
    scenario.freeze_now(monkeypatch)
    team = scenario.build(with_policy=False)
    new_shop = shop_create(agency=team.agency, name="乐乐家居抖音小店", platform=Platform.DOUYIN)
    membership_grant(shop=new_shop, user=team.supervisor, role=Role.SUPERVISOR)
    sign_in(team.supervisor)
    page.goto(f"/s/{new_shop.pk}/")
    expect(page.get_by_test_id("policy-missing")).to_have_text("尚未设置管理制度")
    expect(page.get_by_test_id("empty-state")).to_contain_text("还没有业务数据")
    expect(page.get_by_test_id("card-notices")).to_contain_text("0条")
    expect(page.locator("[data-kefu-chart]")).to_have_count(0)
    shot(page, "dashboard-new-shop")
    assert_clean(page)
