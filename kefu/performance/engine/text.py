"""Chinese wording of the explanations, one place so every sentence reads alike:
"本月第2次交接本未填写：罚款¥50（S4.1 §1 交接）"."""

from __future__ import annotations

from decimal import Decimal

from kefu.policy.describe_text import plain, yuan
from kefu.policy.schema.vocab import CONSEQUENCES, FACTS

__all__ = ["cited", "consequence_label", "fact_label", "plain", "pts", "yuan"]


def fact_label(key: str) -> str:
    return FACTS.get(key, key)


def consequence_label(key: str) -> str:
    return CONSEQUENCES.get(key, key)


def pts(value: Decimal) -> str:
    """5分, 0.5分."""
    return f"{plain(value)}分"


def cited(sentence: str, clause: str) -> str:
    """The sentence with its clause in full-width brackets."""
    return f"{sentence}（{clause}）"
