"""The robot channel admin form: webhook host checked, secret never shown and kept when blank."""

from __future__ import annotations

import pytest

from kefu.notify.admin import RobotChannelForm
from kefu.notify.models import RobotChannel
from kefu.notify.tests.makers import shop_make

pytestmark = pytest.mark.django_db


def form_data(shop_id: int, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "shop": shop_id,
        "kind": "feishu",
        "name": "飞书群",
        "webhook_url": "https://open.feishu.cn/open-apis/bot/v2/hook/abc",
        "secret": "fs-secret",
        "relay_kinds": ["warning", "task"],
        "active": "on",
    }
    return data | overrides


def test_the_form_checks_the_webhook_host() -> None:
    shop = shop_make()

    form = RobotChannelForm(data=form_data(shop.pk, webhook_url="https://192.168.1.10/hook"))

    assert not form.is_valid()
    assert form.errors["webhook_url"] == [
        "飞书机器人的 Webhook 地址应以 https://open.feishu.cn/ 或 https://open.larksuite.com/ 开头"
    ]


def test_a_blank_secret_on_edit_keeps_the_stored_one() -> None:
    shop = shop_make()
    created = RobotChannelForm(data=form_data(shop.pk))
    assert created.is_valid(), created.errors
    channel = created.save()
    assert (channel.secret, channel.relay_kinds) == ("fs-secret", ["warning", "task"])

    edit = RobotChannelForm(data=form_data(shop.pk, secret="", name="改名"), instance=channel)
    assert edit.is_valid(), edit.errors
    edit.save()

    channel = RobotChannel.objects.get()
    assert (channel.name, channel.secret) == ("改名", "fs-secret")
    assert "fs-secret" not in str(RobotChannelForm(instance=channel)["secret"])
