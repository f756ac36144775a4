"""The policy in readable Chinese: one sentence per rule, each with the clause it comes from,
grouped by area as on the policy page. Pure: no Django, so it is tested on its own.

The sentences are Chinese only: they render the shop's own regime, which is written in Chinese
(the page's headings and labels go through gettext)."""

from __future__ import annotations

from kefu.policy.describe_money import awards_section, fines_section, pay_section, points_section
from kefu.policy.describe_text import (
    ATTRIBUTION_MODE,
    CLOCK_IN,
    COMPLAINT_STEP,
    CONTACT,
    DAILY_ITEMS,
    DEDUCTION,
    FLAG,
    FULL_ATTENDANCE,
    GAP,
    MEETING_MATERIAL,
    PLATFORM_SCORE,
    SIGN_IN_AS,
    WEEKDAY,
    Section,
    Sentence,
    join,
    note_example,
    percent,
    span,
)
from kefu.policy.schema import Policy
from kefu.policy.schema.schedule import (
    BalanceHours,
    FairWeekends,
    MaxConsecutiveDays,
    NoShiftAfter,
    Preferences,
    RosterRule,
    RotationCycle,
    SolverLimit,
    Stability,
    WholeDayOff,
)

__all__ = ["Section", "Sentence", "describe_policy"]


def describe_policy(policy: Policy) -> list[Section]:
    return [
        schedule_section(policy),
        attendance_section(policy),
        reports_section(policy),
        response_section(policy),
        orders_section(policy),
        after_sales_section(policy),
        reviews_section(policy),
        complaints_section(policy),
        quality_section(policy),
        fines_section(policy),
        points_section(policy),
        awards_section(policy),
        pay_section(policy),
    ]


def _roster_rule(rule: RosterRule, labels: dict[str, str]) -> str:
    match rule:
        case NoShiftAfter():
            after = join([labels.get(n, n) for n in rule.next_day_forbidden])
            return f"{labels.get(rule.shift, rule.shift)}后的第二天不上{after}"
        case WholeDayOff():
            return f"每人每月至少{rule.min_per_month}个整天休息（连续休一个白班和一个晚班）"
        case MaxConsecutiveDays():
            return f"最多连续工作{rule.days}天"
        case BalanceHours():
            return f"每人当月总工时尽量相近（权重{rule.weight}）"
        case Stability():
            return f"排班表保持稳定，不频繁更换（权重{rule.weight}）"
        case RotationCycle():
            days = join([WEEKDAY[d] for d in rule.change_days])
            return f"白班、晚班{rule.weeks}周一个循环，{days}为换班节点"
        case Preferences():
            return f"尽量照顾客服的排班意愿（权重{rule.weight}）"
        case FairWeekends():
            what = "周末和节假日" if rule.include_holidays else "周末"
            return f"{what}值班轮流公平分配（权重{rule.weight}）"
        case SolverLimit():
            return f"排班计算最长{rule.seconds}秒"
    raise AssertionError(f"unknown roster rule {rule!r}")  # pragma: no cover


