"""Text preparation for matching: normalisation with an offset map back to the original, the
"meaningful characters" of a reply, and word boundaries from jieba (loaded lazily, once)."""

from __future__ import annotations

import functools
import re
import sys
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Normalised:
    text: str
    source: tuple[int, ...] | None
    """source[i] is the index in the original text of normalised character i; None when the
    text was already normal (the usual case), so offsets are unchanged."""

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original [start, end) of the normalised span [start, end) (end > start)."""
        if self.source is None:
            return start, end
        return self.source[start], self.source[end - 1] + 1


@functools.cache
def _dropped() -> re.Pattern[str]:
    # Every whitespace and format (Cf: zero-width space, BOM, bidi marks) code point; built on
    # first use (a pass over Unicode, ~0.1 s) rather than on import.
    chars = "".join(
        chr(c)
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) == "Cf" or chr(c).isspace()
    )
    return re.compile(f"[{re.escape(chars)}]")


def normalise(text: str) -> Normalised:
    """NFKC (full-width letters, digits and punctuation to half-width; compatibility forms),
    lower case, and no whitespace or invisible format characters.

    Agents type on phones and PCs with either input width, and pasted quick replies carry stray
    spaces or zero-width characters; none of that should hide a banned phrase. Each character
    is normalised on its own so every output character knows the one it came from (composition
    across characters does not occur in Chinese chat text).
    """
    if (
        unicodedata.is_normalized("NFKC", text)
        and text.casefold() == text
        and _dropped().search(text) is None
    ):
        return Normalised(text, None)  # C-speed checks spare the per-character loop below
    out: list[str] = []
    source: list[int] = []
    for index, char in enumerate(text):
        for piece in unicodedata.normalize("NFKC", char).casefold():
            if piece.isspace() or unicodedata.category(piece) == "Cf":
                continue
            out.append(piece)
            source.append(index)
    return Normalised("".join(out), tuple(source))


def normalise_phrase(phrase: str) -> str:
    return normalise(phrase).text


# Wangwang/Qianniu text exports write emoticons as "/:" codes (/:^_^, /:Q, /:806) and other
# platforms as bracketed names ([微笑]); neither is a word of the reply.
_EMOTICON = re.compile(r"/:[!-~]{1,5}|\[[^\[\]]{1,4}\]")


def _meaningful(normalised: Normalised) -> Iterator[int]:
    """Positions (in the normalised text) of the characters that say something: no emoticon
    codes, punctuation, symbols (emoji are symbols), marks or control characters."""
    hidden: set[int] = set()
    for match in _EMOTICON.finditer(normalised.text):
        hidden.update(range(match.start(), match.end()))
    for index, char in enumerate(normalised.text):
        if index not in hidden and unicodedata.category(char)[0] in "LN":
            yield index


def single_meaningful(normalised: Normalised) -> int | None:
    """The position of the reply's only meaningful character; None when it has none or several
    (stops at the second: most replies are long)."""
    found: int | None = None
    for index in _meaningful(normalised):
        if found is not None:
            return None
        found = index
    return found


class _Tokenizer(Protocol):
    def tokenize(
        self, text: str, mode: str = ..., HMM: bool = ...
    ) -> Iterable[tuple[str, int, int]]: ...


_lock = threading.Lock()
_loaded: list[_Tokenizer] = []


def _tokenizer() -> _Tokenizer:
    # jieba's dictionary takes ~0.5 s to load, so it is loaded on the first boundary check, not
    # on import, and exactly once even when worker threads ask at the same time. A private
    # Tokenizer keeps other code's user dictionaries out of our boundaries.
    if not _loaded:
        with _lock:
            if not _loaded:
                import jieba  # type: ignore[import-untyped]

                jieba.setLogLevel(60)  # "Building prefix dict" chatter on stderr otherwise
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                _loaded.append(tokenizer)
    return _loaded[0]


def word_starts(text: str) -> frozenset[int]:
    """Offsets where a jieba word begins (dictionary only, HMM off: deterministic, and an unknown
    run falls apart into single characters, which only ever adds boundaries)."""
    tokens = _tokenizer().tokenize(text, HMM=False)
    return frozenset(start for _word, start, _end in tokens)
