"""Chinese sentences for fines, points, awards, levels and pay (see kefu.policy.describe).
Pure: no Django."""

from __future__ import annotations

from kefu.policy.describe_text import (
    METRIC,
    PERIOD,
    SCALE_PARTS,
    SEVERITY,
    Section,
    Sentence,
    join,
    percent,
    plain,
    points,
    yuan,
)
from kefu.policy.schema import (
    CONSEQUENCES,
    FACTS,
    ConsecutiveFirst,
    DoublingFine,
    EachFine,
    Fine,
    FullAttendanceAward,
    ListFine,
    Policy,
    ThresholdFine,
    Top,
    TopByTeamSize,
)
from kefu.policy.schema.points import CatalogueItem


def _then(consequences: list[str]) -> str:
    return "、".join(CONSEQUENCES[c] for c in consequences)


def fine_sentence(rule: Fine) -> str:
    label = FACTS[rule.fact]
    if rule.also:
        label += f"（{'、'.join(FACTS[f] for f in rule.also)}同样计次）"
    period = PERIOD[rule.period]
    match rule:
        case EachFine():
            text = f"{label}：每次罚款{yuan(rule.amount)}"
        case ListFine():
            text = f"{label}：第1次罚款{yuan(rule.amounts[0])}"
            text += "".join(
                f"，第{i}次{yuan(amount)}" for i, amount in enumerate(rule.amounts[1:], start=2)
            )
            if rule.then:
                text += f"，之后{_then(list(rule.then))}"
        case DoublingFine():
            text = f"{label}：第1次罚款{yuan(rule.first)}"
            if rule.limit is None:
                text += "，之后每次翻倍"
            else:
                text += "".join(
                    f"，第{i}次{yuan(rule.first * 2 ** (i - 1))}" for i in range(2, rule.limit + 1)
                )
                text += "（逐次翻倍）"
                if rule.then:
                    text += f"，之后{_then(list(rule.then))}"
        case ThresholdFine():
            steps = [f"超过{s.over}次罚款{yuan(s.amount)}" for s in rule.steps]
            text = f"{label}：{period}" + "，".join(steps)
    if rule.grace:
        text += f"（{period}前{rule.grace}次不罚）"
    if rule.period != "month" and not isinstance(rule, ThresholdFine):
        text += f"（按{period[1:]}计）"
    return text


def fines_section(policy: Policy) -> Section:
    out = [Sentence(fine_sentence(rule), rule.clause) for rule in policy.fines.rules]
    fund = policy.fines.fund
    if fund is not None and fund.all_fines_to_department_fund:
        text = "所有罚款存入部门基金"
        text += "，透明操作，作为部门活动经费" if fund.spent_openly else ""
        out.append(Sentence(text, fund.clause))
    return Section("fines", "罚款", out)


def _steps_text(item: CatalogueItem) -> str:
    return "，".join(f"达到{s.over + 1}次扣{points(s.points)}" for s in item.steps)


def catalogue_sentence(item: CatalogueItem) -> str:
    label = FACTS[item.item]
    verb = "加" if item.severity == "bonus" else "扣"
    parts = []
    if item.points is not None:
        parts.append(f"{verb}{points(item.points)}/次")
    if item.steps:
        parts.append(f"{PERIOD[item.period]}{_steps_text(item)}".replace("扣", verb))
    text = f"{label}：" + "；".join(parts) + f"（{SEVERITY[item.severity]}）"
    if item.compensate:
        text += "，并照价赔偿"
    return text


def points_section(policy: Policy) -> Section:
    pts = policy.points
    scale = pts.scale
    if scale.kind == "hundred":
        shares = join([f"{SCALE_PARTS.get(k, k)}{plain(v)}分" for k, v in scale.parts.items()])
        text = f"每月综合考评满分{plain(scale.start)}分：{shares}"
    else:
        text = f"每人每月基础分{plain(scale.start)}分，按下列标准扣分"
    out = [Sentence(text, scale.clause)]
    if pts.thresholds is not None:
        th = pts.thresholds
        parts: list[str] = []
        if th.warning_at_or_below is not None:
            parts.append(f"当月积分≤{plain(th.warning_at_or_below)}分口头警告")
        if th.punishment_at_or_below is not None:
            parts.append(f"≤{plain(th.punishment_at_or_below)}分予以处罚")
        out.append(Sentence("，".join(parts), th.clause))
    if pts.below is not None:
        out.append(
            Sentence(
                f"考核分不达{plain(pts.below.score)}分扣{yuan(pts.below.fine)}/月", pts.below.clause
            )
        )
    if pts.consecutive_low is not None:
        low = pts.consecutive_low
        out.append(
            Sentence(
                f"连续{low.months}个月≤{plain(low.at_or_below)}分：{CONSEQUENCES[low.recommend]}",
                low.clause,
            )
        )
    out += [Sentence(catalogue_sentence(item), item.clause) for item in pts.catalogue]
    for rule in pts.composite:
        joiner = "或" if rule.any else "且"
        conditions = joiner.join(f"{SEVERITY[s]}违规达到{n}条" for s, n in rule.when.items())
        out.append(
            Sentence(f"{PERIOD[rule.period]}{conditions}：追加扣{points(rule.points)}", rule.clause)
        )
    for consequence in pts.consequences:
        what = (
            f"连续{consequence.count}个月考评不及格"
            if consequence.when == "failing_months_in_row"
            else f"累计{consequence.count}次警告处分"
        )
        out.append(
            Sentence(f"{what}：建议{CONSEQUENCES[consequence.recommend]}", consequence.clause)
        )
    return Section("points", "积分", out)