def schedule_section(policy: Policy) -> Section:
    schedule = policy.schedule
    hours = schedule.online_hours
    out = [Sentence(f"客服在线时间：{span(hours.start, hours.end)}", hours.clause)]
    labels = {name: shift.label for name, shift in schedule.shifts.items()}
    for shift in schedule.shifts.values():
        spans = join([span(start, end) for start, end in shift.parts])
        text = f"{shift.label}：{spans}"
        if len(shift.parts) > 1 and any(
            a[1] != b[0] for a, b in zip(shift.parts, shift.parts[1:], strict=False)
        ):
            text += "（分段班）"
        if shift.extends_while_serving:
            text += "，如还有顾客在咨询，下班时间自动延长"
        out.append(Sentence(text, shift.clause))
    rest = schedule.rest
    if rest.work_days_per_week is not None:
        text = f"每周工作{rest.work_days_per_week}天、休息{7 - rest.work_days_per_week}天"
        if rest.work_days_per_week == 6:
            text += "（做六休一）"
    else:
        text = f"每月休息{rest.days_per_month}天，由主管轮流安排"
    if rest.holidays_rotate:
        text += "；节假日实行轮休"
    out.append(Sentence(text, rest.clause))
    out += [Sentence(_roster_rule(rule, labels), rule.clause) for rule in schedule.rules]
    coverage = schedule.coverage
    profiles = []
    for title, needs in (
        ("工作日", coverage.weekday),
        ("周末", coverage.weekend),
        ("节假日", coverage.holiday),
    ):
        profiles.append(title + " " + join([f"{labels.get(n, n)}{c}人" for n, c in needs.items()]))
    text = "每班所需人数：" + "；".join(profiles)
    if coverage.cover_online_hours:
        text += "；在线时间内任何时段都要有客服值守"
    out.append(Sentence(text, coverage.clause))
    req = schedule.requests
    parts: list[str] = []
    if req.leave_needs_approval or req.swap_needs_approval:
        what = join(
            [
                w
                for w, on in (("请假", req.leave_needs_approval), ("调班", req.swap_needs_approval))
                if on
            ]
        )
        parts.append(f"{what}须经主管事先批准")
    if req.notice_days:
        parts.append(f"至少提前{req.notice_days}天申请")
    if req.swap_days_per_month is not None:
        parts.append(f"每月可调休{req.swap_days_per_month}次")
    if req.leave_offsets_swap:
        parts.append("请假一次充抵调休一次")
    if req.extra_leave_counts_as_absence:
        parts.append("超出调休次数的请假按缺勤计")
    if req.cover_named:
        parts.append("请假须协商好补班同事")
    if req.gap_accountable in GAP:
        parts.append(f"出现漏班追究{GAP[req.gap_accountable]}责任")
    out.append(Sentence("；".join(parts) or "请假与调班无特别要求", req.clause))
    return Section("schedule", "排班", out)


def attendance_section(policy: Policy) -> Section:
    att = policy.attendance
    text = f"出勤以{CLOCK_IN[att.clock_in.method]}为准"
    if att.clock_in.pay_by_actual_punches:
        text += "，工资按实际打卡时间与出勤天数核算"
    out = [Sentence(text, att.clock_in.clause)]
    parts = []
    if att.late.grace is not None:
        grace = att.late.grace
        parts.append(f"每月{grace.count_per_month}次{grace.max_minutes}分钟以内的迟到不计")
    if att.late.absence_after_minutes is not None:
        parts.append(f"迟到超过{att.late.absence_after_minutes}分钟按缺勤计")
    if att.late.early_leave_same_as_late:
        parts.append("早退与迟到同等处理")
    out.append(Sentence("；".join(parts) or "迟到按次记录", att.late.clause))
    parts = []
    if att.absenteeism.unapproved_rest:
        parts.append("未经批准自行休息按旷工处理")
    if att.absenteeism.leaving_without_swap:
        parts.append("私自离岗、未做好调班按旷工处理")
    if parts:
        out.append(Sentence("；".join(parts), att.absenteeism.clause))
    if att.forgotten_sign_in is not None:
        out.append(
            Sentence(
                f"忘记登记考勤按{SIGN_IN_AS[att.forgotten_sign_in.counts_as]}记录",
                att.forgotten_sign_in.clause,
            )
        )
    free_of = join([FULL_ATTENDANCE[c] for c in att.full_attendance.requires])
    out.append(Sentence(f"全勤：整月无{free_of}", att.full_attendance.clause))
    return Section("attendance", "考勤", out)


def reports_section(policy: Policy) -> Section:
    handover, weekly, daily = policy.handover, policy.weekly_summary, policy.daily_record
    out = []
    if handover.required_each_shift:
        text = f"每班交接：下班前在{handover.where}写明下一班需跟进的事项"
        if handover.read_first:
            text += "；上班第一件事是查看交接记录和买家留言"
        if handover.leave_key_orders:
            text += "；下班最后一件事是留下重点订单信息"
        out.append(Sentence(text, handover.clause))
    if weekly.required and weekly.due is not None:
        text = f"每{WEEKDAY[weekly.due.weekday]}{weekly.due.time}前"
        text += f"通过{weekly.channel}" if weekly.channel else ""
        text += "提交周工作总结（上周工作及需改进的地方）"
        text += f"，不少于{weekly.min_chars}字" if weekly.min_chars else ""
        out.append(Sentence(text, weekly.clause))
    if weekly.meeting is not None:
        meeting = weekly.meeting
        text = f"每{WEEKDAY[meeting.weekday]}{meeting.time}召开部门例会"
        if meeting.material:
            text += "，每位客服汇报" + join([MEETING_MATERIAL[m] for m in meeting.material])
        out.append(Sentence(text, meeting.clause))
    if daily.required:
        text = "每日记录：" + (join([DAILY_ITEMS[i] for i in daily.items]) or "当天工作")
        if daily.due is not None:
            text += f"；每{WEEKDAY[daily.due.weekday]}{daily.due.time}前提交客服主管"
        if daily.forward_to_operations_same_day:
            text += "，主管整理后当日提交运营部"
        out.append(Sentence(text, daily.clause))
    return Section("reports", "交接与报告", out)


