from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseType(models.TextChoices):
    """The six case types of RULEBOOK §7 (S4.3 §4.1, S4.4 §4.1); labels come from the policy."""

    NOT_AS_EXPECTED = "not_as_expected", _("与想象不符")
    SERVICE_UNHAPPY = "service_unhappy", _("服务不满意")
    MISSING_ITEMS = "missing_items", _("少发货、缺货")
    LATE_DELIVERY = "late_delivery", _("到货延迟")
    DAMAGED_IN_TRANSIT = "damaged_in_transit", _("运输破损")
    QUALITY_PROBLEM = "quality_problem", _("质量问题")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    IN_PROGRESS = "in_progress", _("处理中")
    RESOLVED = "resolved", _("已解决")


class Party(models.TextChoices):
    """The party at fault 责任方."""

    STAFF = "staff", _("客服")
    WAREHOUSE = "warehouse", _("仓库/发货")
    PRODUCT = "product", _("产品/供应商")
    COURIER = "courier", _("快递")
    BUYER = "buyer", _("买家")
    NONE = "none", _("无责任方")


class Remedy(models.TextChoices):
    """How a case ends (the policy's `remedies` vocabulary)."""

    APOLOGY = "apology", _("致歉")
    EXPLANATION = "explanation", _("解释说明")
    COMPENSATION = "compensation", _("现金补偿")
    EXCHANGE = "exchange", _("换货")
    RETURN = "return", _("退货")
    RESHIP = "reship", _("补发")
    COUPON = "coupon", _("优惠券")


class EventKind(models.TextChoices):
    OPENED = "opened", _("登记")
    STEP = "step", _("完成步骤")
    CHAT_READ = "chat_read", _("查看聊天记录")
    PHOTO = "photo", _("上传照片")
    FAULT = "fault", _("判定责任方")
    RESOLVED = "resolved", _("解决")
    NOTE = "note", _("备注")
    OVERDUE = "overdue", _("超期提醒")


class Direction(models.TextChoices):
    """Money out to the buyer (compensation, refund of postage) or in from them."""

    OUT = "out", _("支出")
    IN = "in", _("收入")
