"""Severity of a mid or negative review 中差评, graded by rules: a rule matches on the rating
(good / neutral / bad) or on a keyword in the review text (first review and follow-up review).
Rules are tried in order, severe first; the first rule that matches gives the level.

A review "needs follow-up" when it is rated neutral or bad, or when a rule matches its text
(a "good" review that says 假货 still needs a call). The policy's `reviews.severity_rules`
name the levels and may carry their own ratings and keywords; a rule that names neither uses
Kefu's default rule for its level (DEFAULT_RULES below). Pure: no Django."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

Rating = Literal["good", "neutral", "bad"]
Level = Literal["severe", "medium", "light"]
LEVELS: tuple[Level, ...] = ("severe", "medium", "light")


@dataclass(frozen=True)
class SeverityRule:
    level: Level
    ratings: frozenset[str] = frozenset()
    keywords: tuple[str, ...] = ()
    label: str = ""
    """What the rule says in words (the policy's `when`)."""


@dataclass(frozen=True)
class Grade:
    level: Level | None
    """None: the review needs no follow-up."""
    rule_index: int | None = None
    matched: tuple[str, ...] = field(default=())
    """The rating (e.g. "rating:bad") and keywords that made the rule match."""

    @property
    def needs_follow_up(self) -> bool:
        return self.level is not None


# Kefu's default rules, written from the presets' wording
# (severe: 差评，或提到质量问题、假货、辱骂; medium: 中评，或对服务、物流不满; light: 其他中差评).
# The keyword lists were tuned on ../shared/data/reviews_zh (docs/reviews.md has the figures).
# fmt: off
SEVERE_KEYWORDS: tuple[str, ...] = (
    # quality 质量
    "质量问题", "质量差", "质量太差", "质量不好", "质量很差", "做工差", "做工粗糙", "坏了",
    "坏的", "破损", "破了", "有问题", "不能用", "用不了", "没法用", "开不了机", "死机",
    "漏水", "掉色", "起球", "有异味", "异味", "发霉", "过期", "变质", "瑕疵",
    # fake 假货
    "假货", "假的", "山寨", "盗版", "冒牌", "不是正品", "非正品", "以次充好", "翻新",
    # abuse, fraud 辱骂 欺骗
    "骗子", "骗人", "欺骗", "坑人", "垃圾", "恶心", "无良", "黑店", "投诉", "举报",
)
MEDIUM_KEYWORDS: tuple[str, ...] = (
    # service 服务
    "态度差", "态度不好", "态度恶劣", "服务差", "服务不好", "服务太差", "不理人", "不回复",
    "爱理不理", "推卸", "没人联系", "没回复", "没人管",
    # logistics 物流
    "物流慢", "发货慢", "太慢", "很慢", "慢死", "送货慢", "快递慢", "等了", "迟迟",
    "还没到", "没收到", "少发", "漏发", "发错", "包装差", "包装太差", "压坏", "没送", "寄错",
    # disappointment 不满
    "不满意", "失望", "差评", "很差", "太差", "真差", "不好", "不行", "一般般", "后悔",
    "退货", "退了", "不值", "不推荐", "别买", "上当", "难用", "难看", "难吃", "不舒服",
    "不好用", "没用", "退款", "失败", "不新鲜", "劣质", "次品", "二手", "不理想", "没意思",
    "无聊", "不实用", "看不下", "受不了", "慎重", "谨慎", "不敢", "倒霉", "可恶", "太贵",
    "很卡", "超级卡", "巨慢", "发热", "烫手", "很烫", "不满", "浪费", "郁闷", "无语", "糟糕",
    "烂", "差劲",
    "不会再", "再也不", "差的", "很一般", "不怎么样", "不太好", "有点差", "偏小", "偏大",
    "不合适", "太小", "很小", "不清楚", "不准", "严重",
)
# Phrases that contain a keyword but praise (差不多, 不错): removed before matching.
NEUTRALISERS: tuple[str, ...] = (
    "差不多", "不差", "一点都不差", "没有失望", "不后悔", "不会后悔", "不好意思", "没有问题",
    "没问题", "不掉色", "没用过",
)
# fmt: on

DEFAULT_RULES: tuple[SeverityRule, ...] = (
    SeverityRule("severe", frozenset({"bad"}), SEVERE_KEYWORDS, "差评，或提到质量问题、假货、辱骂"),
    SeverityRule("medium", frozenset({"neutral"}), MEDIUM_KEYWORDS, "中评，或对服务、物流不满"),
    SeverityRule("light", frozenset({"neutral", "bad"}), (), "其他中差评"),
)


def default_rule(level: Level) -> SeverityRule:
    return next(rule for rule in DEFAULT_RULES if rule.level == level)


def rules_from_policy(
    entries: Iterable[tuple[Level, Sequence[str], Sequence[str], str]],
) -> tuple[SeverityRule, ...]:
    """Rules from the policy's (level, ratings, keywords, when) entries, in the policy's order;
    an entry with neither ratings nor keywords takes the default rule of its level. No entries:
    the default rules."""
    rules: list[SeverityRule] = []
    for level, ratings, keywords, when in entries:
        if not ratings and not keywords:
            base = default_rule(level)
            rules.append(SeverityRule(level, base.ratings, base.keywords, when or base.label))
        else:
            rules.append(SeverityRule(level, frozenset(ratings), tuple(keywords), when))
    return tuple(rules) or DEFAULT_RULES


def _clean(text: str) -> str:
    for phrase in NEUTRALISERS:
        text = text.replace(phrase, " ")
    return text


def grade(
    *, rating: str | None, texts: Iterable[str], rules: Sequence[SeverityRule] = DEFAULT_RULES
) -> Grade:
    """Grade one review. `rating` None means unknown (text only); `texts` are the first review
    and the follow-up review 追评."""
    text = _clean(" ".join(t for t in texts if t))
    for index, rule in enumerate(rules):
        matched: list[str] = []
        if rating is not None and rating in rule.ratings:
            matched.append(f"rating:{rating}")
        matched.extend(word for word in rule.keywords if word in text)
        if matched:
            return Grade(rule.level, index, tuple(matched))
    return Grade(None)


def sort_key(level: str | None) -> int:
    """Severe first (0), then medium, light, and reviews that need nothing last."""
    for index, known in enumerate(LEVELS):
        if level == known:
            return index
    return len(LEVELS)
