"""One Aho-Corasick automaton per rule set, compiled once and cached by the rule set's hash.

Every phrase of every rule goes into the same automaton, so a message is read once whatever the
number of lists; a phrase on two lists (您 as honorific and as courtesy word) is one key whose
value names both targets.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import ahocorasick

from kefu.quality.scan.model import QualityRule, Severity
from kefu.quality.scan.rules import Context, RuleSet
from kefu.quality.scan.text import normalise_phrase


@dataclass(frozen=True, slots=True)
class Target:
    """What a match of one key means for one rule."""

    rule: QualityRule
    phrase: str
    """As written in the policy (hits show the policy's wording)."""
    clause: str
    severity: Severity
    suggestion: str | None
    context: Context
    presence: bool
    """True for a conversation-level presence rule (honorifics, courtesy, soft endings)."""


@dataclass(frozen=True, slots=True)
class Compiled:
    fingerprint: str
    automaton: ahocorasick.Automaton | None
    """Keys are normalised phrases; values are (key length, targets). None when the rule set
    has no phrase at all (pyahocorasick refuses to search an empty automaton)."""


def _targets(rules: RuleSet) -> dict[str, list[Target]]:
    by_key: dict[str, list[Target]] = {}
    contexts = dict(rules.contexts)
    entries = [
        (rule.rule, rule.phrases, rule.clause, rule.severity, rule.suggestion, False)
        for rule in rules.phrase_rules
    ] + [
        (rule.rule, rule.phrases, rule.clause, rule.severity, None, True)
        for rule in rules.presence_rules
    ]
    for name, phrases, clause, severity, suggestion, presence in entries:
        for phrase in phrases:
            key = normalise_phrase(phrase)
            if not key:
                continue  # the schema refuses blank phrases; a phrase of only spaces lands here
            # A one-character phrase is inside countless words (请 in 申请): without a context
            # rule of its own, it counts only where a word starts.
            context = contexts.get(phrase, Context(word_start=len(key) == 1))
            by_key.setdefault(key, []).append(
                Target(name, phrase, clause, severity, suggestion, context, presence)
            )
    return by_key


def _build(rules: RuleSet, fingerprint: str) -> Compiled:
    keys = _targets(rules)
    if not keys:
        return Compiled(fingerprint, None)
    automaton = ahocorasick.Automaton()
    for key, targets in keys.items():
        automaton.add_word(key, (len(key), tuple(targets)))
    automaton.make_automaton()
    return Compiled(fingerprint, automaton)


_CACHE_SIZE = 64  # an agency runs a few policy versions per shop; 64 covers a worker's shops
_cache: OrderedDict[str, Compiled] = OrderedDict()
_cache_lock = threading.Lock()
builds = 0
"""How many automatons this process has built (the tests check the cache with it)."""


def compiled(rules: RuleSet) -> Compiled:
    """The automaton for these rules, built on first use and then reused (least recently used
    entries are dropped beyond 64 rule sets)."""
    global builds
    fingerprint = rules.fingerprint
    with _cache_lock:
        found = _cache.get(fingerprint)
        if found is not None:
            _cache.move_to_end(fingerprint)
            return found
        result = _build(rules, fingerprint)
        builds += 1
        _cache[fingerprint] = result
        if len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
        return result
