"""In-app notices, the shop's chat-robot channels, robot deliveries and the worker heartbeat."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.core.models import ShopScoped
from kefu.notify import robots
from kefu.notify.choices import ChannelKind, DeliveryStatus, NoticeKind


class Notice(ShopScoped):
    """One message to one user inside one shop. Read state is per recipient."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("接收人"),
    )
    kind = models.CharField(_("类型"), max_length=32, choices=NoticeKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    # A CharField, not a URLField: in-app links are site-relative paths ("/s/1/policy/"), which
    # URLField's validator rejects. notice_send checks the value is a path or an http(s) URL.
    link = models.CharField(_("链接"), max_length=500, blank=True)
    # default rather than auto_now_add so imports and tests can date a notice.
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The list page and the unread badge: one user's notices in one shop.
            models.Index(fields=["shop", "recipient", "read_at"], name="notice_inbox"),
            models.Index(fields=["shop", "recipient", "-created_at"], name="notice_recent"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


def _validate_relay_kinds(value: Any) -> None:
    if not isinstance(value, list) or any(k not in NoticeKind.values for k in value):
        raise ValidationError(_("转发的通知类型无效"))


class RobotChannel(ShopScoped):
    """A group chat robot of the shop (DingTalk, WeCom or Feishu) that relays some notice kinds.

    The secret is stored as entered: the sender needs it in clear to sign. Only admins (Django
    admin) and the worker read it; it is never written to the audit trail."""

    kind = models.CharField(_("平台"), max_length=16, choices=ChannelKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    webhook_url = models.URLField(_("Webhook 地址"), max_length=500)
    secret = models.CharField(
        _("加签密钥"),
        max_length=200,
        blank=True,
        help_text=_("钉钉、飞书机器人的加签密钥；企业微信留空"),
    )
    active = models.BooleanField(_("启用"), default=True)
    # A JSON list of NoticeKind values. JSON rather than a join table: a shop has a handful of
    # channels, matching is done in Python, and SQLite has no JSON "contains" lookup anyway.
    relay_kinds = models.JSONField(
        _("转发的通知类型"), default=list, blank=True, validators=[_validate_relay_kinds]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="robotchannel_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"

    def relays(self, kind: str) -> bool:
        return self.active and kind in self.relay_kinds

    def clean(self) -> None:
        """Only the platform's own https host is accepted as webhook: the server POSTs to it,
        so any other URL would let a shop user aim our requests into the internal network."""
        super().clean()
        errors: dict[str, ValidationError] = {}
        parts = urlsplit(self.webhook_url or "")
        # An unknown kind is reported by the field's own choices validation.
        hosts = robots.OFFICIAL_HOSTS.get(self.kind)
        if hosts and self.webhook_url and (parts.scheme != "https" or parts.hostname not in hosts):
            errors["webhook_url"] = ValidationError(
                _("%(kind)s机器人的 Webhook 地址应以 %(prefixes)s 开头"),
                params={
                    "kind": self.get_kind_display(),
                    "prefixes": " 或 ".join(f"https://{host}/" for host in sorted(hosts)),
                },
            )
        if self.secret and self.kind not in robots.SIGNED_KINDS:
            errors["secret"] = ValidationError(_("企业微信机器人不支持加签，请留空"))
        if errors:
            raise ValidationError(errors)


class Delivery(ShopScoped):
    """Sending one notice to one robot channel: its state, attempts and the last error.

    One delivery per notice_send call and channel (the group sees a message once, however many
    recipients the notice has); `notice` is the first notice of that call."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.ForeignKey(RobotChannel, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        _("状态"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("机器人推送")
        verbose_name_plural = _("机器人推送")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "channel"], name="delivery_once_per_channel")
        ]
        indexes = [models.Index(fields=["status", "updated_at"], name="delivery_status")]

    def __str__(self) -> str:
        return f"{self.notice_id} → {self.channel_id}: {self.status}"


class WorkerHeartbeat(models.Model):
    """The last time the job worker ran the heartbeat task (not a tenant table: one row per
    worker name). Lives in the database because the web process and the worker share no cache."""

    name = models.CharField(max_length=64, unique=True)
    beat_at = models.DateTimeField()
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("任务进程心跳")
        verbose_name_plural = _("任务进程心跳")

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
