"""Run the chat quality scanner over the E-commerce Dialogue Corpus sample (real Taobao chats)
and print hits per 1,000 agent messages per rule, plus a fixed random sample of hits to check
by hand (docs/quality.md records the results).

    .venv/bin/python -m kefu.quality.ecd_study
    .venv/bin/python -m kefu.quality.ecd_study --seed-lists

The default run uses the presets' lists as shipped (tuned after this study); --seed-lists takes
the tuning out again and reproduces the original measurement on the seed's own lists, the one the
hand-checked sample was drawn from. Without --preset: taobao-s4-standard and dongyao-s4.

The files (`label \\t utterance ... \\t response`, words separated by spaces) are ECD's
response-selection sets: for every context there is one row with label 1 whose response is the
agent's real next turn, and one (train) or nine (test) rows with label 0 whose response was
drawn from *other* conversations. So a conversation is a label-1 row (context + response); the
label-0 rows repeat its context and must not be counted again. Their responses are still real
agent replies, so they are scanned on their own as "candidates", with the per-message rules only
(a lone reply has no conversation to lack an honorific in).
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kefu.policy.documents import load_preset
from kefu.policy.schema.quality import Quality
from kefu.quality.scanner import ChatMessage, Hit, QualityRule, RuleSet, scan

FILES = ("ECD_sample_train.tsv", "ECD_sample_test.tsv")
DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ecd_taobao"

# A segmentation space goes, except between two ASCII letters or digits ("iphone 6", "EMS 3"),
# where the writer may have typed it.
_SEGMENT_SPACE = re.compile(r"(?<![A-Za-z0-9]) +| +(?![A-Za-z0-9])")


def unsegment(text: str) -> str:
    return _SEGMENT_SPACE.sub("", text).strip()


@dataclass(frozen=True, slots=True)
class Dialogue:
    id: str
    """"<train|test>:<line>" of the label-1 row."""
    turns: tuple[str, ...]
    """Utterances in order, spaces removed; the last is the agent's response."""

    def speaker(self, index: int) -> str:
        # Turns alternate and the response (last) is the agent's, so count from the end: that
        # holds whether the context starts with the buyer (every row of the sample does) or not.
        return "agent" if (len(self.turns) - 1 - index) % 2 == 0 else "buyer"


@dataclass(frozen=True, slots=True)
class Corpus:
    dialogues: tuple[Dialogue, ...]
    candidates: tuple[str, ...]
    """Distinct label-0 responses that are not also a turn of a dialogue."""


def read_corpus(folder: Path) -> Corpus:
    dialogues: list[Dialogue] = []
    negatives: dict[str, None] = {}
    for name in FILES:
        tag = name.removeprefix("ECD_sample_").removesuffix(".tsv")
        with (folder / name).open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                label, *utterances = line.rstrip("\n").split("\t")
                turns = tuple(unsegment(u) for u in utterances)
                if label == "1":
                    dialogues.append(Dialogue(f"{tag}:{number}", turns))
                elif label == "0":
                    negatives.setdefault(turns[-1])
                else:
                    raise ValueError(f"{folder / name}:{number}: label {label!r} is not 0 or 1")
    said = {turn for d in dialogues for turn in d.turns}
    return Corpus(tuple(dialogues), tuple(n for n in negatives if n not in said))


def dialogue_messages(dialogues: Sequence[Dialogue]) -> list[ChatMessage]:
    return [
        ChatMessage(f"{d.id}:{i}", d.id, d.speaker(i), "human", text)
        for d in dialogues
        for i, text in enumerate(d.turns)
    ]


def candidate_messages(candidates: Sequence[str]) -> list[ChatMessage]:
    return [
        ChatMessage(f"cand:{i}", f"cand:{i}", "agent", "human", t) for i, t in enumerate(candidates)
    ]


@dataclass(frozen=True, slots=True)
class Study:
    preset: str
    agent_messages: int
    candidate_messages: int
    dialogue_hits: tuple[Hit, ...]
    candidate_hits: tuple[Hit, ...]

    def rates(self) -> list[tuple[str, int, float, int, float]]:
        """(rule, hits, per 1,000 agent messages, candidate hits, per 1,000 candidates)."""
        in_dialogues = Counter(h.rule.value for h in self.dialogue_hits)
        in_candidates = Counter(h.rule.value for h in self.candidate_hits)
        return [
            (
                rule.value,
                in_dialogues[rule.value],
                1000 * in_dialogues[rule.value] / self.agent_messages,
                in_candidates[rule.value],
                1000 * in_candidates[rule.value] / max(self.candidate_messages, 1),
            )
            for rule in QualityRule
        ]


