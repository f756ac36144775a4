"""The chat pages, the `import_chats` command and the messages API router."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from ninja.testing import TestClient

from kefu.conversations.api import router
from kefu.conversations.models import ChatAccount, Conversation, DirtyDay, Message
from kefu.conversations.services import chat_file_import
from kefu.conversations.tests.chat_files import SHOP, VARIANTS
from kefu.core.choices import Role
from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.core.tests.factories import AssignmentFactory, MembershipFactory, ShopFactory
from kefu.staff.models import SubAccount

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop() -> Shop:
    return ShopFactory(name=SHOP)


def client_for(shop: Shop, role: Role) -> Client:
    client = Client()
    client.force_login(MembershipFactory(shop=shop, role=role).user)
    return client


def test_upload_then_read_the_conversation(shop: Shop) -> None:
    client = client_for(shop, Role.SUPERVISOR)
    url = reverse("conversations:import", kwargs={"shop_id": shop.pk})
    upload = SimpleUploadedFile("v.txt", VARIANTS.encode("gbk"))
    bad = SimpleUploadedFile("bad.txt", "买家 2026-5-1 9:00:99\r\n在\r\n".encode())
    response = client.post(url, {"file": [bad, upload]}, follow=True)
    page = response.content.decode()
    assert "v.txt：读取 10 条，新增 10 条。" in page
    assert "bad.txt: line 1: time &#x27;2026-5-1 9:00:99&#x27; does not parse" in page
    assert Message.objects.count() == 10

    listing = client.get(reverse("conversations:list", kwargs={"shop_id": shop.pk}))
    table = listing.content.decode().split('data-testid="conversation-table"')[1]
    assert table.count(f"/s/{shop.pk}/chats/") == 2
    assert "<td>买家甲</td>" in table and "<td>买家乙</td>" in table
    conversation = Conversation.objects.get(buyer__nickname="买家甲")
    detail = client.get(
        reverse(
            "conversations:detail",
            kwargs={"shop_id": shop.pk, "conversation_id": conversation.pk},
        )
    ).content.decode()
    assert 'data-kind="auto_reply" data-direction="agent"' in detail
    assert 'data-kind="transfer"' in detail
    assert detail.count('data-testid="round-start"') == 1
    assert '<span class="badge bg-azure-lt" data-testid="wait">等待 59 秒</span>' in detail


def test_agents_cannot_read_chats_or_import(shop: Shop) -> None:
    client = client_for(shop, Role.AGENT)
    for name in ("list", "import", "accounts"):
        assert (
            client.get(reverse(f"conversations:{name}", kwargs={"shop_id": shop.pk})).status_code
            == 403
        )


def test_bind_page(shop: Shop) -> None:
    chat_file_import(
        shop=shop, name="v.txt", stream=io.BytesIO(VARIANTS.encode()), acting_user=None
    )
    client = client_for(shop, Role.SUPERVISOR)
    page = client.get(reverse("conversations:accounts", kwargs={"shop_id": shop.pk}))
    assert page.content.decode().count("<tr>") == 3  # header, 小美, 阿杰
    account = ChatAccount.objects.get(nickname=f"{SHOP}:阿杰")
    agent = AssignmentFactory(shop=shop).agent
    url = reverse(
        "conversations:account_bind", kwargs={"shop_id": shop.pk, "account_id": account.pk}
    )
    assert client.get(url).status_code == 405
    response = client.post(url, {f"{account.pk}-agent": agent.pk}, follow=True)
    assert f"{SHOP}:阿杰 已绑定到 {agent.name}，1 天的指标待重算。" in response.content.decode()
    assert SubAccount.objects.get(shop=shop, nickname=f"{SHOP}:阿杰").agent == agent
    assert DirtyDay.objects.filter(shop=shop).count() == 1


def test_import_chats_command(shop: Shop, tmp_path: Path) -> None:
    good = tmp_path / "v.txt"
    good.write_bytes(VARIANTS.encode())
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"bad\.txt: the file is empty"):
        call_command("import_chats", "--shop", str(shop.pk), str(good), str(bad), stdout=out)
    assert f"{good}: 10 read, 10 new" in out.getvalue()
    call_command("import_chats", "--shop", str(shop.pk), str(good), stdout=out)
    assert f"{good}: 10 read, 0 new" in out.getvalue()
    with pytest.raises(CommandError, match="no shop with id 0"):
        call_command("import_chats", "--shop", "0", str(good))


def test_messages_api(shop: Shop) -> None:
    supervisor = MembershipFactory(shop=shop, role=Role.SUPERVISOR).user
    client = TestClient(router)
    body = {
        "source": "erp",
        "messages": [
            {"buyer": "b", "sender": "b", "direction": "buyer", "time": "2026-05-02T09:00:00",
             "text": "在吗"},
            {"buyer": "b", "sender": f"{SHOP}:小美", "direction": "agent",
             "time": "2026-05-02T09:00:30+08:00", "text": "在的"},
        ],
    }  # fmt: skip
    response = client.post(f"/{shop.pk}/messages", json=body, user=supervisor)
    assert response.status_code == 200
    assert response.json()["received"] == 2 and response.json()["added"] == 2
    again = client.post(f"/{shop.pk}/messages", json=body, user=supervisor)
    assert again.json()["added"] == 0
    assert Message.objects.get(direction="buyer").at.isoformat() == "2026-05-02T01:00:00+00:00"
    other = ShopFactory()
    assert client.post(f"/{other.pk}/messages", json={}, user=supervisor).status_code == 404
    with pytest.raises(InvalidInput, match="no messages in the batch"):
        client.post(f"/{shop.pk}/messages", json={}, user=supervisor)
    assert client.post(f"/{other.pk}/messages", json=body, user=supervisor).status_code == 404
    agent = MembershipFactory(shop=shop, role=Role.AGENT).user
    with pytest.raises(PermissionDenied):  # the mounted API turns it into its 403 envelope
        client.post(f"/{shop.pk}/messages", json=body, user=agent)
