"""The checks a quick phrase passes before it is saved: the platform's length limit and the
shop's quality rules (policy in force today, read by the pure scanner)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kefu.core.errors import NotFound
from kefu.core.models import Shop
from kefu.knowledge.limits import phrase_max_length
from kefu.policy.selectors import policy_in_force
from kefu.quality.scan.model import AGENT, HUMAN
from kefu.quality.scanner import ChatMessage, QualityRule, RuleSet, scan

# Rules a saved phrase must not break. Conversation-level rules (honorifics or courtesy never
# used) do not apply to one phrase: it is a fragment of a conversation, not a whole one.
BLOCKING = {QualityRule.BANNED, QualityRule.RESTOCK_REFUSAL, QualityRule.SINGLE_CHARACTER}


@dataclass
class PhraseCheck:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def phrase_rules(*, shop: Shop, on: dt.date) -> RuleSet | None:
    """The shop's scanner rules on a date; None when it has no policy yet (nothing to check)."""
    try:
        policy = policy_in_force(shop=shop, on=on).policy
    except NotFound:
        return None
    return RuleSet.from_quality(policy.quality)


def phrase_check(*, shop: Shop, text: str, rules: RuleSet | None) -> PhraseCheck:
    check = PhraseCheck()
    limit = phrase_max_length(shop.platform)
    if not text.strip():
        check.errors.append("短语不能为空")
        return check
    if len(text) > limit:
        check.errors.append(
            f"短语有 {len(text)} 个字，超过了{shop.get_platform_display()}快捷短语的上限 {limit} 字"
        )
    if rules is None:
        return check
    for hit in scan([ChatMessage(0, 0, AGENT, HUMAN, text)], rules):
        if hit.rule in BLOCKING:
            if hit.rule == QualityRule.SINGLE_CHARACTER:
                message = f"不能只回复一个字（{hit.clause}）"
            else:
                message = f"含有禁用语“{hit.phrase}”（{hit.clause}）"
            if hit.suggestion:
                message += f"，请改说“{hit.suggestion}”"
            check.errors.append(message)
        elif hit.rule == QualityRule.AVOID:
            check.warnings.append(f"含有应避免的负面用语“{hit.phrase}”（{hit.clause}）")
    return check
