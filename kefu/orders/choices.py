from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    """The platforms' states mapped to one vocabulary (the platform's own text is kept too)."""

    WAIT_PAY = "wait_pay", _("等待买家付款")
    PAID = "paid", _("已付款待发货")
    SHIPPED = "shipped", _("已发货")
    FINISHED = "finished", _("交易成功")
    CLOSED = "closed", _("交易关闭")
    OTHER = "other", _("其他")


class FlagColour(models.TextChoices):
    NONE = "", _("无")
    RED = "red", _("红旗")
    YELLOW = "yellow", _("黄旗")
    GREEN = "green", _("绿旗")
    BLUE = "blue", _("蓝旗")
    PURPLE = "purple", _("紫旗")


class FlagKind(models.TextChoices):
    NONE = "", _("无")
    SPECIAL_REQUEST = "special_request", _("特殊要求")
    COMMISSION = "commission", _("提成")


class AfterSaleKind(models.TextChoices):
    REFUND = "refund", _("退款/售后")
    COMPENSATION = "compensation", _("打款/赔付")


class ReminderOutcome(models.TextChoices):
    """What became of an order on an unpaid-reminder list, read from later imports."""

    PENDING = "pending", _("待付款")
    PAID = "paid", _("已付款")
    CLOSED = "closed", _("已关闭")