def response_section(policy: Policy) -> Section:
    levels = policy.service_levels
    conduct, response = levels.conduct, levels.response
    parts = ["自动回复算作应答" if conduct.auto_reply_counts else "自动回复不算作应答"]
    for on, text in (
        (conduct.auto_reply_required, "必须设置自动回复"),
        (conduct.no_transfer_mid_conversation, "接待中不得擅自把顾客转给其他客服"),
        (conduct.hang_up_when_away, "离开电脑须挂起旺旺"),
        (conduct.invisible_forbidden, "禁止旺旺隐身"),
    ):
        if on:
            parts.append(text)
    out = [Sentence("；".join(parts), conduct.clause)]
    text = f"应答超过{response.slow_round_seconds}秒算超时"
    if response.unanswered_minutes:
        waits = join([f"{m}分钟" for m in response.unanswered_minutes])
        text += f"；顾客等待{waits}未回复分别记录"
    if response.idle_online_minutes:
        text += f"；空挂{response.idle_online_minutes}分钟以上记录"
    text += f"；接待超过{response.long_conversation_minutes}分钟算长接待"
    out.append(Sentence(text, response.clause))
    if levels.night_first_response is not None:
        night = levels.night_first_response
        out.append(Sentence(f"晚班首次响应不超过{night.seconds}秒", night.clause))
    for score in levels.platform_scores:
        text = (
            f"{PLATFORM_SCORE[score.kind]}：统计{span(*score.window)}开始的会话，"
            f"近{score.days}天目标{percent(score.target)}"
        )
        if score.min_rounds:
            text += f"，不足{score.min_rounds}轮免考核"
        out.append(Sentence(text, score.clause))
    return Section("response", "响应", out)


def orders_section(policy: Policy) -> Section:
    att, orders = policy.attribution, policy.orders
    text = f"业绩归属：{ATTRIBUTION_MODE[att.mode]}，询单{att.inquiry_window_days}天内下单有效"
    if att.flag_owner_wins:
        text += "；多位客服接待同一买家时归插旗者"
    if att.chase_after_unpaid_hours:
        text += (
            f"；拍下{att.chase_after_unpaid_hours}小时未付款且原客服不在线时，"
            "其他客服可追单并计入追单客服"
        )
    if att.deductions:
        text += "；" + join([DEDUCTION[d] for d in att.deductions]) + "扣除该单业绩"
    out = [Sentence(text, att.clause)]
    paid = orders.paid
    parts = ["已付款订单先查看买家留言和备注"] if paid.read_buyer_notes else []
    if paid.call_if_unclear:
        parts.append("信息不全时电话回访买家")
    if paid.verify_address:
        parts.append("下单后与买家核对收货地址")
    if parts:
        out.append(Sentence("；".join(parts), paid.clause))
    if orders.unpaid_reminder is not None:
        rem = orders.unpaid_reminder
        text = f"每天{rem.at}"
        text += "由一名值班客服" if rem.one_agent else ""
        text += "催付未付款订单"
        text += f"（拍下满{rem.min_age_hours}小时）" if rem.min_age_hours else ""
        text += f"，催付后插{FLAG[rem.mark_flag]}，避免重复打扰买家" if rem.mark_flag else ""
        out.append(Sentence(text, rem.clause))
    if orders.flags.special_request is not None:
        flag = orders.flags.special_request
        out.append(
            Sentence(
                f"买家有特殊要求：插{FLAG[flag.colour]}，备注{note_example(flag.note)}", flag.clause
            )
        )
    if orders.flags.commission is not None:
        commission = orders.flags.commission
        text = f"每笔成交插{FLAG[commission.colour]}并备注{note_example(commission.note)}以计算提成"
        text += "，未备注不计提成" if commission.missing_loses_commission else ""
        out.append(Sentence(text, commission.clause))
    if orders.low_stock is not None:
        out.append(
            Sentence(
                f"上架宝贝库存低于{orders.low_stock.below}件时立即查库存并通知同事",
                orders.low_stock.clause,
            )
        )
    if orders.waybills is not None:
        bills = orders.waybills
        text = f"面单至少提前{bills.stock_days_ahead}天补充"
        text += "；打单前检查客服备注和收货地址" if bills.check_before_print else ""
        text += (
            f"；每日{bills.print_stop_at}停止打单，快递员未走顺延" if bills.print_stop_at else ""
        )
        out.append(Sentence(text, bills.clause))
    return Section("orders", "订单", out)


