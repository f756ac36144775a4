"""The vocabulary rules are written in: the facts that fines and points price, and the
consequences an escalation may end in. A fact or consequence not listed here is an error in a
policy file, so a typo never leaves a rule that silently matches nothing.

The Chinese labels are what the policy page and payslips show."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

FACTS: dict[str, str] = {
    # attendance 考勤
    "late": "迟到",
    "late_or_early": "迟到或早退",
    "early_leave": "早退",
    "absence": "缺勤",
    "absenteeism": "旷工",
    "not_online": "当班未在线且未请假",
    "not_logged_in": "值班未登录在线客服",
    "left_post_unannounced": "离岗超过5分钟未告知",
    "needless_overtime": "无故加班、不按时下班",
    "meeting_missed": "未请假缺席部门例会",
    "full_attendance": "全勤",
    # handover and reports 交接与报告
    "handover_missing": "交接本未填写",
    "handover_unacknowledged": "交接内容未确认阅读",
    "weekly_summary_missing": "周工作总结未交",
    "weekly_summary_short": "周工作总结字数不足",
    "daily_record_missing": "每日记录未交",
    # response 响应
    "slow_round": "应答超时",
    "unanswered_30min": "顾客半小时未回复",
    "unanswered_2h": "顾客2小时未回复",
    "night_first_response_slow": "晚班首次响应超时",
    "idle_online": "空挂旺旺",
    "slow_reply_complaint": "未及时应答被投诉",
    "appeal_slow_or_unfriendly": "未及时或不耐心回复顾客申诉",
    # complaints and reviews 投诉与评价
    "complaint_valid": "因服务原因被有效投诉",
    "complaint_attitude": "因服务态度被投诉",
    "quarrel_with_customer": "与客户发生口角或对骂",
    "bad_review_by_agent": "因客服原因导致中差评",
    "bad_review_unchanged": "客服原因中差评最终未改为好评",
    "zero_complaints": "当月有效投诉为零",
    # after-sales 售后 (kefu.aftersales: a resolved case whose party at fault is the agent)
    "return_poor_service": "因服务不周导致退货",
    "aftersales_staff_fault": "售后问题责任在客服",
    # conduct 纪律
    "non_work_activity": "上班做与工作无关的事",
    "off_topic_talk": "上班谈论与工作无关的事",
    "films_games_private_accounts": "上班看电影、玩游戏或挂私人账号",
    "no_mandarin": "工作时间未使用普通话",
    "messy_desk": "办公桌面凌乱",
    "cleaning_not_done": "值日卫生未完成",
    "loud_noise": "在办公区大声喧哗",
    "smoking_or_eating": "在办公区抽烟或就餐",
    "secrecy_breach": "泄露公司秘密",
    "outsider_in_office": "带非公司人员进入工作区",
    "equipment_taken": "私自拆卸公司设备带出",
    "lights_left_on": "下班未关窗、空调、灯",
    # work quality 工作质量
    "work_not_done": "未完成当日工作",
    "work_item_skipped": "私自跳过未处理的问题",
    "faked_workload": "虚报工作量",
    "incident_unreported": "异常情况知情不报",
    "incident_late_11_30": "突发事件处理超时11~30分钟",
    "incident_late_over_30": "突发事件处理超时30分钟以上",
    "data_entry_error": "信息录入错误",
    "spot_check_error": "主管抽查发现错误",
    "exam_below_60": "客服考试低于60分",
    "quality_hit_confirmed": "话术质检违规（主管已确认）",
    # bonuses 加分
    "best_workload_and_quality": "当月工作量与质量第一且无违规",
    "exam_full_marks": "客服考试满分",
    "covered_shift_on_call": "人手不足时随叫随到顶班",
    "extra_work_done": "完成上级交办的额外工作",
    "suggestion_adopted": "合理化建议经试行效果理想",
}

Consequence = Literal[
    "verbal_warning",
    "warning",
    "severe_punishment",
    "withhold_month_pay",
    "resignation",
    "dismissal",
]
"""What an escalation ends in. Kefu never acts on these by itself: each is a recommendation
shown to the supervisor (and, for withheld pay, to payroll for confirmation)."""

CONSEQUENCES: dict[str, str] = {
    "verbal_warning": "口头警告",
    "warning": "警告处分",
    "severe_punishment": "严厉处罚",
    "withhold_month_pay": "扣发当月工资",
    "resignation": "视为自动离职",
    "dismissal": "辞退",
}


def _check_fact(value: Any) -> Any:
    if isinstance(value, str) and value not in FACTS:
        raise PydanticCustomError(
            "unknown_fact",
            "unknown fact {value!r}; the known facts are listed in docs/policy.md",
            {"value": value},
        )
    return value


Fact = Annotated[str, BeforeValidator(_check_fact)]
"""A fact key from the vocabulary (`FACTS`), e.g. `handover_missing`."""
