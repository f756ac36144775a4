"""Shared pieces of the Chinese rendering: the sentence type, number and time formats, and the
labels of keys that have no label in the policy itself. Pure: no Django."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from kefu.policy.schema import PointRange, clock_minutes


@dataclass(frozen=True)
class Sentence:
    text: str
    clause: str


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    sentences: list[Sentence] = field(default_factory=list)


def yuan(amount: Decimal) -> str:
    """¥30, ¥12.5 (no trailing zeros: these are rule amounts, not payslip lines)."""
    return f"¥{plain(amount)}"


def plain(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def percent(rate: Decimal) -> str:
    return f"{plain(rate * 100)}%"


def points(value: PointRange) -> str:
    if value.fixed:
        return f"{plain(value.low)}分"
    return f"{plain(value.low)}-{plain(value.high)}分"


def span(start: str, end: str) -> str:
    """08:00-17:30, or 16:00-次日01:00 when the end is past midnight."""
    if clock_minutes(end) <= clock_minutes(start):
        return f"{start}-次日{end}"
    return f"{start}-{end}"


def join(items: list[str]) -> str:
    return "、".join(items)


WEEKDAY = {
    "mon": "周一",
    "tue": "周二",
    "wed": "周三",
    "thu": "周四",
    "fri": "周五",
    "sat": "周六",
    "sun": "周日",
}

PERIOD = {"day": "每天", "week": "每周", "month": "每月"}

SEVERITY = {"light": "轻度", "medium": "中度", "severe": "重度", "bonus": "加分"}

METRIC = {
    "sales": "销售额最高",
    "conversion": "转化率最高",
    "overall_score": "综合评分最高",
    "service_language": "服务用语最好",
    "evaluation_score": "考核分第一",
}

SCALE_PARTS = {
    "team_task": "协助小组完成本月任务",
    "handover_and_work": "工作交接及完成情况",
    "return_visit": "客户回访满意度",
    "competence": "业务素质和能力",
}

FULL_ATTENDANCE = {
    "no_late": "迟到",
    "no_early_leave": "早退",
    "no_absence": "缺勤",
    "no_absenteeism": "旷工",
    "no_leave": "请假",
}

DAILY_ITEMS = {
    "buyers_received": "接待买家数",
    "buyer_ids": "买家旺旺ID",
    "buyers_converted": "成交人数",
    "converted_amount": "成交金额",
    "product_problems": "产品问题",
    "logistics_problems": "物流问题",
    "service_problems": "服务问题",
    "shipments_by_category": "当日发货品类与数量",
    "returns_by_category": "退换货品类与数量",
}

MEETING_MATERIAL = {
    "goals": "目标完成情况",
    "problems": "遇到的问题",
    "after_sales_cases": "售后问题及责任方",
    "review_follow_ups": "中差评处理结果",
    "last_week": "上周工作总结",
}

PLATFORM_SCORE = {
    "taobao_3min": "淘宝3分钟人工响应率",
    "jd_30s": "京东咚咚30秒应答率",
    "pdd_valid_reply": "拼多多有效回复率",
    "douyin_3min": "抖音飞鸽3分钟人工回复率",
}

ATTRIBUTION_MODE = {
    "order": "下单判定（下单前最后接待的客服）",
    "payment": "付款判定（付款前最后接待的客服）",
    "order_first": "下单优先判定（先看下单前，再看付款前最后接待的客服）",
}

DEDUCTION = {
    "return_buyer_whim": "非质量问题因顾客个人原因退货",
    "return_poor_service": "因服务不周导致退货",
    "bad_review_by_agent": "因客服原因导致中差评",
}

FLAG = {"red": "红旗", "yellow": "黄旗", "green": "绿旗", "blue": "蓝旗", "purple": "紫旗"}

CONTACT = {"chat": "旺旺留言（附修改链接）", "sms": "短信", "phone": "电话"}

COMPLAINT_STEP = {
    "record": "登记",
    "identify": "确认投诉事件",
    "investigate": "调查原因",
    "follow_up": "跟进协调",
    "confirm": "确认处理结果",
    "archive": "归档",
    "analyse": "总结分析",
    "return_visit": "回访",
}

CLOCK_IN = {
    "punch_machine": "打卡机",
    "sign_in_book": "考勤本登记",
    "platform_login": "子账号登录记录",
}

SIGN_IN_AS = {"swap_day": "调休", "late": "迟到", "absence": "缺勤", "nothing": "不作处理"}

GAP = {"supervisor": "客服主管", "agent": "当班客服"}


def note_example(template: str) -> str:
    """The note as people write it: {content}_{agent} → “内容_客服名”."""
    return "“" + template.replace("{content}", "内容").replace("{agent}", "客服名") + "”"
