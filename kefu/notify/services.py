"""Writes of the notify app: send and read notices, configure robots, deliver to robots."""

from __future__ import annotations

import datetime as dt
import enum
import logging
import os
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from kefu.core import clock
from kefu.core.audit import audit_record
from kefu.core.errors import InvalidInput
from kefu.core.models import Membership, Shop
from kefu.notify import robots
from kefu.notify.choices import DeliveryStatus, NoticeKind
from kefu.notify.models import Delivery, Notice, RobotChannel, WorkerHeartbeat

logger = logging.getLogger(__name__)

TITLE_MAX = Notice._meta.get_field("title").max_length or 200
LINK_MAX = Notice._meta.get_field("link").max_length or 500


# --------------------------------------------------------------------------------- notices


def _check_link(link: str) -> None:
    """A link is rendered as href: allow a site path or an http(s) URL, never javascript: etc."""
    if not link:
        return
    if len(link) > LINK_MAX:
        raise InvalidInput(f"链接过长（最多 {LINK_MAX} 个字符）")
    parts = urlsplit(link)
    is_path = link.startswith("/") and not link.startswith("//") and not parts.scheme
    is_web = parts.scheme in {"http", "https"} and bool(parts.netloc)
    if not (is_path or is_web):
        raise InvalidInput(f"链接应为站内路径或 http(s) 地址：{link}")


@transaction.atomic
def notice_send(
    *,
    shop: Shop,
    recipients: Iterable[AbstractBaseUser],
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
) -> list[Notice]:
    """One notice per recipient (duplicates ignored), and one robot delivery per active channel
    of the shop that relays `kind`, queued once the transaction commits.

    Every recipient must be a member of the shop: a notice is tenant data, and a non-member
    could never open the page it belongs to."""
    if kind not in NoticeKind.values:
        raise InvalidInput(f"未知的通知类型：{kind}")
    title = title.strip()
    if not title:
        raise InvalidInput("通知标题不能为空")
    if len(title) > TITLE_MAX:
        raise InvalidInput(f"通知标题过长（最多 {TITLE_MAX} 个字符）")
    _check_link(link)

    users = list({user.pk: user for user in recipients}.values())
    if not users:
        return []
    members = set(
        Membership.objects.filter(shop=shop, user_id__in=[u.pk for u in users]).values_list(
            "user_id", flat=True
        )
    )
    outsiders = [str(u) for u in users if u.pk not in members]
    if outsiders:
        raise InvalidInput("接收人不是本店铺成员", details=sorted(outsiders))

    now = clock.now()
    notices = Notice.objects.bulk_create(
        [
            Notice(
                shop=shop,
                recipient_id=u.pk,
                kind=kind,
                title=title,
                body=body,
                link=link,
                created_at=now,
            )
            for u in users
        ]
    )
    channels = [c for c in RobotChannel.objects.filter(shop=shop, active=True) if c.relays(kind)]
    for channel in channels:
        delivery = Delivery.objects.create(shop=shop, notice=notices[0], channel=channel)
        _enqueue_after_commit(delivery.pk)
    return notices


def _enqueue_after_commit(delivery_id: int) -> None:
    """Queue the delivery task once the notice is committed (the worker must find the rows).

    robust=True: the notices are saved whatever happens to the queue; a delivery whose enqueue
    failed (queue down) stays pending and deliveries_requeue picks it up later."""
    # Imported here: kefu.notify.tasks imports this module.
    from kefu.notify.tasks import deliver_notice

    transaction.on_commit(lambda: deliver_notice(delivery_id), robust=True)


@transaction.atomic
def notice_mark_read(*, shop: Shop, user: AbstractBaseUser, notice_ids: Iterable[int]) -> int:
    """Mark these notices of `user` in `shop` read; ids of anyone else's notices are ignored.
    Returns how many changed (already-read notices keep their first read time)."""
    return Notice.objects.filter(
        shop=shop, recipient_id=user.pk, pk__in=list(notice_ids), read_at__isnull=True
    ).update(read_at=clock.now())


@transaction.atomic
def notice_mark_all_read(*, shop: Shop, user: AbstractBaseUser) -> int:
    return Notice.objects.filter(shop=shop, recipient_id=user.pk, read_at__isnull=True).update(
        read_at=clock.now()
    )


@transaction.atomic
def notices_purge(*, created_before: dt.datetime) -> int:
    """Delete read notices created before `created_before`, in all shops (a maintenance job).
    Unread notices are kept whatever their age. Returns the number of notices deleted."""
    _total, by_model = Notice.objects.filter(
        created_at__lt=created_before, read_at__isnull=False
    ).delete()
    # The total counts the cascaded deliveries too; report notices only.
    return by_model.get(Notice._meta.label, 0)


# ------------------------------------------------------------------------------- channels


