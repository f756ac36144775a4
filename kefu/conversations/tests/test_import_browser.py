"""The chat pages in a real browser: upload a Qianniu file, read the list, the transcript and
the bind page; each renders clean and leaves test-artifacts/screens/chats-*.png."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from kefu.conversations.models import Conversation
from kefu.conversations.tests.chat_files import SHOP, VARIANTS
from kefu.core.choices import Role
from kefu.core.tests.factories import AssignmentFactory, MembershipFactory, ShopFactory
from tests.browser.plugin import assert_clean, assert_styled, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_list_transcript_and_bind(page: Page, live_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    shop = ShopFactory(name=SHOP)
    boss = MembershipFactory(shop=shop, role=Role.SUPERVISOR).user
    AssignmentFactory(shop=shop, agent__name="阿杰")
    client = Client()
    client.force_login(boss, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])

    upload = tmp_path / "千牛聊天记录.txt"
    upload.write_bytes(VARIANTS.encode("gbk"))
    page.goto(f"/s/{shop.pk}/chats/import/")
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_test_id("import-submit").click()
    expect(page.get_by_test_id("messages")).to_contain_text("读取 10 条，新增 10 条")
    assert_styled(page)
    shot(page, "chats-import")

    page.goto(f"/s/{shop.pk}/chats/")
    expect(page.get_by_test_id("conversation-table")).to_contain_text("买家甲")
    shot(page, "chats-list")

    conversation = Conversation.objects.get(buyer__nickname="买家甲")
    page.goto(f"/s/{shop.pk}/chats/{conversation.pk}/")
    expect(page.get_by_test_id("wait")).to_have_text("等待 59 秒")
    shot(page, "chats-conversation")

    page.goto(f"/s/{shop.pk}/chats/accounts/")
    shot(page, "chats-accounts")
    row = page.get_by_test_id("unbound-table").locator("tr", has_text=f"{SHOP}:阿杰")
    row.locator("select").select_option(label="阿杰")
    row.get_by_role("button").click()
    expect(page.get_by_test_id("messages")).to_contain_text("1 天的指标待重算")
    assert_clean(page)
