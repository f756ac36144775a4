"""The scanner's rule set, built from a policy's `quality:` section, and the context rules that
keep a substring match from being mistaken for the phrase a rule means.

The policy decides what is checked (which lists, their clauses, the wording to use instead);
this module only knows how Chinese chat phrases those things: the variants of a refusal to
restock, and the few contexts in which an avoid word means something else.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from types import MappingProxyType

from kefu.policy.schema.quality import Quality
from kefu.quality.scan.model import QualityRule, Severity


@dataclass(frozen=True, slots=True)
class Context:
    """When a substring match is not the phrase. Checked on the normalised text."""

    word_start: bool = False
    """The match must begin where a jieba word begins (请 "please" is not the 请 in 申请)."""
    not_preceded_by: tuple[str, ...] = ()
    """Text right before the match that changes its meaning (不 before 但是 is 不但是)."""
    not_followed_by: tuple[str, ...] = ()
    """Text right after the match that changes its meaning (我不会 + 让您失望 reassures)."""


# docs/quality.md ("Context rules") lists where each entry comes from: a false positive seen in
# the ECD study, one named in the brief, or the plain grammar of the phrase.
DEFAULT_CONTEXTS: Mapping[str, Context] = MappingProxyType(
    {
        # 不但是…而且 "not only": jieba splits it 不/但是, so word boundaries cannot tell it apart.
        "但是": Context(not_preceded_by=("不",)),
        # 我不会让您失望的 / 我不会再错过 / 我不会骗您: a promise to the buyer, not "I can't/won't".
        "我不会": Context(
            not_followed_by=("让", "使", "再", "忘", "骗", "辜负", "亏待", "乱", "随便")
        ),
        # 是不是我们的问题，我们查一下: a question before checking, not the denial S4.3 bans.
        "不是我们的问题": Context(not_preceded_by=("是",)),
        # One-character phrases need a word start unless listed here (请 "please" is not the 请 of
        # 申请). These are listed because jieba glues them into words where they keep their sense:
        # 谢谢您 and 好吗/好呀 are dictionary words, yet 您 is still the honorific and 吗 the soft
        # ending. 亲 keeps its honorific sense except in the product and family words below.
        "您": Context(),
        "亲": Context(
            not_preceded_by=("父", "母", "乡", "双", "探", "成", "相"),
            not_followed_by=("子", "肤", "测", "戚", "属", "生", "友", "情", "手", "眼", "身"),
        ),
        **{ending: Context() for ending in ("吗", "吧", "哦", "呀", "呢", "哈", "啦")},
    }
)

# A negated refusal reassures the buyer: 不会不补货的, 不是不补货, 怎么会不再进货.
_NEGATED = ("不会", "不是", "怎么会")

RESTOCK_MARKER = "补货"
"""A banned phrase containing this is the refusal to restock (我们不补货了, 不补货了)."""

RESTOCK_FAMILY: tuple[str, ...] = (
    "不补货",
    "不会补货",
    "不再补货",
    "不会再补货",
    "没货不补",
    "没货了不补",
    "不进货",
    "不再进货",
    "不会再进货",
)
"""How agents actually say "we won't restock". 没货了 alone is not here: it states the stock-out
that the rule presupposes (一旦缺货情况下…), it does not refuse anything."""


@dataclass(frozen=True, slots=True)
class PhraseRule:
    """Every occurrence of a phrase in an agent message is a hit."""

    rule: QualityRule
    phrases: tuple[str, ...]
    clause: str
    severity: Severity
    suggestion: str | None = None


@dataclass(frozen=True, slots=True)
class PresenceRule:
    """A conversation in which the agent uses none of the phrases gets one hit, on the agent's
    first scanned message."""

    rule: QualityRule
    phrases: tuple[str, ...]
    clause: str
    severity: Severity


@dataclass(frozen=True)  # no slots: the fingerprint is cached on the instance
class RuleSet:
    phrase_rules: tuple[PhraseRule, ...] = ()
    presence_rules: tuple[PresenceRule, ...] = ()
    single_character_clause: str | None = None
    """The clause forbidding single-character replies, or None when they are allowed."""
    scan_auto_replies: bool = False
    """Auto-replies are the shop's canned text, not the agent's words: skipped by default."""
    contexts: tuple[tuple[str, Context], ...] = field(
        default_factory=lambda: tuple(DEFAULT_CONTEXTS.items())
    )
    """Context rules by phrase (as written); a one-character phrase without one needs a word
    start."""

    @functools.cached_property
    def fingerprint(self) -> str:
        """A hash of everything that shapes the compiled automaton: the compile cache key."""
        canonical = json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()

    @classmethod
    def from_quality(
        cls,
        quality: Quality,
        *,
        scan_auto_replies: bool = False,
        restock_family: tuple[str, ...] = RESTOCK_FAMILY,
        contexts: Mapping[str, Context] = DEFAULT_CONTEXTS,
    ) -> RuleSet:
        """The rules a policy's quality section states. `scan_auto_replies` is an argument
        because the policy schema has no key for it yet."""
        phrase_rules: list[PhraseRule] = []
        presence_rules: list[PresenceRule] = []
        all_contexts = dict(contexts)
        if quality.banned is not None:
            banned = quality.banned
            restock = [p for p in banned.phrases if RESTOCK_MARKER in p]
            others = [p for p in banned.phrases if RESTOCK_MARKER not in p]
            if others:
                phrase_rules.append(
                    PhraseRule(QualityRule.BANNED, tuple(others), banned.clause, Severity.VIOLATION)
                )
            if restock:
                suggestion = next(
                    (banned.replacements[p] for p in restock if p in banned.replacements), None
                )
                family = tuple(dict.fromkeys([*restock, *restock_family]))
                phrase_rules.append(
                    PhraseRule(
                        QualityRule.RESTOCK_REFUSAL,
                        family,
                        banned.clause,
                        Severity.VIOLATION,
                        suggestion,
                    )
                )
                for phrase in family:
                    all_contexts.setdefault(phrase, Context(not_preceded_by=_NEGATED))
        if quality.avoid is not None:
            phrase_rules.append(
                PhraseRule(
                    QualityRule.AVOID,
                    tuple(quality.avoid.phrases),
                    quality.avoid.clause,
                    Severity.REVIEW,
                )
            )
        honorifics = quality.honorifics
        if honorifics is not None and honorifics.required:
            presence_rules.append(
                PresenceRule(
                    QualityRule.HONORIFICS_MISSING,
                    tuple(honorifics.phrases),
                    honorifics.clause,
                    Severity.VIOLATION,
                )
            )
        courtesy = quality.required_courtesy
        # dongyao-s4 lists 您/亲 both as courtesy and as required honorifics: a second hit on the
        # same conversation for the same words would only double the supervisor's queue.
        if not (
            honorifics is not None
            and honorifics.required
            and set(courtesy.phrases) <= set(honorifics.phrases)
        ):
            presence_rules.append(
                PresenceRule(
                    QualityRule.COURTESY_MISSING,
                    tuple(courtesy.phrases),
                    courtesy.clause,
                    Severity.ADVICE,
                )
            )
        if quality.soft_endings is not None:
            presence_rules.append(
                PresenceRule(
                    QualityRule.SOFT_ENDINGS_MISSING,
                    tuple(quality.soft_endings.phrases),
                    quality.soft_endings.clause,
                    Severity.ADVICE,
                )
            )
        single = quality.single_character_replies
        return cls(
            phrase_rules=tuple(phrase_rules),
            presence_rules=tuple(presence_rules),
            single_character_clause=single.clause
            if single is not None and single.forbidden
            else None,
            scan_auto_replies=scan_auto_replies,
            contexts=tuple(sorted(all_contexts.items())),
        )
