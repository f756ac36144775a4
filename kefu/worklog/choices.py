"""Choices of the worklog app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
