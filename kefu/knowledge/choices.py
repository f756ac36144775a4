"""Choices of the knowledge app: exam question kinds, exam and attempt states."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选题")
    MULTIPLE = "multiple", _("多选题")
    SHORT = "short", _("简答题（人工评分）")


class ExamStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class AttemptStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待评分")
    MARKED = "marked", _("已评分")
