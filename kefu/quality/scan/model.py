"""Inputs and outputs of the chat quality scanner: plain frozen dataclasses, no Django."""

from __future__ import annotations

import enum
from dataclasses import dataclass

MessageId = int | str
ConversationId = int | str

# The direction and kind vocabulary of the conversation importers and the demo traffic
# generator (kefu.demo.traffic.model.Direction / Kind); kept as plain strings here so the
# scanner depends on neither.
AGENT = "agent"
HUMAN = "human"
AUTO_REPLY = "auto_reply"


class QualityRule(enum.StrEnum):
    """What a hit says is wrong. The clause of the policy rule behind it travels on the hit."""

    BANNED = "banned"
    """A banned phrase (quality.banned), e.g. 这不是我们的问题."""
    RESTOCK_REFUSAL = "restock_refusal"
    """Refusing to restock (the banned 我们不补货了 and its family); the hit carries the wording
    to say instead (quality.banned.replacements, e.g. 工厂不再生产了)."""
    AVOID = "avoid"
    """A negative phrase to avoid (quality.avoid): flagged for review, not fined."""
    HONORIFICS_MISSING = "honorifics_missing"
    """The agent never used an honorific (quality.honorifics) in the whole conversation."""
    SINGLE_CHARACTER = "single_character"
    """A human agent reply of one character, punctuation and emoji aside."""
    COURTESY_MISSING = "courtesy_missing"
    """The agent never used a courtesy word (quality.required_courtesy) in the conversation."""
    SOFT_ENDINGS_MISSING = "soft_endings_missing"
    """The agent never used a soft ending (quality.soft_endings: 吗/吧/哦/呀)."""


class Severity(enum.StrEnum):
    VIOLATION = "violation"
    """The rulebook forbids it; the supervisor confirms it before any point or fine."""
    REVIEW = "review"
    """Worth a look (avoid words); never fined by itself."""
    ADVICE = "advice"
    """Coaching material (courtesy, soft endings)."""


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One message of a conversation, in conversation order."""

    id: MessageId
    conversation_id: ConversationId
    direction: str
    """"buyer" or "agent" (anything the shop side sends)."""
    kind: str
    """"human", "auto_reply", "system" or "transfer"; only human agent messages are scanned
    unless the rule set says auto-replies are too."""
    text: str


@dataclass(frozen=True, slots=True)
class Hit:
    """One finding, to be confirmed or dismissed by the supervisor.

    `start`/`end` index the message's original text (before normalisation), so the UI can mark
    the exact characters. Conversation-level hits (honorifics, courtesy, soft endings missing)
    sit on the first scanned agent message with an empty span (0, 0) and an empty phrase.
    """

    message_id: MessageId
    conversation_id: ConversationId
    rule: QualityRule
    phrase: str
    start: int
    end: int
    clause: str
    severity: Severity
    suggestion: str | None = None
    """What to say instead, when the policy names it (restock refusal)."""

    @property
    def key(self) -> tuple[MessageId, str, str, int]:
        """Stable identity of a hit: re-scanning the same message finds the same key, so a
        stored review decision (confirmed/dismissed) is never duplicated."""
        return (self.message_id, self.rule.value, self.phrase, self.start)
