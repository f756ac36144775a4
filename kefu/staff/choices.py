from django.db import models
from django.utils.translation import gettext_lazy as _


class AgentStatus(models.TextChoices):
    PROBATION = "probation", _("试用期")
    ACTIVE = "active", _("在职")
    ON_LEAVE = "on_leave", _("休假")
    LEFT = "left", _("离职")


class Duty(models.TextChoices):
    """What an agent does in a shop (RULEBOOK §1)."""

    PRE_SALES = "pre_sales", _("售前")
    IN_SALES = "in_sales", _("售中")
    AFTER_SALES = "after_sales", _("售后")
    TRACKING = "tracking", _("查件")
    COMPLAINTS = "complaints", _("投诉处理")
    WAYBILL = "waybill", _("制单")
