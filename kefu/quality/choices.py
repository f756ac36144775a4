from django.db import models
from django.utils.translation import gettext_lazy as _


class HitStatus(models.TextChoices):
    OPEN = "open", _("待审核")
    CONFIRMED = "confirmed", _("已确认")
    DISMISSED = "dismissed", _("已驳回")


class HitSeverity(models.TextChoices):
    VIOLATION = "violation", _("违规")
    REVIEW = "review", _("待复核")
    ADVICE = "advice", _("建议")


RULE_LABELS: dict[str, str] = {
    "banned": "禁用语",
    "restock_refusal": "拒绝补货话术",
    "avoid": "负面用语",
    "honorifics_missing": "未使用敬语",
    "single_character": "单字回复",
    "courtesy_missing": "未使用礼貌用语",
    "soft_endings_missing": "未使用柔和语气词",
}
"""The Chinese name of each scanner rule (kefu.quality.scan.model.QualityRule)."""
