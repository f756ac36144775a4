"""Notices: sending, tenancy of reads, unread counts, marking read, purging; robot channels."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from kefu.core.choices import Role
from kefu.core.errors import InvalidInput
from kefu.core.models import AuditEntry, Shop
from kefu.notify import selectors, services
from kefu.notify.choices import DeliveryStatus, NoticeKind
from kefu.notify.models import Delivery, Notice, RobotChannel
from kefu.notify.tests.makers import join, member_make, shop_make

pytestmark = pytest.mark.django_db


TwoShops = tuple[Shop, Shop, User, User, User]


@pytest.fixture
def two_shops() -> TwoShops:
    """User A and B in shop 1, user C in shop 2; A is also a member of shop 2."""
    shop1, shop2 = shop_make(), shop_make()
    a, b = member_make(shop=shop1), member_make(shop=shop1)
    c = member_make(shop=shop2, role=Role.SUPERVISOR)
    join(user=a, shop=shop2)
    return shop1, shop2, a, b, c


def test_a_notice_is_seen_by_its_recipient_in_its_shop_only(two_shops) -> None:
    shop1, shop2, a, b, c = two_shops

    [notice] = services.notice_send(
        shop=shop1, recipients=[a], kind=NoticeKind.TASK, title="交接班记录未填写", link="/s/1/"
    )

    assert list(selectors.notices_for(shop=shop1, user=a)) == [notice]
    assert list(selectors.notices_for(shop=shop1, user=b)) == []  # same shop, other user
    assert list(selectors.notices_for(shop=shop2, user=a)) == []  # same user, other shop
    assert list(selectors.notices_for(shop=shop2, user=c)) == []
    assert (notice.shop, notice.recipient, notice.kind, notice.title, notice.read_at) == (
        shop1,
        a,
        "task",
        "交接班记录未填写",
        None,
    )


def test_send_to_several_recipients_ignores_duplicates(two_shops) -> None:
    shop1, _shop2, a, b, _c = two_shops

    notices = services.notice_send(shop=shop1, recipients=[a, b, a], kind="info", title="周会")

    assert sorted(n.recipient_id for n in notices) == sorted([a.pk, b.pk])
    assert Notice.objects.count() == 2


def test_recipients_must_be_members_of_the_shop(two_shops) -> None:
    shop1, _shop2, a, _b, c = two_shops

    with pytest.raises(InvalidInput) as caught:
        services.notice_send(shop=shop1, recipients=[a, c], kind="info", title="周会")

    assert caught.value.message == "接收人不是本店铺成员"
    assert caught.value.details == [c.username]
    assert Notice.objects.count() == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "gossip", "title": "x"}, "未知的通知类型：gossip"),
        ({"kind": "info", "title": "   "}, "通知标题不能为空"),
        ({"kind": "info", "title": "长" * 201}, "通知标题过长（最多 200 个字符）"),
        (
            {"kind": "info", "title": "x", "link": "javascript:alert(1)"},
            "链接应为站内路径或 http(s) 地址：javascript:alert(1)",
        ),
        (
            {"kind": "info", "title": "x", "link": "//evil.example/"},
            "链接应为站内路径或 http(s) 地址：//evil.example/",
        ),
    ],
)
def test_invalid_notices_are_refused(two_shops, kwargs, message) -> None:
    shop1, _shop2, a, _b, _c = two_shops

    with pytest.raises(InvalidInput) as caught:
        services.notice_send(shop=shop1, recipients=[a], **kwargs)

    assert caught.value.message == message


def test_no_recipients_sends_nothing(two_shops) -> None:
    shop1, *_ = two_shops
    assert services.notice_send(shop=shop1, recipients=[], kind="info", title="x") == []


def test_unread_counts_and_mark_read_are_per_user_and_shop(two_shops) -> None:
    shop1, shop2, a, b, _c = two_shops
    first, _second = (
        services.notice_send(shop=shop1, recipients=[a], kind="info", title=t)[0]
        for t in ("一", "二")
    )
    [b_notice] = services.notice_send(shop=shop1, recipients=[b], kind="info", title="给 B")
    services.notice_send(shop=shop2, recipients=[a], kind="info", title="二店")

    assert selectors.unread_count(shop=shop1, user=a) == 2
    assert selectors.unread_count(shop=shop2, user=a) == 1
    assert selectors.unread_count(shop=shop1, user=b) == 1

    # A cannot mark B's notice read, even passing its id.
    changed = services.notice_mark_read(shop=shop1, user=a, notice_ids=[first.pk, b_notice.pk])

    assert changed == 1
    assert selectors.unread_count(shop=shop1, user=a) == 1
    assert selectors.unread_count(shop=shop1, user=b) == 1
    first.refresh_from_db()
    assert first.read_at is not None
    # Marking again keeps the first read time.
    read_at = first.read_at
    assert services.notice_mark_read(shop=shop1, user=a, notice_ids=[first.pk]) == 0
    first.refresh_from_db()
    assert first.read_at == read_at

    assert services.notice_mark_all_read(shop=shop1, user=a) == 1
    assert selectors.unread_count(shop=shop1, user=a) == 0
    assert selectors.unread_count(shop=shop2, user=a) == 1  # the other shop is untouched
    assert selectors.unread_count(shop=shop1, user=b) == 1


def test_notices_for_unread_only_and_newest_first(two_shops) -> None:
    shop1, _shop2, a, _b, _c = two_shops
    older = services.notice_send(shop=shop1, recipients=[a], kind="info", title="旧")[0]
    newer = services.notice_send(shop=shop1, recipients=[a], kind="info", title="新")[0]
    Notice.objects.filter(pk=older.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    services.notice_mark_read(shop=shop1, user=a, notice_ids=[older.pk])

    assert list(selectors.notices_for(shop=shop1, user=a)) == [newer, older]
    assert list(selectors.notices_for(shop=shop1, user=a, unread_only=True)) == [newer]


def test_purge_deletes_old_read_notices_only(two_shops) -> None:
    shop1, _shop2, a, _b, _c = two_shops
    now = timezone.now()
    made = {
        title: services.notice_send(shop=shop1, recipients=[a], kind="info", title=title)[0]
        for title in ("old read", "old unread", "recent read")
    }
    Notice.objects.filter(pk__in=[made["old read"].pk, made["old unread"].pk]).update(
        created_at=now - dt.timedelta(days=91)
    )
    Notice.objects.filter(pk=made["recent read"].pk).update(created_at=now - dt.timedelta(days=89))
    services.notice_mark_read(
        shop=shop1, user=a, notice_ids=[made["old read"].pk, made["recent read"].pk]
    )

    deleted = services.notices_purge(created_before=now - dt.timedelta(days=90))

    assert deleted == 1
    assert sorted(Notice.objects.values_list("title", flat=True)) == ["old unread", "recent read"]


def test_notice_send_queues_one_delivery_per_relaying_active_channel(two_shops) -> None:
    shop1, shop2, a, b, _c = two_shops
    relays = RobotChannel.objects.create(
        shop=shop1,
        kind="wecom",
        name="客服群",
        webhook_url="https://qyapi.weixin.qq.com/x",
        relay_kinds=["coverage_gap", "warning"],
    )
    RobotChannel.objects.create(
        shop=shop1,
        kind="dingtalk",
        name="只转待办",
        webhook_url="https://oapi.dingtalk.com/x",
        relay_kinds=["task"],
    )
    RobotChannel.objects.create(
        shop=shop1,
        kind="feishu",
        name="停用",
        webhook_url="https://open.feishu.cn/x",
        relay_kinds=["coverage_gap"],
        active=False,
    )
    RobotChannel.objects.create(
        shop=shop2,
        kind="feishu",
        name="二店群",
        webhook_url="https://open.feishu.cn/y",
        relay_kinds=["coverage_gap"],
    )

    notices = services.notice_send(
        shop=shop1, recipients=[a, b], kind=NoticeKind.COVERAGE_GAP, title="周六晚班缺 1 人"
    )

    # One delivery for the group, not one per recipient.
    [delivery] = Delivery.objects.all()
    assert (
        delivery.shop,
        delivery.channel,
        delivery.notice,
        delivery.status,
        delivery.attempts,
    ) == (
        shop1,
        relays,
        notices[0],
        DeliveryStatus.PENDING,
        0,
    )


def test_notice_send_registers_the_delivery_task_after_commit(
    two_shops, django_capture_on_commit_callbacks
) -> None:
    shop1, _shop2, a, _b, _c = two_shops
    RobotChannel.objects.create(
        shop=shop1,
        kind="wecom",
        name="客服群",
        webhook_url="https://qyapi.weixin.qq.com/x",
        relay_kinds=["info"],
    )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notice_send(shop=shop1, recipients=[a], kind="info", title="周会")
        services.notice_send(shop=shop1, recipients=[a], kind="task", title="不转发")

    assert len(callbacks) == 1


def test_channel_create_validates_and_audits_without_the_secret(two_shops) -> None:
    shop1, _shop2, a, _b, _c = two_shops

    channel = services.channel_create(
        shop=shop1,
        acting_user=a,
        kind="dingtalk",
        name=" 客服主管群 ",
        webhook_url="https://oapi.dingtalk.com/robot/send?access_token=abc",
        secret="SECtopsecret",
        relay_kinds=["warning", "coverage_gap", "warning"],
    )

    assert (channel.name, channel.relay_kinds, channel.active) == (
        "客服主管群",
        ["coverage_gap", "warning"],
        True,
    )
    [entry] = AuditEntry.objects.filter(shop=shop1)
    assert (entry.actor, entry.action, entry.object_id) == (
        a,
        "notify.channel_create",
        str(channel.pk),
    )
    assert entry.new_value == {
        "kind": "dingtalk",
        "name": "客服主管群",
        "host": "oapi.dingtalk.com",
        "signed": True,
        "relay_kinds": ["coverage_gap", "warning"],
        "active": True,
    }
    assert "SECtopsecret" not in str(entry.new_value)


@pytest.mark.parametrize(
    ("kind", "url", "secret", "relay", "field"),
    [
        ("dingtalk", "https://10.0.0.5/robot/send", "", ["info"], "webhook_url"),
        ("dingtalk", "http://oapi.dingtalk.com/robot/send", "", ["info"], "webhook_url"),
        ("feishu", "https://oapi.dingtalk.com/robot/send", "", ["info"], "webhook_url"),
        (
            "wecom",
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
            "s",
            ["info"],
            "secret",
        ),
        (
            "wecom",
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
            "",
            ["nope"],
            "relay_kinds",
        ),
        ("slack", "https://hooks.slack.com/x", "", ["info"], "kind"),
    ],
)
def test_channel_create_refuses_bad_settings(two_shops, kind, url, secret, relay, field) -> None:
    shop1, _shop2, a, _b, _c = two_shops

    with pytest.raises(InvalidInput) as caught:
        services.channel_create(
            shop=shop1,
            acting_user=a,
            kind=kind,
            name="群",
            webhook_url=url,
            secret=secret,
            relay_kinds=relay,
        )

    assert caught.value.message == "群机器人设置有误"
    assert [d.split(":")[0] for d in caught.value.details] == [field]
    assert RobotChannel.objects.count() == 0
    assert AuditEntry.objects.count() == 0
