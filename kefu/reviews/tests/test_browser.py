"""The review, complaint and weekly-report pages in a real browser: each renders clean and leaves
a screenshot in test-artifacts/screens/reviews-*.png; an agent records a Wangwang message."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from kefu.complaints.services import complaint_record
from kefu.core.choices import Platform, Role
from kefu.core.tests.factories import AssignmentFactory, MembershipFactory, ShopFactory, UserFactory
from kefu.policy.services import policy_adopt_preset
from kefu.reviews.services import reviews_import
from tests.browser.plugin import assert_clean, assert_styled, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SH = ZoneInfo("Asia/Shanghai")

CSV = (
    "评价ID,订单号,买家,联系电话,商品,评价结果,评价内容,评价时间,追加评论\n"
    "R1,1001,t***1,13812341234,316不锈钢保温杯 500ml,差评,杯盖漏水，质量太差,2026-03-04 10:00:00,\n"
    "R2,1002,小鹿,,旅行收纳袋,中评,一般般吧，发货慢,2026-03-04 11:00:00,\n"
    "R3,1003,阿杰,,旅行收纳袋,好评,挺好的,2026-03-04 12:00:00,用了一周拉链坏了\n"
)


@pytest.fixture
def world(transactional_db):  # type: ignore[no-untyped-def]
    shop = ShopFactory(name="乐乐家居旗舰店", platform=Platform.TAOBAO)
    policy_adopt_preset(
        shop=shop, preset="dongyao-s4", effective_from=dt.date(2026, 1, 1), acting_user=None
    )
    boss = MembershipFactory(shop=shop, role=Role.SUPERVISOR, user__username="zhuguan").user
    user = UserFactory(username="huilan")
    MembershipFactory(shop=shop, user=user, role=Role.AGENT)
    agent = AssignmentFactory(shop=shop, agent__user=user, agent__name="慧兰").agent
    reviews_import(shop=shop, data=CSV.encode(), filename="评价.csv", acting_user=None)
    complaint = complaint_record(
        shop=shop, received_at=dt.datetime(2026, 3, 5, 15, 0, tzinfo=SH), channel="chat",
        subject="客服态度差", content="买家说客服反问他", buyer_nick="小鹿", agent=agent,
        acting_user=None,
    )  # fmt: skip
    return shop, boss, user, complaint


def _sign_in(page: Page, live_server, user) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_supervisor_pages(page: Page, live_server, world) -> None:  # type: ignore[no-untyped-def]
    shop, boss, _user, complaint = world
    _sign_in(page, live_server, boss)
    from kefu.reviews.models import Review

    review = Review.objects.get(shop=shop, platform_review_id="R1")
    for name, url in [
        ("reviews-table", f"/s/{shop.pk}/reviews/"),
        ("reviews-import", f"/s/{shop.pk}/reviews/import/"),
        ("reviews-detail", f"/s/{shop.pk}/reviews/{review.pk}/"),
        ("reviews-complaints", f"/s/{shop.pk}/complaints/"),
        ("reviews-complaint-new", f"/s/{shop.pk}/complaints/new/"),
        ("reviews-complaint", f"/s/{shop.pk}/complaints/{complaint.pk}/"),
        ("reviews-weekly", f"/s/{shop.pk}/weekly/?week=2026-03-02"),
    ]:
        page.goto(url)
        assert_styled(page)
        shot(page, name)
    expect(page.get_by_test_id("section-reviews")).to_contain_text("t***1")
    assert_clean(page)


def test_agent_records_a_message(page: Page, live_server, world) -> None:  # type: ignore[no-untyped-def]
    shop, _boss, user, _complaint = world
    _sign_in(page, live_server, user)
    page.goto(f"/s/{shop.pk}/reviews/")
    rows = page.get_by_test_id("review-row")
    expect(rows).to_have_count(3)
    first = rows.filter(has_text="t***1")
    expect(first).to_contain_text("138****1234")
    first.get_by_role("link").click()
    page.get_by_label("方式").select_option("chat")
    page.get_by_label("修改评价链接").fill("https://rate.taobao.com/edit?id=1")
    page.get_by_test_id("contact-submit").click()
    expect(page.get_by_test_id("contacts")).to_contain_text("旺旺留言")
    shot(page, "reviews-agent-contact")
    assert_clean(page)
