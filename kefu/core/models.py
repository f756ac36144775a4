"""Tenants (agencies and their shops), who may act in a shop, and the audit trail."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.choices import Platform, Role


def validate_timezone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(_("未知的时区：%(tz)s"), params={"tz": value}) from exc


class Agency(models.Model):
    """An outsourcing firm (or a brand) that runs customer service for one or more shops."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("代运营公司")
        verbose_name_plural = _("代运营公司")

    def __str__(self) -> str:
        return self.name


class Shop(models.Model):
    """The tenant: one shop on one platform. Every tenant table carries shop_id."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="shops")
    name = models.CharField(_("店铺名"), max_length=100)
    platform = models.CharField(_("平台"), max_length=16, choices=Platform.choices)
    timezone = models.CharField(
        _("时区"), max_length=64, default="Asia/Shanghai", validators=[validate_timezone]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("店铺")
        verbose_name_plural = _("店铺")
        constraints = [
            models.UniqueConstraint(fields=["agency", "platform", "name"], name="shop_unique_name")
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_platform_display()}）"

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class ShopScoped(models.Model):
    """Base of every tenant table: the shop it belongs to, indexed first."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class Membership(ShopScoped):
    """A user's role in a shop. Access to a shop is exactly the set of these rows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("店铺成员")
        verbose_name_plural = _("店铺成员")
        constraints = [
            models.UniqueConstraint(fields=["shop", "user"], name="membership_one_role_per_shop")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.shop_id}: {self.role}"


class AuditEntry(ShopScoped):
    """Who changed what, when, with the old and the new value. Append-only."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    path = models.CharField(max_length=255, blank=True)
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["shop", "object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Audit entries are append-only")
        super().save(*args, **kwargs)
