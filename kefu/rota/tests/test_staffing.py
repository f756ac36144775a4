"""Erlang C against the classic worked example: 200 calls an hour (100 per half hour), 180 s
handle time, 80 % answered within 20 s: 10 Erlangs, 14 agents, 20 with 30 % shrinkage."""

from __future__ import annotations

import math

import pytest

from kefu.rota.solver.staffing import (
    agents_needed,
    average_answer_seconds,
    erlang_b,
    erlang_c,
    service_level,
    staffing_by_hour,
)


def test_textbook_probabilities() -> None:
    # P(wait) and service level for 11..14 agents on 10 Erlangs.
    waits = [round(erlang_c(10, n), 4) for n in (11, 12, 13, 14)]
    assert waits == [0.6821, 0.4494, 0.2853, 0.1741]
    # The textbook's service levels: 39.0 %, 64.0 %, 79.6 %, 88.8 %.
    levels = [round(service_level(10, n, 180, 20), 3) for n in (11, 12, 13, 14)]
    assert levels == [0.390, 0.640, 0.796, 0.888]
    assert round(average_answer_seconds(10, 14, 180), 1) == 7.8
    assert round(erlang_b(10, 10), 4) == 0.2146
    assert erlang_c(10, 10) == 1.0
    assert math.isinf(average_answer_seconds(10, 9, 180))


def test_textbook_agents() -> None:
    plain = agents_needed(200, handle_seconds=180, target_seconds=20, service_target=0.8)
    assert (plain.traffic, plain.servers, plain.agents) == (10.0, 14, 14)
    shrunk = agents_needed(
        200, handle_seconds=180, target_seconds=20, service_target=0.8, shrinkage=0.3
    )
    assert shrunk.agents == 20


def test_chat_concurrency_divides_the_slots() -> None:
    # 3 chats at once: the 14 slots of the example are 5 agents.
    chat = agents_needed(
        200, handle_seconds=180, target_seconds=20, service_target=0.8, concurrency=3
    )
    assert (chat.servers, chat.agents) == (14, 5)


def test_by_hour_and_quiet_hours() -> None:
    hours = staffing_by_hour(
        {9: 200.0, 3: 0.0}, handle_seconds=180, target_seconds=20, service_target=0.8
    )
    assert list(hours) == [3, 9]
    assert (hours[3].agents, hours[9].agents) == (0, 14)
    with pytest.raises(ValueError):
        agents_needed(1, handle_seconds=0, target_seconds=20, service_target=0.8)


# --- demand from the chat history, and the policy's staffing section ---------------------------

STAFFING = {
    "handle_seconds": 180,
    "concurrency": 3,
    "answer_seconds": 20,
    "service_level": 80,
    "shrinkage": 0,
    "history_days": 7,
    "clause": "Kefu default",
}


@pytest.mark.django_db
def test_buyers_per_hour_and_agents_needed(shop) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from kefu.conversations.models import Buyer, Conversation
    from kefu.policy.selectors import policy_in_force
    from kefu.policy.services import policy_adopt
    from kefu.rota.staffing import buyers_per_hour, staffing_needed
    from kefu.rota.tests.helpers import SH

    # Two days: 9:00-9:59 has 400 then 0 buyers... 400 on day 1 and 0 on day 2 -> 200 an hour.
    for i in range(400):
        buyer = Buyer.objects.create(shop=shop, nickname=f"买家{i}")
        at = dt.datetime(2026, 11, 2, 9, i % 60, tzinfo=SH)
        Conversation.objects.create(shop=shop, buyer=buyer, day=at.date(), first_at=at)
    late = dt.datetime(2026, 11, 3, 23, 30, tzinfo=SH)  # 15:30 UTC, still 23:00 in Shanghai
    Conversation.objects.create(
        shop=shop,
        buyer=Buyer.objects.create(shop=shop, nickname="夜猫"),
        day=late.date(),
        first_at=late,
    )
    rates = buyers_per_hour(shop=shop, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 7))
    assert (rates[9], rates[23], rates[10]) == (200.0, 0.5, 0.0)

    in_force = policy_in_force(shop=shop, on=dt.date(2026, 11, 1))
    schedule = in_force.policy.schedule
    assert staffing_needed(shop=shop, schedule=schedule, today=dt.date(2026, 11, 8)) == {}
    document = in_force.policy.model_dump(mode="json", exclude_none=True)
    document["schedule"]["staffing"] = STAFFING
    version = policy_adopt(
        shop=shop, document=document, effective_from=dt.date(2026, 11, 1), acting_user=None
    )
    with_staffing = policy_in_force(shop=shop, on=dt.date(2026, 11, 1)).policy.schedule
    assert version.number == 2 and with_staffing.staffing is not None
    needed = staffing_needed(shop=shop, schedule=with_staffing, today=dt.date(2026, 11, 8))
    # 200 buyers an hour, 180 s, 20 s at 80 %: 14 chat slots, 3 chats at once: 5 agents.
    assert (needed[9].servers, needed[9].agents, needed[23].agents, needed[10].agents) == (
        14,
        5,
        1,
        0,
    )
    # Only when the policy lets demand drive the roster does it reach the solver: 5 on the
    # early shift (09:00 is the early shift's alone), 1 on the late shift (23:00).
    from kefu.rota.inputs import demand_heads

    assert demand_heads(shop=shop, schedule=with_staffing, first=dt.date(2026, 11, 8)) is None
    document["schedule"]["staffing"] = {**STAFFING, "drives_coverage": True}
    policy_adopt(
        shop=shop, document=document, effective_from=dt.date(2026, 11, 2), acting_user=None
    )
    driving = policy_in_force(shop=shop, on=dt.date(2026, 11, 2)).policy.schedule
    assert demand_heads(shop=shop, schedule=driving, first=dt.date(2026, 11, 8)) == {
        "early": 5,
        "late": 1,
    }


def test_shift_heads_meet_every_hours_need_with_the_fewest_agent_hours():
    from kefu.rota.solver.staffing import shift_heads_for_need

    spans = {"early": [(480, 1050)], "late": [(960, 1500)]}  # 08:00-17:30, 16:00-01:00
    # 09 h needs 2, 12 h 3, 16 h 4 (both shifts at work), 20 h 2, 00 h 1 (the late shift's
    # last hour, the next day), 05 h 9 (no shift works then: cannot be met, left out).
    need = {9: 2, 12: 3, 16: 4, 20: 2, 0: 1, 5: 9}
    assert shift_heads_for_need(spans, need) == {"early": 3, "late": 2}
    assert shift_heads_for_need(spans, {5: 9}) == {"early": 0, "late": 0}