@transaction.atomic
def channel_create(
    *,
    shop: Shop,
    acting_user: AbstractBaseUser | None,
    kind: str,
    name: str,
    webhook_url: str,
    secret: str = "",
    relay_kinds: Iterable[str] = (),
    active: bool = True,
) -> RobotChannel:
    """Add a robot channel to the shop, validated (official webhook host, secret only where the
    platform signs) and audited without its secret."""
    channel = RobotChannel(
        shop=shop,
        kind=kind,
        name=name.strip(),
        webhook_url=webhook_url.strip(),
        secret=secret.strip(),
        relay_kinds=sorted(set(relay_kinds)),
        active=active,
    )
    try:
        channel.full_clean()
    except ValidationError as exc:
        details = [f"{field}: {msg}" for field, msgs in exc.message_dict.items() for msg in msgs]
        raise InvalidInput("群机器人设置有误", details=details) from exc
    channel.save()
    audit_record(
        shop=shop,
        actor=acting_user,
        action="notify.channel_create",
        object_type="notify.RobotChannel",
        object_id=channel.pk,
        new_value={
            "kind": channel.kind,
            "name": channel.name,
            "host": urlsplit(channel.webhook_url).hostname,
            "signed": bool(channel.secret),
            "relay_kinds": channel.relay_kinds,
            "active": channel.active,
        },
    )
    return channel


# ------------------------------------------------------------------------------ deliveries


class DeliveryOutcome(enum.StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already_sent"  # an earlier run sent it: nothing to do (idempotent)
    BUSY = "busy"  # another worker claimed this attempt at the same moment
    GONE = "gone"  # the delivery, its notice or its channel was deleted or deactivated
    FAILED = "failed"  # the platform refused or could not be reached; worth retrying


def _robot_message(delivery: Delivery) -> robots.RobotMessage:
    notice = delivery.notice
    kind_label = NoticeKind(notice.kind).label
    title = f"【{kind_label}】{notice.title}"
    text = f"{delivery.shop.name}\n\n{notice.body}" if notice.body else delivery.shop.name
    return robots.RobotMessage(title=title, text=text, link=_absolute_link(notice.link))


def _absolute_link(link: str) -> str:
    """Robots need absolute URLs. Site paths are joined to KEFU_SITE_URL; without that setting
    the link is left out rather than posted as a path that opens nothing in a chat client."""
    if not link or urlsplit(link).scheme:
        return link
    base = str(getattr(settings, "KEFU_SITE_URL", "") or "")
    return urljoin(base, link) if base else ""


def delivery_send(
    *,
    delivery_id: int,
    send: Callable[..., None] = robots.robot_send,
) -> DeliveryOutcome:
    """Send one delivery to its robot and record the outcome. Idempotent: a sent delivery is
    never sent again.

    Not one transaction on purpose: the HTTP call sits between two short ones (claim, record)
    so no database lock is held while waiting on the platform. The claim increments `attempts`
    only if nobody else did since we read it (optimistic lock), so two workers running the same
    delivery cannot both post it. QuerySet.update() skips auto_now, hence the explicit
    updated_at: deliveries_requeue relies on it to leave in-flight deliveries alone.

    Delivery is at-least-once: a worker killed after the platform accepted the message but
    before recording it leaves the delivery pending, and the requeue sends it again."""
    delivery = (
        Delivery.objects.select_related("notice", "channel", "shop").filter(pk=delivery_id).first()
    )
    if delivery is None:
        return DeliveryOutcome.GONE
    if delivery.status == DeliveryStatus.SENT:
        return DeliveryOutcome.ALREADY_SENT
    channel = delivery.channel
    if not channel.active:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED,
            last_error="channel deactivated before sending",
            updated_at=clock.now(),
        )
        return DeliveryOutcome.GONE

    claimed = (
        Delivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts)
        .exclude(status=DeliveryStatus.SENT)
        .update(attempts=F("attempts") + 1, updated_at=clock.now())
    )
    if not claimed:
        return DeliveryOutcome.BUSY

    try:
        send(
            kind=channel.kind,
            webhook=channel.webhook_url,
            secret=channel.secret,
            message=_robot_message(delivery),
        )
    except robots.RobotError as exc:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, last_error=str(exc), updated_at=clock.now()
        )
        logger.warning("robot delivery %s failed: %s", delivery.pk, exc)
        return DeliveryOutcome.FAILED
    now = clock.now()
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENT, sent_at=now, last_error="", updated_at=now
    )
    return DeliveryOutcome.SENT


def deliveries_requeue(*, stale_before: dt.datetime) -> list[int]:
    """Queue again the deliveries still pending since before `stale_before` (their enqueue was
    lost, e.g. the queue was down at commit time). Returns their ids. Safe to overlap with a
    late original task: delivery_send is idempotent and claims each attempt."""
    from kefu.notify.tasks import deliver_notice  # tasks imports this module

    ids = list(
        Delivery.objects.filter(
            status=DeliveryStatus.PENDING, updated_at__lt=stale_before
        ).values_list("pk", flat=True)
    )
    for delivery_id in ids:
        deliver_notice(delivery_id)
    return ids


# -------------------------------------------------------------------------------- heartbeat


def heartbeat_record(*, name: str = "huey") -> WorkerHeartbeat:
    """Record that the worker `name` is alive now (host and pid help find a stray worker)."""
    beat, _created = WorkerHeartbeat.objects.update_or_create(
        name=name,
        defaults={"beat_at": clock.now(), "host": socket.gethostname()[:255], "pid": os.getpid()},
    )
    return beat
