"""The chat quality scanner: exact hits on hand-written conversations and on real ECD dialogues."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from kefu.policy.documents import load_preset
from kefu.policy.schema.quality import Quality
from kefu.quality import ecd_study
from kefu.quality.scan import automaton
from kefu.quality.scanner import (
    ChatMessage,
    Hit,
    QualityRule,
    RuleSet,
    Severity,
    hits_frame,
    scan,
    scan_conversation,
)

QUALITY = Quality.model_validate(
    {
        "required_courtesy": {"phrases": ["您好", "请", "谢谢"], "clause": "T §1 courtesy"},
        "avoid": {"phrases": ["我不能", "我不会", "但是"], "clause": "T §2 avoid"},
        "banned": {
            "phrases": ["这不是我们的问题", "我们不负责", "我们不补货了"],
            "replacements": {"我们不补货了": "工厂不再生产了"},
            "clause": "T §3 banned",
        },
        "honorifics": {"phrases": ["您", "亲"], "clause": "T §4 honorifics"},
        "single_character_replies": {"forbidden": True, "clause": "T §5 single"},
    }
)
RULES = RuleSet.from_quality(QUALITY)


def with_phrases(section: str, phrases: list[str]) -> Quality:
    """QUALITY with one list replaced."""
    rule = getattr(QUALITY, section)
    update = {"phrases": phrases}
    if section == "banned":
        update["replacements"] = {}
    return QUALITY.model_copy(update={section: rule.model_copy(update=update)})


def agent(mid: int, text: str, conv: int = 1, kind: str = "human") -> ChatMessage:
    return ChatMessage(mid, conv, "agent", kind, text)


def buyer(mid: int, text: str, conv: int = 1) -> ChatMessage:
    return ChatMessage(mid, conv, "buyer", "human", text)


def spans(hits: list[Hit]) -> list[tuple[object, str, str, int, int]]:
    return [(h.message_id, h.rule.value, h.phrase, h.start, h.end) for h in hits]


def test_every_message_rule_gives_exact_hits() -> None:
    conversation = [
        buyer(1, "这个什么时候补货"),
        agent(2, "亲，这款我们不补货了"),
        agent(3, "我不能改价，但是可以送您小礼品"),
        buyer(4, "你们快递把东西压坏了"),
        agent(5, "这不是我们的问题，运费我们不负责"),
        agent(6, "嗯。"),
    ]
    hits = scan_conversation(conversation, RULES)
    assert spans(hits) == [
        (2, "restock_refusal", "我们不补货了", 4, 10),
        (3, "avoid", "我不能", 0, 3),
        (3, "avoid", "但是", 6, 8),
        (5, "banned", "这不是我们的问题", 0, 8),
        (5, "banned", "我们不负责", 11, 16),
        (6, "single_character", "嗯", 0, 1),
        (2, "courtesy_missing", "", 0, 0),
    ]
    restock = hits[0]
    assert (restock.clause, restock.severity, restock.suggestion) == (
        "T §3 banned",
        Severity.VIOLATION,
        "工厂不再生产了",
    )
    assert [h.severity for h in hits[1:3]] == [Severity.REVIEW, Severity.REVIEW]
    assert hits[3].suggestion is None
    assert hits[-1].severity is Severity.ADVICE


def test_honorifics_are_checked_per_conversation() -> None:
    messages = [
        buyer(1, "在吗", conv=10),
        buyer(2, "在吗", conv=20),
        agent(3, "欢迎光临本店", conv=20, kind="auto_reply"),
        agent(4, "在的", conv=10),
        agent(5, "在的，请问要哪款", conv=20),
        agent(6, "好的，谢谢您", conv=10),  # 您 late in the conversation still counts
        agent(7, "好的，谢谢", conv=20),
    ]
    hits = scan(messages, RULES)
    assert spans(hits) == [(5, "honorifics_missing", "", 0, 0)]  # first *human* agent message
    assert (hits[0].conversation_id, hits[0].clause) == (20, "T §4 honorifics")


def test_auto_replies_are_skipped_unless_the_rules_say_so() -> None:
    conversation = [buyer(1, "在吗"), agent(2, "您好，我们不负责", kind="auto_reply")]
    assert scan_conversation(conversation, RULES) == []
    with_auto = RuleSet.from_quality(QUALITY, scan_auto_replies=True)
    assert spans(scan_conversation(conversation, with_auto)) == [(2, "banned", "我们不负责", 3, 8)]
    # Single-character replies are a human habit: an auto-reply "好" is not one.
    assert scan_conversation([agent(3, "您好"), agent(4, "好", kind="auto_reply")], with_auto) == []


def test_offsets_after_normalisation_index_the_original_text() -> None:
    # Full-width letters and comma, an ideographic space, a zero-width space, word spaces.
    text = "ＯＫ，我们\u3000不补\u200b货了 哦，但 是 您放心，谢谢"
    hits = scan_conversation([agent(1, text)], RULES)
    assert spans(hits) == [
        (1, "restock_refusal", "我们不补货了", 3, 11),
        (1, "avoid", "但是", 14, 17),
    ]
    assert [text[h.start : h.end] for h in hits] == ["我们\u3000不补\u200b货了", "但 是"]
    rules = RuleSet.from_quality(with_phrases("avoid", ["VIP价"]))
    hits = scan_conversation([agent(1, "亲这是ｖｉｐ价，谢谢")], rules)
    assert spans(hits) == [(1, "avoid", "VIP价", 3, 7)]  # the policy's wording, the text's span


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 请 "please" starts a word; the 请 inside 申请 does not (jieba boundaries).
        ("亲可以申请退款", [(1, "courtesy_missing", "", 0, 0)]),
        ("亲请稍等", []),
        # 不但是…而且 is "not only", not the avoid word 但是.
        ("亲不但是正品而且包邮，谢谢", []),
        # 我不会让您失望的 promises; 我不会弄 refuses.
        ("我不会让您失望的，谢谢", []),
        ("这个我不会弄，谢谢您", [(1, "avoid", "我不会", 2, 5)]),
        # Refusals to restock beyond the policy's exact wording; a negated one reassures.
        ("亲这款以后不再进货了，谢谢", [(1, "restock_refusal", "不再进货", 5, 9)]),
        ("亲放心不会不补货的，谢谢", []),
        # Stating a stock-out is what the rule presupposes, not a refusal.
        ("亲这款没货了，谢谢", []),
    ],
)
def test_word_boundaries_and_context_rules(text: str, expected: list[tuple[object, ...]]) -> None:
    assert spans(scan_conversation([agent(1, text)], RULES)) == expected


def test_a_question_is_not_the_banned_denial() -> None:
    rules = RuleSet.from_quality(with_phrases("banned", ["不是我们的问题"]))
    asking = [agent(1, "是不是我们的问题，我帮您查一下，谢谢")]
    denying = [agent(2, "这个不是我们的问题，谢谢您")]
    assert scan_conversation(asking, rules) == []
    assert spans(scan_conversation(denying, rules)) == [(2, "banned", "不是我们的问题", 2, 9)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("好", ("好", 0, 1)),
        ("  嗯！！", ("嗯", 2, 3)),
        ("[微笑]有", ("有", 4, 5)),
        ("/:^_^ 在", ("在", 6, 7)),
        ("嗯👍", ("嗯", 0, 1)),
        ("１", ("１", 0, 1)),
        ("嗯嗯", None),  # reduplicated 嗯嗯 reads warmer than 嗯: not a single character
        ("👍", None),
        ("/:Q", None),
        ("好的", None),
    ],
)
def test_single_character_replies(text: str, expected: tuple[str, int, int] | None) -> None:
    hits = [
        h
        for h in scan_conversation([agent(1, "您好"), agent(2, text)], RULES)
        if h.rule is QualityRule.SINGLE_CHARACTER
    ]
    assert [(h.phrase, h.start, h.end) for h in hits] == ([expected] if expected else [])


def test_the_automaton_is_built_once_per_rule_set() -> None:
    quality = with_phrases("avoid", ["缓存测试一"])  # lists no other test compiles
    before = automaton.builds
    rules = RuleSet.from_quality(quality)
    first = automaton.compiled(rules)
    assert spans(scan([agent(1, "您好缓存测试一")], rules)) == [(1, "avoid", "缓存测试一", 2, 7)]
    scan([agent(2, "您好")], rules)
    # The same lists read again from the policy: another object, the same hash, no new build.
    again = RuleSet.from_quality(quality.model_copy(deep=True))
    assert again is not rules
    assert again.fingerprint == rules.fingerprint
    assert automaton.compiled(again) is first
    assert automaton.builds - before == 1
    changed = RuleSet.from_quality(with_phrases("avoid", ["缓存测试一", "缓存测试二"]))
    assert automaton.compiled(changed) is not first
    assert automaton.builds - before == 2


def test_a_frame_scans_like_rows_and_hits_become_a_frame() -> None:
    rows = [buyer(1, "在吗"), agent(2, "嗯"), agent(3, "我们不补货了")]
    frame = pl.DataFrame(
        {
            "id": [m.id for m in rows],
            "conversation_id": [m.conversation_id for m in rows],
            "direction": [m.direction for m in rows],
            "kind": [m.kind for m in rows],
            "text": [m.text for m in rows],
        }
    )
    hits = scan(frame, RULES)
    assert hits == scan(rows, RULES)
    table = hits_frame(hits)
    assert table.columns == [
        "message_id",
        "conversation_id",
        "rule",
        "phrase",
        "start",
        "end",
        "clause",
        "severity",
        "suggestion",
    ]
    assert table["rule"].to_list() == [
        "single_character",
        "restock_refusal",
        "honorifics_missing",
        "courtesy_missing",
    ]
    assert hits_frame([]).shape == (0, 9)
    with pytest.raises(ValueError, match="lacks columns: kind"):
        scan(frame.drop("kind"), RULES)


def test_rule_sets_from_the_presets() -> None:
    standard = RuleSet.from_quality(load_preset("taobao-s4-standard").quality)
    assert [(r.rule.value, r.severity.value) for r in standard.phrase_rules] == [
        ("banned", "violation"),
        ("restock_refusal", "violation"),
        ("avoid", "review"),
    ]
    # Tuned after the ECD study: the seed's wording 工厂不再生产了 (S4.4 §5.5②), no longer the
    # preset's own 工厂不生产了 (the seed lists keep it, below).
    assert standard.phrase_rules[1].suggestion == "工厂不再生产了"
    assert [r.rule.value for r in standard.presence_rules] == [
        "honorifics_missing",
        "courtesy_missing",
    ]
    assert standard.single_character_clause == "S4.3 §3.2 禁止不回复或者单字回复"
    # dongyao-s4's courtesy words (您, 亲) are its required honorifics: one rule, not two.
    dongyao = RuleSet.from_quality(load_preset("dongyao-s4").quality)
    assert [r.rule.value for r in dongyao.presence_rules] == ["honorifics_missing"]
    tmall = RuleSet.from_quality(load_preset("tmall-s0").quality)
    assert [r.rule.value for r in tmall.presence_rules] == [
        "courtesy_missing",
        "soft_endings_missing",
    ]
    assert (tmall.phrase_rules, tmall.single_character_clause) == ((), None)


def test_a_rule_set_without_phrases_still_scans() -> None:
    empty = RuleSet(single_character_clause="T §5")
    assert spans(scan([agent(1, "嗯")], empty)) == [(1, "single_character", "嗯", 0, 1)]


# --- real dialogues: ECD sample (../shared/data/ecd_taobao) ------------------------------------


@pytest.fixture(scope="module")
def corpus(shared_data: Path) -> ecd_study.Corpus:
    folder = shared_data / "ecd_taobao"
    for name in ecd_study.FILES:
        if not (folder / name).is_file():
            pytest.fail(f"ECD sample not found: {folder / name}")
    return ecd_study.read_corpus(folder)


def test_ecd_rows_become_dialogues_with_alternating_speakers(corpus: ecd_study.Corpus) -> None:
    # 77 + 100 label-1 rows; the 77 + 900 label-0 rows repeat a context with a foreign reply.
    assert len(corpus.dialogues) == 177
    assert len(corpus.candidates) == 944
    first = corpus.dialogues[0]
    assert first.id == "train:1"
    assert first.turns == (
        "嗯嗯",
        "因为买二送一是坚果类产品呢不太清楚不好意思客官",
        "没事",
        "客官帮您看了下哦牛肉干属于打95折的商品哦不参与买二送一活动呢实在抱歉呢不过小店牛肉干"
        "口味很不错呢客官喜欢的话可以拍下哦",
    )
    assert [first.speaker(i) for i in range(4)] == ["buyer", "agent", "buyer", "agent"]
    messages = ecd_study.dialogue_messages(corpus.dialogues)
    assert sum(m.direction == "agent" for m in messages) == 742
    assert ecd_study.unsegment("韵达 邮政 EMS 3 家 ok ok") == "韵达邮政EMS 3家ok ok"


def test_a_handful_of_ecd_dialogues_give_exact_hits(corpus: ecd_study.Corpus) -> None:
    picked = {"train:23", "train:31", "train:87", "train:145", "test:1", "test:921"}
    messages = ecd_study.dialogue_messages([d for d in corpus.dialogues if d.id in picked])
    standard_quality = load_preset("taobao-s4-standard").quality
    standard = RuleSet.from_quality(standard_quality)
    assert spans(scan(messages, standard)) == [
        ("train:23:19", "single_character", "有", 0, 1),  # 纯白的有吗 → 有
        (
            "train:23:21",
            "avoid",
            "但是",
            8,
            10,
        ),  # 送完了但是答应亲了我还是送您一套 (a false positive)
        ("train:23:1", "courtesy_missing", "", 0, 0),
        ("train:31:11", "single_character", "嗯", 0, 1),
        ("train:31:1", "honorifics_missing", "", 0, 0),
        # No courtesy_missing for train:31 now: its 客气啦 (to 好的谢谢) counts since 客气 is one
        # of the equivalents added to the ten basic words.
        # No honorifics_missing for train:87 now: it says 客官, added to the honorifics.
        ("train:87:1", "courtesy_missing", "", 0, 0),  # 客官 is not among the ten words
        ("train:145:11", "single_character", "嗯", 0, 1),  # its 亲请核对 counts as 请
        ("test:1:1", "honorifics_missing", "", 0, 0),
        ("test:1:1", "courtesy_missing", "", 0, 0),
        # No courtesy_missing for test:921 now: 客气啦 (to ⊙o⊙哦谢谢了), as in train:31.
    ]
    # With the seed's lists (before the tuning) the three hits noted above are back, no other.
    seed = RuleSet.from_quality(ecd_study.seed_quality(standard_quality, "taobao-s4-standard"))
    with_seed, tuned = set(spans(scan(messages, seed))), set(spans(scan(messages, standard)))
    assert tuned < with_seed
    assert with_seed - tuned == {
        ("train:31:1", "courtesy_missing", "", 0, 0),
        ("train:87:1", "honorifics_missing", "", 0, 0),
        ("test:921:1", "courtesy_missing", "", 0, 0),
    }


def rule_counts(study: ecd_study.Study) -> dict[str, tuple[int, int]]:
    return {rule: (hits, c_hits) for rule, hits, _, c_hits, _ in study.rates() if hits or c_hits}


def test_the_seed_lists_are_the_presets_without_the_tuning() -> None:
    # taobao-s4-standard took every kind of change: added words and two rewordings.
    shipped = load_preset("taobao-s4-standard").quality
    seed = ecd_study.seed_quality(shipped, "taobao-s4-standard")
    assert seed.required_courtesy.phrases == ["您好", "请", "谢谢", "对不起", "再见"]
    assert seed.honorifics is not None and seed.honorifics.phrases == ["您", "亲", "美女"]
    assert seed.banned is not None
    assert seed.banned.phrases == ["这不是我们的问题", "我们不负责任", "我们不补货了"]
    assert seed.banned.replacements == {"我们不补货了": "工厂不生产了"}
    assert seed.avoid == shipped.avoid
    # Elsewhere 我们不负责 and 工厂不再生产了 are the seed's own wording and stay.
    dongyao = ecd_study.seed_quality(load_preset("dongyao-s4").quality, "dongyao-s4")
    assert dongyao.required_courtesy.phrases == ["您", "亲"]
    assert dongyao.banned is not None
    assert dongyao.banned.phrases == ["这不是我们的问题", "我们不负责", "我们不补货了"]
    assert dongyao.banned.replacements == {"我们不补货了": "工厂不再生产了"}
    tmall = ecd_study.seed_quality(load_preset("tmall-s0").quality, "tmall-s0")
    assert tmall.required_courtesy.phrases == ["您", "您好", "亲"]


def test_ecd_hits_per_rule_as_recorded_in_docs(corpus: ecd_study.Corpus) -> None:
    # The presets as shipped, tuned after the study (docs/quality.md, "Tuning").
    standard = ecd_study.run(corpus, "taobao-s4-standard")
    assert standard.agent_messages == 742
    assert rule_counts(standard) == {
        "banned": (0, 1),  # 不是我们的问题亲自己要退的: 不是我们的问题 is now banned
        "avoid": (1, 8),
        "honorifics_missing": (25, 0),  # 32 → 25: the 7 windows that say 客官
        "single_character": (3, 0),
        "courtesy_missing": (89, 0),  # 112 → 89: 不好意思/抱歉/客气/麻烦您/感谢 now count
    }
    assert rule_counts(ecd_study.run(corpus, "dongyao-s4")) == {
        "banned": (0, 1),  # the same candidate
        "honorifics_missing": (25, 0),  # the same 客官 windows
        "single_character": (3, 0),
    }
    # The seed's own lists: the original measurement, which the hand-checked sample is from.
    seed = ecd_study.run(corpus, "taobao-s4-standard", seed_lists=True)
    assert seed.agent_messages == 742
    assert rule_counts(seed) == {
        "avoid": (1, 8),
        "honorifics_missing": (32, 0),
        "single_character": (3, 0),
        "courtesy_missing": (112, 0),
    }
    assert rule_counts(ecd_study.run(corpus, "dongyao-s4", seed_lists=True)) == {
        "honorifics_missing": (32, 0),
        "single_character": (3, 0),
    }
    # Every hit of the tuned lists but the new banned one was already a hit of the seed's.
    keys = {h.key for h in (*seed.dialogue_hits, *seed.candidate_hits)}
    new = [h for h in (*standard.dialogue_hits, *standard.candidate_hits) if h.key not in keys]
    assert [(h.message_id, h.rule.value, h.phrase) for h in new] == [
        ("cand:230", "banned", "不是我们的问题")
    ]
    # The 100 hand-checked hits (docs/quality.md, appendix) are drawn from the seed-lists run;
    # 80 of them are still hits of the tuned lists (the appendix marks the 20 gone).
    picked = ecd_study.sample(seed, 100, seed=20240611)
    assert len(picked) == 100
    assert [h.message_id for h in picked[:3]] == ["cand:933", "test:301:1", "test:61:1"]
    assert picked[-1].message_id == "train:151:1"
    tuned = {h.key for h in (*standard.dialogue_hits, *standard.candidate_hits)}
    gone = [number for number, h in enumerate(picked, start=1) if h.key not in tuned]
    assert gone == [5, 10, 11, 14, 20, 22, 26, 28, 47, 50, 63, 67, 74, 78, 79, 85, 88, 89, 95, 98]
