"""Not online on duty, from the chat records (policy `attendance.online`): S1 §1's 当班旺旺未在线
(`not_online`, 200 yuan) and S3 §3(4)'s 值班客服未登录在线客服 (`not_logged_in`). The presets
take 30 minutes (S1 §2's half hour) as the silence that counts."""

from __future__ import annotations

import datetime as dt

import pytest

from kefu.attendance.engine.online import longest_silence
from kefu.attendance.services import attendance_facts_record
from kefu.attendance.tests.support import (
    agent_in,
    at,
    days,
    freeze,
    machine_punch,
    publish,
    shop_under,
)
from kefu.conversations.models import Buyer, Conversation, Message
from kefu.core.models import Shop
from kefu.performance.models import Fact
from kefu.policy.documents import load_preset
from kefu.staff.models import Agent, SubAccount

MIN30 = dt.timedelta(minutes=30)


def test_the_longest_silence_with_buyers_writing_counts() -> None:
    stretches = [(at(5, 8), at(5, 17, 30))]
    mine = [at(5, 8, 5), at(5, 9), at(5, 10, 10), at(5, 10, 40), at(5, 17, 10)]
    buyers = [(at(5, 9, 10), "甲"), (at(5, 9, 40), "乙"), (at(5, 9, 50), "甲"), (at(5, 12), "丙")]
    found = longest_silence(
        stretches=stretches, agent_times=mine, buyer_messages=buyers, silent=MIN30, min_buyers=1
    )
    assert found is not None
    # 10:40 to 17:10 is longer than 09:00 to 10:10 and has a buyer (丙 at 12:00).
    assert (found.start, found.end, found.minutes, found.buyers) == (
        at(5, 10, 40),
        at(5, 17, 10),
        390,
        1,
    )
    found = longest_silence(
        stretches=stretches, agent_times=mine, buyer_messages=buyers, silent=MIN30, min_buyers=2
    )
    assert found is not None
    assert (found.start, found.end, found.buyers, found.buyer_messages) == (
        at(5, 9),
        at(5, 10, 10),
        2,
        3,
    )
    # Nobody wrote: a quiet shop is not evidence.
    assert (
        longest_silence(
            stretches=stretches, agent_times=[], buyer_messages=[], silent=MIN30, min_buyers=1
        )
        is None
    )


def test_the_presets_say_which_fact_and_span() -> None:
    s1 = load_preset("taobao-s1").attendance.online
    s3 = load_preset("pdd-s3").attendance.online
    assert s1 is not None and (s1.fact, s1.silent_minutes) == ("not_online", 30)
    assert s3 is not None and (s3.fact, s3.silent_minutes) == ("not_logged_in", 30)
    assert load_preset("taobao-s4-fines").attendance.online is None
    fine = next(r for r in load_preset("taobao-s1").fines.rules if r.fact == "not_online")
    assert str(fine.amount) == "200"


def write(shop: Shop, sender: str, when: dt.datetime, buyer: str, direction: str) -> None:
    who, _ = Buyer.objects.get_or_create(shop=shop, nickname=buyer)
    conversation, _ = Conversation.objects.get_or_create(shop=shop, buyer=who, day=when.date())
    Message.objects.create(
        shop=shop, conversation=conversation, buyer=who, sender=sender, direction=direction,
        kind="human", at=when, text="在吗", text_hash=f"{when:%H%M}{sender}",
    )  # fmt: skip


def day_of_chats(shop: Shop, mei: Agent) -> None:
    """小美 answers at 08:05 and 09:00, then nothing until 10:10, then every 20 minutes; buyers
    write at 09:10 and 09:40 (another agent answers them)."""
    SubAccount.objects.create(shop=shop, agent=mei, nickname="店:小美")
    times = [at(5, 8, 5), at(5, 9)] + [
        at(5, 10, 10) + dt.timedelta(minutes=20 * i) for i in range(22)
    ]
    for when in times:
        write(shop, "店:小美", when, "tb_丁", "agent")
    for when, buyer in ((at(5, 9, 10), "tb_甲"), (at(5, 9, 40), "tb_乙")):
        write(shop, buyer, when, buyer, "buyer")
        write(shop, "店:阿强", when + dt.timedelta(minutes=1), buyer, "agent")


@pytest.mark.django_db
def test_s1_a_silence_on_duty_is_not_online_and_later_chats_withdraw_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    freeze(monkeypatch, at(7, 9))
    shop = shop_under("taobao-s1")
    mei = agent_in(shop, "小美")
    publish(shop, {(mei, d): "day" for d in days(5)})  # 08:00-17:30
    machine_punch(shop, mei, at(5, 7, 58))
    machine_punch(shop, mei, at(5, 17, 32))
    day_of_chats(shop, mei)
    assert attendance_facts_record(shop=shop, day=dt.date(2026, 1, 6)) == 1
    fact = Fact.objects.get()
    assert (fact.key, fact.minutes, fact.occurred_at, fact.source_ref) == (
        "not_online",
        70,
        at(5, 9),
        f"shift:{mei.pk}:2026-01-05:day:online",
    )
    assert fact.evidence == {
        "shift": "day",
        "shift_label": "白班",
        "local_date": "2026-01-05",
        "starts_at": "2026-01-05T08:00:00+08:00",
        "ends_at": "2026-01-05T17:30:00+08:00",
        "silent_from": "2026-01-05T09:00:00+08:00",
        "silent_to": "2026-01-05T10:10:00+08:00",
        "silent_minutes": 70,
        "buyers": 2,
        "buyer_messages": 2,
        "sub_accounts": ["店:小美"],
        "policy_minutes": 30,
        "clause": "S1 §1 当班旺旺未在线又未请假（30分钟：S1 §2 顾客询问后半小时内未回复，借用）",
        "reason": "no_message_on_duty",
    }
    # Her second sub-account is bound later: it answered at 09:25 and 09:50.
    SubAccount.objects.create(shop=shop, agent=mei, nickname="店:小美2")
    for when in (at(5, 9, 25), at(5, 9, 50)):
        write(shop, "店:小美2", when, "tb_甲", "agent")
    assert attendance_facts_record(shop=shop, day=dt.date(2026, 1, 6)) == 0
    assert Fact.objects.count() == 0
    assert Fact.all_objects.get().void_reason == "考勤重新判定：该班次不再产生此事实"


@pytest.mark.django_db
def test_s3_records_not_logged_in_and_an_agent_without_sub_account_is_not_judged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    freeze(monkeypatch, at(7, 9))
    shop = shop_under("pdd-s3")
    mei = agent_in(shop, "小美")
    qiang = agent_in(shop, "阿强")  # no sub-account bound: his messages cannot be told apart
    publish(shop, {(mei, d): "day" for d in days(5)} | {(qiang, d): "day" for d in days(5)})
    for who in (mei, qiang):
        machine_punch(shop, who, at(5, 8))
        machine_punch(shop, who, at(5, 17, 30))
    day_of_chats(shop, mei)
    attendance_facts_record(shop=shop, day=dt.date(2026, 1, 6))
    assert [(f.agent, f.key, f.minutes) for f in Fact.objects.all()] == [(mei, "not_logged_in", 70)]
    assert Fact.objects.get().evidence["clause"].startswith("S3 §3(4)")