def after_sales_section(policy: Policy) -> Section:
    after = policy.after_sales
    out = [
        Sentence(
            f"{case.label}：{' → '.join(case.steps)}"
            f"（{case.first_action_hours}小时内首次处理，{case.resolve_days}天内结案）",
            case.clause,
        )
        for case in after.cases
    ]
    if after.payments is not None:
        pay = after.payments
        text = "售后产生的任何资金出入，不论金额大小，都要填写清单、签字交财务"
        text += f"；每笔返款备注{note_example(pay.refund_note)}"
        out.append(Sentence(text, pay.clause))
    return Section("after_sales", "售后", out)


def reviews_section(policy: Policy) -> Section:
    reviews = policy.reviews
    text = "每天检查中差评并登记" if reviews.check_daily else "中差评登记跟进"
    text += "；严重的优先处理；联系顺序：" + " → ".join(CONTACT[c] for c in reviews.contact_order)
    text += f"；{reviews.escalate_to_phone_after_hours}小时内无回应则电话沟通"
    if reviews.call_windows:
        text += "（" + join([span(a, b) for a, b in reviews.call_windows]) + "）"
    out = [Sentence(text, reviews.clause)]
    labels = {"severe": "严重", "medium": "一般", "light": "轻微"}
    out += [
        Sentence(f"评价程度“{labels[rule.level]}”：{rule.when}", reviews.clause)
        for rule in reviews.severity_rules
    ]
    return Section("reviews", "评价", out)


def complaints_section(policy: Policy) -> Section:
    complaints = policy.complaints
    text = "投诉登记入《投诉处理登记表》" if complaints.keep_register else "投诉逐件处理"
    if complaints.steps:
        text += "：" + " → ".join(COMPLAINT_STEP[s] for s in complaints.steps)
    if complaints.evaluation_form:
        text += "；回访后形成客户评价单存档"
    return Section("complaints", "投诉", [Sentence(text, complaints.clause)])


def quality_section(policy: Policy) -> Section:
    quality = policy.quality
    out = [
        Sentence(
            f"礼貌用语：{join(quality.required_courtesy.phrases)}", quality.required_courtesy.clause
        )
    ]
    if quality.soft_endings is not None:
        out.append(
            Sentence(
                f"语句结尾加上{join(quality.soft_endings.phrases)}，拒绝要婉转",
                quality.soft_endings.clause,
            )
        )
    if quality.hedges is not None:
        out.append(
            Sentence(
                f"不能肯定的承诺要留余地：{join(quality.hedges.phrases)}", quality.hedges.clause
            )
        )
    if quality.avoid is not None:
        out.append(
            Sentence(f"避免使用负面语言：{join(quality.avoid.phrases)}", quality.avoid.clause)
        )
    if quality.banned is not None:
        banned = quality.banned
        text = "严禁使用：" + join([f"“{p}”" for p in banned.phrases])
        for phrase, instead in banned.replacements.items():
            text += f"；不说“{phrase}”，要说“{instead}”"
        out.append(Sentence(text, banned.clause))
    if quality.honorifics is not None and quality.honorifics.required:
        out.append(
            Sentence(
                f"回复必须使用敬语：{join(quality.honorifics.phrases)}", quality.honorifics.clause
            )
        )
    if quality.single_character_replies is not None and quality.single_character_replies.forbidden:
        out.append(Sentence("禁止不回复或单字回复", quality.single_character_replies.clause))
    if quality.quick_replies is not None:
        quick = quality.quick_replies
        text = "每周例会后更新快捷短语" if quick.update_after_meeting else "维护快捷短语"
        if quick.competitor_reviews_min:
            text += (
                f"；新品上架前整理不少于{quick.competitor_reviews_min}家同行的评价，建立快捷回复"
            )
        out.append(Sentence(text, quick.clause))
    return Section("quality", "话术", out)
