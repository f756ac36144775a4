"""Chat quality scanner (pure: no Django). Reads the agent's messages of whole conversations
against the phrase rules of a policy's `quality:` section and returns hits for the supervisor's
review queue.

    rules = RuleSet.from_quality(policy.quality)
    hits = scan(messages, rules)          # messages: ChatMessage rows or a Polars frame

Per message: banned phrases, the refusal to restock, avoid words, single-character replies.
Per conversation: honorifics (and courtesy words, soft endings) never used by the agent.
Text is normalised (width, case, spaces) before matching; hit offsets index the original text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl

from kefu.quality.scan.automaton import Compiled, Target, compiled
from kefu.quality.scan.model import (
    AGENT,
    AUTO_REPLY,
    HUMAN,
    ChatMessage,
    ConversationId,
    Hit,
    QualityRule,
    Severity,
)
from kefu.quality.scan.rules import Context, RuleSet
from kefu.quality.scan.text import Normalised, normalise, single_meaningful, word_starts

MESSAGE_COLUMNS = ("id", "conversation_id", "direction", "kind", "text")


def _scanned(message: ChatMessage, rules: RuleSet) -> bool:
    if message.direction != AGENT:
        return False
    return message.kind == HUMAN or (message.kind == AUTO_REPLY and rules.scan_auto_replies)


class _Boundaries:
    """jieba word starts of one message, computed only if a match needs them."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: frozenset[int] | None = None

    def starts(self) -> frozenset[int]:
        if self._starts is None:
            self._starts = word_starts(self._text)
        return self._starts


def _fits(target: Target, text: str, start: int, end: int, boundaries: _Boundaries) -> bool:
    context = target.context
    if any(text.endswith(x, 0, start) for x in context.not_preceded_by):
        return False
    if any(text.startswith(x, end) for x in context.not_followed_by):
        return False
    return not context.word_start or start in boundaries.starts()


def _matches(
    compiled_rules: Compiled, text: str, present: set[QualityRule]
) -> list[tuple[Target, int, int]]:
    """(target, start, end) on the normalised text, context rules applied. Presence rules
    already satisfied in this conversation are not checked again (that spares most jieba
    calls: 您 and 亲 are one-character phrases)."""
    if compiled_rules.automaton is None:
        return []
    boundaries = _Boundaries(text)
    found: list[tuple[Target, int, int]] = []
    for last, (length, targets) in compiled_rules.automaton.iter(text):
        start, end = last - length + 1, last + 1
        for target in targets:
            if target.presence and target.rule in present:
                continue
            if _fits(target, text, start, end, boundaries):
                found.append((target, start, end))
                if target.presence:
                    present.add(target.rule)
    return found


def _outermost(matches: list[tuple[Target, int, int]]) -> list[tuple[Target, int, int]]:
    """Drop a match inside a longer match of the same rule: 我们不补货了 is one refusal, not
    also 不补货; 我们不负责任 is not also 我们不负责."""
    kept: list[tuple[Target, int, int]] = []
    for target, start, end in matches:
        inside = any(
            other.rule == target.rule
            and o_start <= start
            and end <= o_end
            and (o_end - o_start) > (end - start)
            for other, o_start, o_end in matches
        )
        if not inside:
            kept.append((target, start, end))
    return kept


def _single_character(message: ChatMessage, norm: Normalised, clause: str) -> Hit | None:
    position = single_meaningful(norm)
    if position is None:
        return None
    start, end = norm.original_span(position, position + 1)
    return Hit(
        message.id,
        message.conversation_id,
        QualityRule.SINGLE_CHARACTER,
        message.text[start:end],
        start,
        end,
        clause,
        Severity.VIOLATION,
    )


def scan_conversation(messages: Sequence[ChatMessage], rules: RuleSet) -> list[Hit]:
    """Hits of one conversation (messages in conversation order, all of one conversation)."""
    return _scan_conversation(messages, rules, compiled(rules))


def _scan_conversation(
    messages: Sequence[ChatMessage], rules: RuleSet, compiled_rules: Compiled
) -> list[Hit]:
    hits: list[Hit] = []
    first: ChatMessage | None = None
    present: set[QualityRule] = set()
    for message in messages:
        if not _scanned(message, rules):
            continue
        first = first or message
        norm = normalise(message.text)
        matches = _matches(compiled_rules, norm.text, present)
        for target, start, end in _outermost([m for m in matches if not m[0].presence]):
            o_start, o_end = norm.original_span(start, end)
            hits.append(
                Hit(
                    message.id,
                    message.conversation_id,
                    target.rule,
                    target.phrase,
                    o_start,
                    o_end,
                    target.clause,
                    target.severity,
                    target.suggestion,
                )
            )
        if rules.single_character_clause is not None and message.kind == HUMAN:
            single = _single_character(message, norm, rules.single_character_clause)
            if single is not None:
                hits.append(single)
    if first is not None:
        hits.extend(
            Hit(first.id, first.conversation_id, rule.rule, "", 0, 0, rule.clause, rule.severity)
            for rule in rules.presence_rules
            if rule.rule not in present
        )
    return hits


def messages_from_frame(frame: pl.DataFrame) -> list[ChatMessage]:
    """Rows of a frame with the columns id, conversation_id, direction, kind, text."""
    missing = [c for c in MESSAGE_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"message frame lacks columns: {', '.join(missing)}")
    return [ChatMessage(*row) for row in frame.select(MESSAGE_COLUMNS).iter_rows()]


def scan(messages: Iterable[ChatMessage] | pl.DataFrame, rules: RuleSet) -> list[Hit]:
    """Hits of every conversation in `messages`, conversations in order of first appearance and
    each conversation's messages in the order given (the caller sorts by time)."""
    rows = messages_from_frame(messages) if isinstance(messages, pl.DataFrame) else messages
    conversations: dict[ConversationId, list[ChatMessage]] = {}
    for message in rows:
        conversations.setdefault(message.conversation_id, []).append(message)
    compiled_rules = compiled(rules)
    hits: list[Hit] = []
    for conversation in conversations.values():
        hits.extend(_scan_conversation(conversation, rules, compiled_rules))
    return hits


def hits_frame(hits: Sequence[Hit]) -> pl.DataFrame:
    """Hits as a Polars frame (for the KPI engine and reports)."""
    return pl.DataFrame(
        {
            "message_id": [h.message_id for h in hits],
            "conversation_id": [h.conversation_id for h in hits],
            "rule": [h.rule.value for h in hits],
            "phrase": [h.phrase for h in hits],
            "start": [h.start for h in hits],
            "end": [h.end for h in hits],
            "clause": [h.clause for h in hits],
            "severity": [h.severity.value for h in hits],
            "suggestion": [h.suggestion for h in hits],
        },
        schema_overrides={"start": pl.Int64, "end": pl.Int64, "suggestion": pl.String},
    )


__all__ = [
    "ChatMessage",
    "Context",
    "Hit",
    "QualityRule",
    "RuleSet",
    "Severity",
    "hits_frame",
    "messages_from_frame",
    "scan",
    "scan_conversation",
]
