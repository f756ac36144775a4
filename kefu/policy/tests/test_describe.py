"""The policy in readable Chinese, one sentence per rule with its clause."""

from __future__ import annotations

from kefu.policy.describe import Sentence, describe_policy
from kefu.policy.documents import load_preset, preset_names

TITLES = [
    "排班",
    "考勤",
    "交接与报告",
    "响应",
    "订单",
    "售后",
    "评价",
    "投诉",
    "话术",
    "罚款",
    "积分",
    "奖励",
    "级别与薪资",
]


def sections(name: str) -> dict[str, list[Sentence]]:
    return {s.title: s.sentences for s in describe_policy(load_preset(name))}


def test_every_preset_is_described_in_the_thirteen_areas():
    for name in preset_names():
        described = describe_policy(load_preset(name))
        assert [s.title for s in described] == TITLES
        for section in described:
            for sentence in section.sentences:
                assert sentence.text and sentence.clause, (name, section.key, sentence)


def test_fines_of_taobao_s4_fines():
    assert sections("taobao-s4-fines")["罚款"] == [
        Sentence(
            "交接本未填写：第1次罚款¥30，第2次¥50，第3次¥80，之后扣发当月工资、视为自动离职",
            "S4.1 §1 交接",
        ),
        Sentence(
            "周工作总结未交（周工作总结字数不足同样计次）：第1次罚款¥50，第2次¥100，第3次¥200，"
            "之后扣发当月工资、视为自动离职",
            "S4.1 §3 工作总结",
        ),
        Sentence(
            "因服务原因被有效投诉：第1次罚款¥100，第2次¥200（逐次翻倍），之后视为自动离职",
            "S4.1 §6 投诉",
        ),
        Sentence("上班做与工作无关的事：每次罚款¥50", "S4.1 §8"),
        Sentence("值日卫生未完成：每次罚款¥50", "S4.1 §13"),
        Sentence("泄露公司秘密：每次罚款¥150", "S4.1 §15"),
        Sentence("所有罚款存入部门基金，透明操作，作为部门活动经费", "S4.1 §16"),
    ]


def test_schedule_and_reports_of_taobao_s4_fines():
    described = sections("taobao-s4-fines")
    assert described["排班"][:4] == [
        Sentence("客服在线时间：08:00-次日01:00", "S4.1 §1"),
        Sentence("早班：08:00-17:30", "S4.1 §1"),
        Sentence("晚班：16:00-次日01:00，如还有顾客在咨询，下班时间自动延长", "S4.1 §1"),
        Sentence("每月休息3天，由主管轮流安排", "S4.1 §1 每月休息3天，由主管轮流安排"),
    ]
    assert described["交接与报告"][1] == Sentence(
        "每周六17:00前通过钉钉提交周工作总结（上周工作及需改进的地方），不少于200字", "S4.1 §3"
    )


def test_split_shift_points_and_pay_sentences():
    dongyao = sections("dongyao-s4")
    assert dongyao["排班"][2] == Sentence(
        "晚班：10:00-14:00、17:30-23:00（分段班），如还有顾客在咨询，下班时间自动延长", "S4.4 §2.2"
    )
    assert (
        Sentence("晚班首次响应不超过60秒", "S4.4 §3.2④ 晚班响应时间不得超过1分钟")
        in dongyao["响应"]
    )
    s1 = sections("taobao-s1")["级别与薪资"]
    assert s1[1] == Sentence(
        "底薪：初级客服¥1500、中级客服¥1800、高级客服¥2200、客户经理¥2700",
        "S1 §3 底薪 初级1500 中级1800 高级2200 客户经理2700",
    )
    assert s1[2].text == "提成：个人销售额的0.5%"
    assert s1[3].text == "奖金：团队评分奖金为底薪的10%，满勤奖¥100，生活补助¥200"
    points = sections("pdd-s3")["积分"]
    assert [s.text for s in points[:3]] == [
        "每人每月基础分10分，按下列标准扣分",
        "当月积分≤5分口头警告，≤2分予以处罚",
        "连续3个月≤5分：严厉处罚",
    ]
    assert "因服务态度被投诉：扣1分/次；每月达到3次扣5分，达到5次扣10分（轻度）" in [
        s.text for s in points
    ]
    s45 = sections("taobao-s4-points")
    assert "迟到或早退：扣2-5分/次（轻度）" in [s.text for s in s45["积分"]]
    assert s45["级别与薪资"][3].text == (
        "提成（部门销售额，超额累进）：¥100000以内1%，¥100000至¥300000的部分1.5%，"
        "超过¥300000的部分2%"
    )
