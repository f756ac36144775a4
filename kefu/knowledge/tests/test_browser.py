"""The knowledge pages in a real browser: each page renders clean (no console error, no failed
request) and leaves a full-page screenshot in test-artifacts/screens/knowledge-*.png."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from kefu.core.choices import Role
from kefu.core.models import Shop
from kefu.core.tests.factories import AssignmentFactory, MembershipFactory, ShopFactory, UserFactory
from kefu.knowledge import exam_services, services
from kefu.knowledge.choices import QuestionKind
from kefu.policy.services import policy_adopt_preset
from tests.browser.plugin import assert_clean, assert_styled, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):  # type: ignore[no-untyped-def]
    shop = ShopFactory(name="乐乐家居旗舰店")
    policy_adopt_preset(
        shop=shop, preset="taobao-s4-points", effective_from=dt.date(2026, 1, 1), acting_user=None
    )
    boss = MembershipFactory(shop=shop, role=Role.SUPERVISOR, user__username="zhuguan").user
    user = UserFactory(username="xiaomei")
    MembershipFactory(shop=shop, user=user, role=Role.AGENT)
    AssignmentFactory(shop=shop, agent__user=user, agent__name="小美")
    AssignmentFactory(shop=shop, agent__name="阿强")
    services.quick_phrases_seed(shop=shop, acting_user=None)
    cup = services.product_save(
        shop=shop,
        product=None,
        values={
            "name": "316不锈钢保温杯 500ml",
            "item_id": "689123456789",
            "selling_points": "316医用级不锈钢内胆\n保温12小时、保冷24小时\n一键开盖，单手可喝",
            "specifications": "容量：500ml\n重量：320g\n颜色：雾蓝、奶白、黑",
            "competitor_notes": "竞品多为304内胆，我们价格高10元，强调316材质和售后",
            "launch_date": dt.date.today() + dt.timedelta(days=5),
            "competitor_shops": "竞品店A\n竞品店B\n竞品店C",
        },
        acting_user=None,
    )
    services.product_faq_add(
        shop=shop,
        product=cup,
        question="能装开水吗？",
        answer="可以，请勿装碳酸饮料",
        acting_user=None,
    )
    for phrase in list(shop_phrases(shop))[:4]:
        for _ in range(phrase.pk % 4):
            services.quick_phrase_use(shop=shop, phrase=phrase, acting_user=None)
    exam = exam_services.exam_create(
        shop=shop, title="10月商品知识考试", product=cup, acting_user=None
    )
    exam_services.question_add(
        shop=shop,
        exam=exam,
        kind=QuestionKind.SINGLE,
        text="保温杯的内胆是什么材质？",
        marks=50,
        choices=[("304不锈钢", False), ("316不锈钢", True), ("玻璃", False)],
        acting_user=None,
    )
    exam_services.question_add(
        shop=shop,
        exam=exam,
        kind=QuestionKind.SHORT,
        text="买家嫌贵时怎么回复？",
        marks=50,
        reference="说明316材质和活动券",
        acting_user=None,
    )
    exam_services.exam_open(shop=shop, exam=exam, acting_user=None)
    return shop, boss, user, cup, exam


def shop_phrases(shop: Shop):  # type: ignore[no-untyped-def]
    from kefu.knowledge.selectors import phrases

    return phrases(shop=shop)


def _sign_in(page: Page, live_server, user) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_supervisor_pages(page: Page, live_server, world) -> None:  # type: ignore[no-untyped-def]
    shop, boss, _, cup, exam = world
    _sign_in(page, live_server, boss)
    base = f"/s/{shop.pk}/knowledge"
    for name, url in [
        ("knowledge-phrases", f"{base}/phrases/"),
        ("knowledge-phrase-edit", f"{base}/phrases/{shop_phrases(shop).first().pk}/"),
        ("knowledge-phrase-import", f"{base}/phrases/import/"),
        ("knowledge-products", f"{base}/products/"),
        ("knowledge-product-import", f"{base}/products/import/"),
        ("knowledge-product", f"{base}/products/{cup.pk}/"),
        ("knowledge-product-edit", f"{base}/products/{cup.pk}/edit/"),
        ("knowledge-exams", f"{base}/exams/"),
        ("knowledge-exam", f"{base}/exams/{exam.pk}/"),
    ]:
        page.goto(url)
        assert_styled(page)
        shot(page, name)
    assert_clean(page)


def test_agent_copies_a_phrase_and_takes_the_exam(  # type: ignore[no-untyped-def]
    page: Page, live_server, world
) -> None:
    shop, boss, user, cup, exam = world
    _sign_in(page, live_server, user)
    page.goto(f"/s/{shop.pk}/knowledge/phrases/")
    page.get_by_role("link", name="议价").click()
    first = page.get_by_test_id("use-count").first
    expect(first).to_have_text("用过 0 次")
    page.get_by_test_id("phrase-copy").first.click()
    expect(page.get_by_test_id("use-count").first).to_have_text("用过 1 次")
    shot(page, "knowledge-agent-phrases")
    page.goto(f"/s/{shop.pk}/knowledge/products/{cup.pk}/")
    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("confirmed")).to_be_visible()
    shot(page, "knowledge-agent-product")
    page.goto(f"/s/{shop.pk}/knowledge/exams/")
    page.get_by_test_id("exam-take").click()
    page.get_by_label("316不锈钢").check()
    page.locator("textarea").fill("亲，我们是316医用级内胆，现在领券还能减10元哦")
    shot(page, "knowledge-agent-exam")
    page.get_by_test_id("exam-submit").click()
    expect(page.get_by_test_id("my-result")).to_contain_text("等待主管批改")
    shot(page, "knowledge-agent-exam-submitted")
    assert_clean(page)
    _sign_in(page, live_server, boss)
    page.goto(f"/s/{shop.pk}/knowledge/exams/{exam.pk}/")
    page.get_by_role("link", name="评分").click()
    page.locator("input[type=number]").fill("50")
    shot(page, "knowledge-mark")
    page.get_by_test_id("mark-submit").click()
    expect(page.get_by_test_id("attempts")).to_contain_text("100.0")
    shot(page, "knowledge-exam-marked")
    page.goto(f"/s/{shop.pk}/knowledge/exams/")
    expect(page.get_by_test_id("exam-facts")).to_contain_text("S4.5 加分2")
    assert_clean(page)
