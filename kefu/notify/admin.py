"""Django admin for notices, robot channels, deliveries and the worker heartbeat.

The admin is the raw-data exception to tenancy (see kefu.core.access); RobotChannel.clean() still
checks webhook hosts there, since the model form calls it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kefu.notify.choices import NoticeKind
from kefu.notify.models import Delivery, Notice, RobotChannel, WorkerHeartbeat


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "shop", "recipient", "kind", "title", "read_at"]
    list_filter = ["kind", "shop"]
    search_fields = ["title"]
    raw_id_fields = ["recipient"]
    date_hierarchy = "created_at"


class RobotChannelForm(forms.ModelForm):
    relay_kinds = forms.MultipleChoiceField(
        label=_("转发的通知类型"),
        choices=NoticeKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    webhook_url = forms.URLField(label=_("Webhook 地址"), max_length=500, assume_scheme="https")
    # Shown masked; left blank on edit keeps the stored secret (render_value would print it).
    secret = forms.CharField(
        label=_("加签密钥"),
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text=_("钉钉、飞书机器人的加签密钥；企业微信留空。修改时留空表示不变。"),
    )

    class Meta:
        model = RobotChannel
        fields = ["shop", "kind", "name", "webhook_url", "secret", "relay_kinds", "active"]

    def clean_secret(self) -> str:
        secret: str = self.cleaned_data.get("secret", "")
        if not secret and self.instance.pk:
            return self.instance.secret
        return secret


@admin.register(RobotChannel)
class RobotChannelAdmin(admin.ModelAdmin):
    form = RobotChannelForm
    list_display = ["name", "shop", "kind", "active", "relay_kinds"]
    list_filter = ["kind", "active", "shop"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "shop", "channel", "notice", "status", "attempts", "sent_at"]
    list_filter = ["status", "shop"]
    readonly_fields = [
        "shop",
        "notice",
        "channel",
        "status",
        "attempts",
        "last_error",
        "sent_at",
        "created_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "beat_at", "host", "pid"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
