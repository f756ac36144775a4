"""话术: the phrase lists the chat quality scanner checks (courtesy, avoid, banned, honorifics,
single-character replies) and the quick-reply library rules."""

from __future__ import annotations

from pydantic import Field, model_validator

from kefu.policy.schema.base import Count, Problems, Rule, StrictModel, check_unique


class PhraseList(Rule):
    phrases: list[str] = Field(min_length=1)
    """The phrases, matched as substrings of an agent's message."""

    @model_validator(mode="after")
    def _clean(self) -> PhraseList:
        problems = Problems()
        for index, phrase in enumerate(self.phrases):
            if not phrase.strip():
                problems.add(("phrases", index), "is empty")
        check_unique(problems, ("phrases",), self.phrases, "phrase")
        problems.raise_if_any()
        return self


class Banned(PhraseList):
    replacements: dict[str, str] = Field(default_factory=dict)
    """What to say instead, by banned phrase (S4.3: 我们不补货了 → 工厂不生产了)."""

    @model_validator(mode="after")
    def _replacements_known(self) -> Banned:
        problems = Problems()
        for phrase in self.replacements:
            if phrase not in self.phrases:
                problems.add(("replacements", phrase), "is not one of the banned phrases")
        problems.raise_if_any()
        return self


class Honorifics(PhraseList):
    required: bool = True
    """A reply to a buyer must contain one of these (S4.3, S4.4: 您, 亲 ...)."""


class SingleCharacter(Rule):
    forbidden: bool = True
    """A reply of a single character (好, 嗯, 在) is not allowed (S4.3)."""


class QuickReplies(Rule):
    update_after_meeting: bool = True
    """The quick-reply library 快捷短语 is updated after each weekly meeting (S4.4)."""
    competitor_reviews_min: Count = 0
    """Before a launch, replies are built from at least this many competitors' reviews
    (S4.4: 10)."""


class Quality(StrictModel):
    required_courtesy: PhraseList
    """Courtesy words an agent is expected to use (S0: 您, 您好, 亲; S4.2's ten basic words)."""
    soft_endings: PhraseList | None = None
    """Soft sentence endings (S0: 吗, 吧, 哦, 呀)."""
    hedges: PhraseList | None = None
    """Words that keep a promise open (S0: 应该, 正常, 左右)."""
    avoid: PhraseList | None = None
    """Negative phrases to avoid (S4.2: 我不能, 我不会 ...); flagged for review, not fined."""
    banned: Banned | None = None
    """Phrases never to be said (S4.3, S4.4)."""
    honorifics: Honorifics | None = None
    """Honorifics a reply must contain."""
    single_character_replies: SingleCharacter | None = None
    """Whether single-character replies are forbidden."""
    quick_replies: QuickReplies | None = None
    """Quick-reply library rules."""