def awards_section(policy: Policy) -> Section:
    out = []
    for award in policy.awards.items:
        match award:
            case TopByTeamSize():
                tiers = []
                for tier in award.tiers:
                    size = (
                        f"{tier.min_size}人以上"
                        if tier.max_size is None
                        else f"{tier.min_size}-{tier.max_size}人"
                    )
                    amounts = join([yuan(a) for a in tier.amounts])
                    head = f"前{len(tier.amounts)}名" if len(tier.amounts) > 1 else "第一名"
                    tiers.append(f"{size}{head}{amounts}")
                text = f"每月{METRIC[award.metric]}奖（按团队人数）：" + "；".join(tiers)
            case Top():
                amounts = join([yuan(a) for a in award.amounts])
                text = f"每月{METRIC[award.metric]}的客服奖励{amounts}"
            case FullAttendanceAward():
                text = f"全勤奖{yuan(award.amount)}"
            case ConsecutiveFirst():
                steps = "，".join(f"连续{s.months}个月{yuan(s.amount)}" for s in award.ladder)
                text = f"{METRIC[award.metric]}：{steps}"
                text += "，依此类推" if award.continues else ""
        out.append(Sentence(text, award.clause))
    if policy.awards.stacking is not None:
        stacking = policy.awards.stacking
        text = "同时获得多个奖项可叠加" if stacking.stackable else "奖项不叠加，取最高一项"
        out.append(Sentence(text, stacking.clause))
    weights = policy.awards.overall_score
    if weights is not None:
        shares = [
            f"转化率{percent(weights.conversion)}",
            f"付款率{percent(weights.payment_rate)}",
            f"响应速度{percent(weights.response_speed)}",
            f"服务用语{percent(weights.service_language)}",
        ]
        text = "综合评分权重：" + "、".join(shares)
        out.append(Sentence(text, weights.clause))
    return Section("awards", "奖励", out)


def _tenure(months: int) -> str:
    return "入职起" if months == 0 else f"满{months}个月"


def pay_section(policy: Policy) -> Section:
    levels, pay = policy.levels, policy.pay
    ladder = join([f"{step.label}（{_tenure(step.min_tenure_months)}）" for step in levels.ladder])
    text = f"客服级别：{ladder}；试用期{levels.probation_months}个月"
    out = [Sentence(text, levels.clause)]
    labels = {step.key: step.label for step in levels.ladder}
    if pay.base is not None:
        bases = join([f"{labels.get(k, k)}{yuan(v)}" for k, v in pay.base.by_level.items()])
        out.append(Sentence(f"底薪：{bases}", pay.base.clause))
    if pay.guaranteed_minimum is not None:
        tiers = join(
            [
                f"{t.label}{yuan(t.amount)}（{join([labels.get(k, k) for k in t.levels])}）"
                for t in pay.guaranteed_minimum.tiers
            ]
        )
        out.append(Sentence(f"月保底：{tiers}", pay.guaranteed_minimum.clause))
    if pay.probation is not None:
        text = f"试用期工资{yuan(pay.probation.pay)}/月"
        text += "，无奖金" if not pay.probation.bonus else ""
        out.append(Sentence(text, pay.probation.clause))
    if pay.commission is not None:
        commission = pay.commission
        basis = "个人销售额" if commission.basis == "personal_sales" else "部门销售额"
        if commission.flat_rate is not None:
            text = f"提成：{basis}的{percent(commission.flat_rate)}"
        else:
            bands, low = [], None
            for tier in commission.tiers or []:
                if tier.up_to is None:
                    bands.append(
                        f"超过{yuan(low) if low is not None else '¥0'}的部分{percent(tier.rate)}"
                    )
                elif low is None:
                    bands.append(f"{yuan(tier.up_to)}以内{percent(tier.rate)}")
                else:
                    bands.append(f"{yuan(low)}至{yuan(tier.up_to)}的部分{percent(tier.rate)}")
                low = tier.up_to if tier.up_to is not None else low
            text = f"提成（{basis}，超额累进）：" + "，".join(bands)
        out.append(Sentence(text, commission.clause))
    if pay.bonus_pool is not None:
        out.append(
            Sentence(
                "个人奖金 = 部门提成总额 ÷ 全员考评总分 × 个人考评分（含加减分）",
                pay.bonus_pool.clause,
            )
        )
    if pay.allowances is not None:
        allow, parts = pay.allowances, []
        if allow.team_score_share_of_base is not None:
            parts.append(f"团队评分奖金为底薪的{percent(allow.team_score_share_of_base)}")
        if allow.full_attendance is not None:
            parts.append(f"满勤奖{yuan(allow.full_attendance)}")
        if allow.living is not None:
            parts.append(f"生活补助{yuan(allow.living)}")
        out.append(Sentence("奖金：" + "，".join(parts), allow.clause))
    modes = {"half_up": "四舍五入", "half_even": "银行家舍入", "down": "舍去"}
    out.append(
        Sentence(f"金额按{modes[pay.rounding.mode]}精确到{yuan(pay.rounding.to)}", "Kefu 默认")
    )
    return Section("pay", "级别与薪资", out)
