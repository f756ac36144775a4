"""Facts for the rules, with their rounds as evidence."""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from kefu.conversations.kpi import compute_day_kpis
from kefu.conversations.tests.kpi_rows import NO_ORDERS, S1, at, day, kpis, messages, rows

NIGHT = {"night_first_response_seconds": 60, "night_windows": ((1050, 1380), (1320, 1500))}
LOG = messages(
    # agent 3 on the night shift (17:30-23:00, and 22:00-01:00 across midnight)
    (10, 3, "b", "h", "05-01 18:00:00"),
    (10, 3, "a", "h", "05-01 18:01:30"),  # first response 90 s: a night fact
    (10, 3, "b", "h", "05-01 18:05:00"),
    (10, 3, "a", "h", "05-01 18:07:00"),  # 120 s: not slow (over 120 is), not a first response
    (11, 3, "b", "h", "05-01 18:10:00"),
    (11, 3, "a", "h", "05-01 18:10:40"),
    (12, 3, "b", "h", "05-02 00:30:00"),  # inside 22:00-01:00
    (12, 3, "a", "h", "05-02 00:32:00"),
    # agent 4 in the day
    (13, 4, "b", "h", "05-01 12:00:00"),
    (13, 4, "a", "h", "05-01 12:05:00"),
    (14, 4, "b", "h", "05-01 13:00:00"),
    (14, 4, "a", "h", "05-01 13:45:00"),  # 45 minutes: slow and unanswered for 30 minutes
    (15, 4, "b", "h", "05-01 14:00:00"),  # never answered (10 hours by the data's end)
    (16, None, "b", "h", "05-01 03:00:00"),  # a left message: no facts
    (16, 4, "a", "h", "05-01 08:30:00"),
)
COLUMNS = ("agent_id", "date", "fact", "buyer_id", "round_start", "round_end", "wait_s")


def test_facts_with_their_rounds() -> None:
    out = kpis(LOG, as_of="05-02 00:00:00", **NIGHT).facts
    out = out.sort("date", "agent_id", "fact", "round_start")
    assert rows(out, *COLUMNS, "threshold_s") == [
        (
            3,
            day("05-01"),
            "night_first_response_slow",
            10,
            at("05-01 18:00"),
            at("05-01 18:01:30"),
            90,
            60,
        ),
        (4, day("05-01"), "slow_round", 13, at("05-01 12:00"), at("05-01 12:05"), 300, 120),
        (4, day("05-01"), "slow_round", 14, at("05-01 13:00"), at("05-01 13:45"), 2700, 120),
        (4, day("05-01"), "unanswered_2h", 15, at("05-01 14:00"), None, 36000, 7200),
        (4, day("05-01"), "unanswered_30min", 14, at("05-01 13:00"), at("05-01 13:45"), 2700, 1800),
        (4, day("05-01"), "unanswered_30min", 15, at("05-01 14:00"), None, 36000, 1800),
        (
            3,
            day("05-02"),
            "night_first_response_slow",
            12,
            at("05-02 00:30"),
            at("05-02 00:32"),
            120,
            60,
        ),
    ]
    assert rows(out.unique("fact").sort("fact"), "fact", "label") == [
        ("night_first_response_slow", "晚班首次响应超时"),
        ("slow_round", "应答超时"),
        ("unanswered_2h", "顾客2小时未回复"),
        ("unanswered_30min", "顾客半小时未回复"),
    ]
    assert set(out.get_column("clause")) == {"S1 §2", ""}


def test_a_night_roster_limits_night_facts_to_the_agents_on_it() -> None:
    roster = pl.DataFrame({"shop_id": [7], "agent_id": [3], "date": [day("05-01")]})
    out = compute_day_kpis(
        LOG, NO_ORDERS, settings=replace(S1, **NIGHT), as_of=at("05-02 00:00"), night_roster=roster
    ).facts
    night = out.filter(fact="night_first_response_slow")
    assert rows(night, "buyer_id", "date") == [(10, day("05-01"))]


def test_no_night_rule_no_night_facts() -> None:
    out = kpis(LOG, as_of="05-02 00:00:00").facts
    assert "night_first_response_slow" not in set(out.get_column("fact"))
