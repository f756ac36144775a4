"""Policy versions: each shop's policy history, effective-dated. A version is never edited:
a change is a new version (kefu.policy.services.policy_adopt), with audit entries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.fields import TextJSONField
from kefu.core.models import ShopScoped


class PolicyVersion(ShopScoped):
    number = models.PositiveIntegerField(_("版本号"))
    effective_from = models.DateField(_("生效日期"))
    document = TextJSONField(_("制度内容"), help_text=_("经校验的制度文档（JSON）"))
    preset = models.CharField(_("来源模板"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("制度版本")
        verbose_name_plural = _("制度版本")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "number"], name="policyversion_unique_number")
        ]
        # policy_in_force reads by (shop, effective_from) on every engine run.
        indexes = [models.Index(fields=["shop", "effective_from", "number"])]

    def __str__(self) -> str:
        return f"{self.shop_id} v{self.number} ({self.effective_from})"
