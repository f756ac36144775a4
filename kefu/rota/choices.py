"""Choices of the roster app: roster states, request kinds and states."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RosterStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class RequestKind(models.TextChoices):
    LEAVE = "leave", _("请假")
    SWAP = "swap", _("调班")
    COVER = "cover", _("替班")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("已拒绝")