# The study's list changes (docs/quality.md, "Tuning"), now applied to the presets as shipped
# (kefu/policy/presets). `seed_quality` takes them out again, so the original measurement, on the
# seed's own lists, can still be reproduced on the same dialogues.
HONORIFICS_ADDED = ("客官",)
"""Added to every honorifics list and to the 您/亲 courtesy lists."""
COURTESY_EQUIVALENTS = ("不好意思", "抱歉", "客气", "麻烦您", "感谢")
"""Added to the ten-basic-words courtesy lists (您好/请/谢谢/对不起/再见)."""
BANNED_ADDED = ("不是我们的问题",)
"""Added to every banned list, next to 这不是我们的问题."""
SEED_WORDING: dict[str, dict[str, str]] = {
    "taobao-s4-standard": {"我们不负责": "我们不负责任", "工厂不再生产了": "工厂不生产了"},
}
"""Phrases reworded by the tuning, by preset: {shipped: seed}."""


def _without(phrases: list[str], added: Sequence[str], seed: dict[str, str]) -> list[str]:
    return [seed.get(p, p) for p in phrases if p not in added]


def seed_quality(quality: Quality, preset: str) -> Quality:
    """The preset's quality section with the seed's lists: the tuning taken out."""
    seed = SEED_WORDING.get(preset, {})
    update: dict[str, object] = {}
    if quality.honorifics is not None:
        update["honorifics"] = quality.honorifics.model_copy(
            update={"phrases": _without(quality.honorifics.phrases, HONORIFICS_ADDED, seed)}
        )
    courtesy = quality.required_courtesy.phrases
    update["required_courtesy"] = quality.required_courtesy.model_copy(
        update={"phrases": _without(courtesy, (*HONORIFICS_ADDED, *COURTESY_EQUIVALENTS), seed)}
    )
    if quality.banned is not None:
        replacements = {
            seed.get(p, p): seed.get(r, r) for p, r in quality.banned.replacements.items()
        }
        update["banned"] = quality.banned.model_copy(
            update={
                "phrases": _without(quality.banned.phrases, BANNED_ADDED, seed),
                "replacements": replacements,
            }
        )
    return quality.model_copy(update=update)


def run(corpus: Corpus, preset: str, *, seed_lists: bool = False) -> Study:
    """The study with the preset's lists as shipped, or with the seed's lists (`seed_lists`)."""
    quality = load_preset(preset).quality
    rules = RuleSet.from_quality(seed_quality(quality, preset) if seed_lists else quality)
    messages = dialogue_messages(corpus.dialogues)
    # A lone reply has no conversation: only the per-message rules apply to candidates.
    per_message = dataclasses.replace(rules, presence_rules=())
    return Study(
        preset,
        sum(1 for m in messages if m.direction == "agent"),
        len(corpus.candidates),
        tuple(scan(messages, rules)),
        tuple(scan(candidate_messages(corpus.candidates), per_message)),
    )


def sample(study: Study, size: int, seed: int) -> list[Hit]:
    hits = [*study.dialogue_hits, *study.candidate_hits]
    return random.Random(seed).sample(hits, min(size, len(hits)))


def show(hit: Hit, corpus: Corpus) -> str:
    """The hit in its context: the whole dialogue with the hit's message marked, or the lone
    candidate reply; the matched phrase in 【】."""
    by_id = {m.id: m for m in dialogue_messages(corpus.dialogues)} | {
        m.id: m for m in candidate_messages(corpus.candidates)
    }
    head = f"{hit.rule.value} {hit.phrase!r} @ {hit.message_id}"
    lines = [head]
    conversation = [m for m in by_id.values() if m.conversation_id == hit.conversation_id]
    for message in conversation:
        text = message.text
        if message.id == hit.message_id and hit.end > hit.start:
            text = f"{text[: hit.start]}【{text[hit.start : hit.end]}】{text[hit.end :]}"
        mark = ">>" if message.id == hit.message_id else "  "
        who = "A" if message.direction == "agent" else "B"
        lines.append(f"  {mark} {who}: {text}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--preset", action="append", default=None)
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument(
        "--seed-lists",
        action="store_true",
        help="with the seed's lists, before the tuning (the original measurement)",
    )
    args = parser.parse_args(argv)
    corpus = read_corpus(args.data)
    for preset in args.preset or ["taobao-s4-standard", "dongyao-s4"]:
        study = run(corpus, preset, seed_lists=args.seed_lists)
        lists = "seed lists" if args.seed_lists else "lists as shipped"
        print(f"\n## {preset} ({lists})\n")
        print(
            f"{len(corpus.dialogues)} dialogues with {study.agent_messages} agent messages; "
            f"{study.candidate_messages} candidate replies (per-message rules only)\n"
        )
        print("| rule | hits | per 1,000 agent msgs | candidate hits | per 1,000 candidates |")
        print("|---|---:|---:|---:|---:|")
        for rule, hits, rate, c_hits, c_rate in study.rates():
            print(f"| {rule} | {hits} | {rate:.1f} | {c_hits} | {c_rate:.1f} |")
        if args.sample:
            picked = sample(study, args.sample, args.seed)
            print(f"\n### sample of {len(picked)} hits (seed {args.seed})\n")
            for number, hit in enumerate(picked, start=1):
                print(f"{number:3d}. {show(hit, corpus)}")


if __name__ == "__main__":
    main()
