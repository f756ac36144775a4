"""The robot delivery task with Huey in immediate mode, sending to the local robot server."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from kefu.core import clock
from kefu.core.choices import Role
from kefu.core.models import Shop
from kefu.notify import services, tasks
from kefu.notify.choices import DeliveryStatus
from kefu.notify.models import Delivery, Notice, RobotChannel
from kefu.notify.tests.makers import member_make, shop_make

pytestmark = pytest.mark.django_db

SECRET = "SECtask-secret"


@pytest.fixture
def shop_and_user() -> tuple[Shop, User]:
    shop = shop_make(name="旗舰店")
    return shop, member_make(shop=shop, role=Role.SUPERVISOR)


@pytest.fixture
def channel(robot_server, shop_and_user):
    shop, _user = shop_and_user
    # Created with the ORM: channel_create (rightly) accepts only the platforms' https hosts.
    return RobotChannel.objects.create(
        shop=shop,
        kind="dingtalk",
        name="主管群",
        webhook_url=robot_server.url("/robot/send?access_token=tok"),
        secret=SECRET,
        relay_kinds=["coverage_gap"],
    )


def send_gap(shop, user, captured) -> list[Notice]:
    with captured(execute=True):
        return services.notice_send(
            shop=shop,
            recipients=[user],
            kind="coverage_gap",
            title="周六晚班缺 1 人",
            body="请安排加班或调班",
            link=f"/s/{shop.pk}/notices/",
        )


def test_delivery_is_sent_after_commit_and_recorded(
    robot_server,
    channel,
    shop_and_user,
    huey_immediate,
    settings,
    django_capture_on_commit_callbacks,
) -> None:
    settings.KEFU_SITE_URL = "https://kefu.example.com"
    shop, user = shop_and_user

    [notice] = send_gap(shop, user, django_capture_on_commit_callbacks)

    [request] = robot_server.requests
    assert request.path == "/robot/send"
    [timestamp] = request.query["timestamp"]
    expected_sign = base64.b64encode(
        hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    assert request.query == {
        "access_token": ["tok"],
        "timestamp": [timestamp],
        "sign": [expected_sign],
    }
    assert request.json == {
        "msgtype": "markdown",
        "markdown": {
            "title": "【排班缺口】周六晚班缺 1 人",
            "text": "#### 【排班缺口】周六晚班缺 1 人\n\n旗舰店\n\n请安排加班或调班\n\n"
            f"[查看详情](https://kefu.example.com/s/{shop.pk}/notices/)\n\n—— Kefu 客服",
        },
    }
    delivery = Delivery.objects.get()
    assert (delivery.notice, delivery.channel, delivery.status, delivery.attempts) == (
        notice,
        channel,
        DeliveryStatus.SENT,
        1,
    )
    assert delivery.last_error == ""
    assert delivery.sent_at is not None


def test_relative_link_is_left_out_without_a_site_url(
    robot_server,
    channel,
    shop_and_user,
    huey_immediate,
    settings,
    django_capture_on_commit_callbacks,
) -> None:
    settings.KEFU_SITE_URL = ""
    shop, user = shop_and_user

    send_gap(shop, user, django_capture_on_commit_callbacks)

    assert robot_server.requests[0].json["markdown"]["text"] == (
        "#### 【排班缺口】周六晚班缺 1 人\n\n旗舰店\n\n请安排加班或调班\n\n—— Kefu 客服"
    )


def test_refused_delivery_is_failed_with_the_error_and_retried_later(
    robot_server, channel, shop_and_user, huey_immediate, django_capture_on_commit_callbacks
) -> None:
    shop, user = shop_and_user
    robot_server.reply_json({"errcode": 310000, "errmsg": "sign not match"})

    send_gap(shop, user, django_capture_on_commit_callbacks)

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.sent_at) == (
        DeliveryStatus.FAILED,
        1,
        None,
    )
    assert delivery.last_error == "DingTalk robot (dingtalk): sign not match, errcode 310000"
    # Huey scheduled the retry (immediate mode keeps it in memory rather than running it now).
    [retry] = huey_immediate.scheduled()
    assert (retry.name, retry.args, retry.retries) == ("deliver_notice", (delivery.pk,), 2)

    # The retry runs once the robot is fixed (the server's default reply is success).
    tasks.deliver_notice.call_local(delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 2, "")
    assert len(robot_server.requests) == 2


def test_a_sent_delivery_is_not_sent_again(
    robot_server, channel, shop_and_user, huey_immediate, django_capture_on_commit_callbacks
) -> None:
    shop, user = shop_and_user
    send_gap(shop, user, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()

    tasks.deliver_notice(delivery.pk)
    outcome = services.delivery_send(delivery_id=delivery.pk)

    assert outcome is services.DeliveryOutcome.ALREADY_SENT
    assert len(robot_server.requests) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)


def test_a_deactivated_channel_is_not_sent_to(robot_server, channel, shop_and_user) -> None:
    shop, user = shop_and_user
    [notice] = services.notice_send(shop=shop, recipients=[user], kind="coverage_gap", title="缺人")
    RobotChannel.objects.filter(pk=channel.pk).update(active=False)

    outcome = services.delivery_send(delivery_id=Delivery.objects.get(notice=notice).pk)

    assert outcome is services.DeliveryOutcome.GONE
    assert robot_server.requests == []
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        DeliveryStatus.FAILED,
        0,
        "channel deactivated before sending",
    )


def test_a_missing_delivery_is_gone() -> None:
    assert services.delivery_send(delivery_id=987654) is services.DeliveryOutcome.GONE


def test_two_workers_cannot_both_send_an_attempt(
    robot_server, channel, shop_and_user, monkeypatch
) -> None:
    shop, user = shop_and_user
    services.notice_send(shop=shop, recipients=[user], kind="coverage_gap", title="缺人")
    delivery = Delivery.objects.get()
    real_now = clock.now

    def other_worker_claims_first() -> dt.datetime:
        # Runs inside our claim, after we read attempts=0: another worker got there first.
        Delivery.objects.filter(pk=delivery.pk, attempts=0).update(attempts=1)
        return real_now()

    monkeypatch.setattr(services.clock, "now", other_worker_claims_first)

    outcome = services.delivery_send(delivery_id=delivery.pk)

    assert outcome is services.DeliveryOutcome.BUSY
    assert robot_server.requests == []


def test_requeue_sends_stale_pending_deliveries_only(
    robot_server, channel, shop_and_user, huey_immediate
) -> None:
    shop, user = shop_and_user
    # No on_commit capture: the deliveries' queue messages are "lost".
    services.notice_send(shop=shop, recipients=[user], kind="coverage_gap", title="旧")
    services.notice_send(shop=shop, recipients=[user], kind="coverage_gap", title="新")
    stale = Delivery.objects.get(notice__title="旧")
    fresh = Delivery.objects.get(notice__title="新")
    now = timezone.now()
    Delivery.objects.filter(pk=stale.pk).update(updated_at=now - dt.timedelta(minutes=11))

    requeued = services.deliveries_requeue(stale_before=now - dt.timedelta(minutes=10))

    assert requeued == [stale.pk]
    assert Delivery.objects.get(pk=stale.pk).status == DeliveryStatus.SENT
    assert Delivery.objects.get(pk=fresh.pk).status == DeliveryStatus.PENDING
    assert len(robot_server.requests) == 1
    assert robot_server.requests[0].json["markdown"]["title"] == "【排班缺口】旧"
