from django.db import models
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    TAOBAO = "taobao", _("淘宝")
    TMALL = "tmall", _("天猫")
    JD = "jd", _("京东")
    PDD = "pdd", _("拼多多")
    DOUYIN = "douyin", _("抖音")
    KUAISHOU = "kuaishou", _("快手")


class Role(models.TextChoices):
    """A user's role in one shop; what each may do is in kefu.core.access."""

    ADMIN = "admin", _("管理员")
    SUPERVISOR = "supervisor", _("客服主管")
    AGENT = "agent", _("客服")
    FINANCE = "finance", _("财务")
