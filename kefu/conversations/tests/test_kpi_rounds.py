"""Rounds 首问首答: rows in (a chat log), rows out (one row per round)."""

from __future__ import annotations

import polars as pl
import pytest

from kefu.conversations.kpi import KpiInputError
from kefu.conversations.tests.kpi_rows import at, day, kpis, messages, rows

AS_OF = "05-02 00:00:00"
COLUMNS = ("buyer_id", "holder", "responder", "agent_id", "date", "start", "end", "wait_s")


def test_several_buyer_messages_in_one_wait_make_one_round() -> None:
    log = messages(
        (1, 1, "b", "h", "05-01 10:00:00"),
        (1, 1, "a", "auto", "05-01 10:00:02"),
        (1, 1, "b", "h", "05-01 10:00:20"),
        (1, 1, "b", "h", "05-01 10:00:40"),
        (1, 1, "a", "h", "05-01 10:01:30"),
        (1, 1, "a", "h", "05-01 10:01:40"),
        (1, 1, "b", "h", "05-01 10:05:00"),
        (1, 1, "a", "sys", "05-01 10:05:01"),
        (1, 1, "a", "h", "05-01 10:05:30"),
    )
    out = kpis(log, as_of=AS_OF).rounds
    assert rows(out, *COLUMNS, "buyer_messages") == [
        (1, 1, 1, 1, day("05-01"), at("05-01 10:00:00"), at("05-01 10:01:30"), 90, 3),
        (1, 1, 1, 1, day("05-01"), at("05-01 10:05:00"), at("05-01 10:05:30"), 30, 1),
    ]


def test_auto_reply_alone_does_not_answer_unless_the_policy_counts_it() -> None:
    log = messages((2, 2, "b", "h", "05-01 11:00:00"), (2, 2, "a", "auto", "05-01 11:00:01"))
    out = kpis(log, as_of=AS_OF).rounds
    assert rows(out, *COLUMNS, "answered") == [
        (2, 2, None, 2, day("05-01"), at("05-01 11:00:00"), None, 13 * 3600, False)
    ]
    counted = kpis(log, as_of=AS_OF, auto_reply_counts=True).rounds
    assert rows(counted, *COLUMNS, "answered") == [
        (2, 2, 2, 2, day("05-01"), at("05-01 11:00:00"), at("05-01 11:00:01"), 1, True)
    ]


def test_transfer_mid_round_credits_the_agent_who_answers_from_the_buyer_s_first_message() -> None:
    log = messages(
        (3, 1, "b", "h", "05-01 14:00:00"),
        (3, 1, "a", "tr", "05-01 14:00:50", 2),
        (3, 2, "a", "h", "05-01 14:01:10"),
    )
    out = kpis(log, as_of=AS_OF).rounds
    assert rows(out, *COLUMNS) == [
        (3, 1, 2, 2, day("05-01"), at("05-01 14:00:00"), at("05-01 14:01:10"), 70)
    ]


def test_a_round_across_midnight_belongs_to_the_day_it_started() -> None:
    log = messages((4, 2, "b", "h", "05-01 23:59:00"), (4, 2, "a", "h", "05-02 00:01:00"))
    out = kpis(log, as_of=AS_OF).rounds
    assert rows(out, *COLUMNS) == [
        (4, 2, 2, 2, day("05-01"), at("05-01 23:59:00"), at("05-02 00:01:00"), 120)
    ]


def test_a_message_nobody_held_is_a_left_message_credited_to_whoever_answers() -> None:
    log = messages(
        (5, None, "b", "h", "05-01 03:00:00"),
        (5, None, "a", "auto", "05-01 03:00:01"),
        (5, 1, "a", "h", "05-01 08:10:00"),
    )
    out = kpis(log, as_of=AS_OF).rounds
    assert rows(out, *COLUMNS, "left") == [
        (5, None, 1, 1, day("05-01"), at("05-01 03:00:00"), at("05-01 08:10:00"), 18600, True)
    ]


def test_recalls_and_system_lines_neither_start_nor_end_a_round() -> None:
    log = messages(
        (6, 1, "b", "h", "05-01 15:00:00"),
        (6, 1, "b", "rc", "05-01 15:00:05"),
        (6, 1, "a", "rc", "05-01 15:00:10"),
        (6, 1, "a", "sys", "05-01 15:00:11"),
        (6, 1, "a", "h", "05-01 15:00:30"),
    )
    out = kpis(log, as_of=AS_OF).rounds
    assert rows(out, "start", "wait_s", "buyer_messages") == [(at("05-01 15:00:00"), 30, 1)]


def test_in_the_same_second_the_buyer_comes_first_and_the_reply_answers() -> None:
    for log in (
        messages((7, 1, "b", "h", "05-01 16:00:00"), (7, 1, "a", "h", "05-01 16:00:00")),
        messages((7, 1, "a", "h", "05-01 16:00:00"), (7, 1, "b", "h", "05-01 16:00:00")),
    ):
        assert rows(kpis(log, as_of=AS_OF).rounds, "answered", "wait_s") == [(True, 0)]


def test_agent_ids_too_large_to_pack_give_the_same_rounds() -> None:
    log = messages(
        (1, 1, "b", "h", "05-01 10:00:00"),
        (1, 1, "a", "tr", "05-01 10:00:10", 2),
        (1, 2, "a", "h", "05-01 10:00:30"),
        (1, 2, "b", "h", "05-01 10:05:00"),
    )
    big = 1 << 40  # a sort key cannot hold it: the engine sorts the rows instead
    wide = log.with_columns(pl.col("agent_id") + big, pl.col("transfer_to") + big)
    small = kpis(log, as_of=AS_OF).rounds
    large = kpis(wide, as_of=AS_OF).rounds
    assert rows(large, "holder", "responder", "wait_s") == [
        (1 + big, 2 + big, 30),
        (2 + big, None, 13 * 3600 + 55 * 60),
    ]
    assert rows(small, "wait_s", "buyer_messages") == rows(large, "wait_s", "buyer_messages")


def test_an_agent_writing_first_starts_no_round_and_threads_are_kept_apart() -> None:
    log = messages(
        (8, 1, "a", "h", "05-01 09:00:00"),  # a chase: no buyer is waiting
        (9, 1, "b", "h", "05-01 09:00:30"),  # another buyer, never answered
        (8, 1, "b", "h", "05-01 09:01:00"),
        (8, 1, "a", "h", "05-01 09:01:20"),
    )
    out = kpis(log, as_of=AS_OF).rounds
    assert rows(out, "buyer_id", "start", "answered", "wait_s") == [
        (8, at("05-01 09:01:00"), True, 20),
        (9, at("05-01 09:00:30"), False, 14 * 3600 + 59 * 60 + 30),
    ]


def test_missing_column_is_named() -> None:
    log = messages((1, 1, "b", "h", "05-01 10:00:00")).drop("kind")
    with pytest.raises(KpiInputError, match="messages: missing column 'kind'"):
        kpis(log)


def test_naive_times_and_unknown_kinds_are_refused() -> None:
    log = messages((1, 1, "b", "h", "05-01 10:00:00"))
    with pytest.raises(KpiInputError, match="'at' must be a tz-aware Datetime"):
        kpis(log.with_columns(pl.col("at").dt.replace_time_zone(None)))
    with pytest.raises(KpiInputError, match=r"unknown values \['emoji'\]"):
        kpis(log.with_columns(pl.lit("emoji").alias("kind")))


def test_shops_are_kept_apart_and_nothing_in_gives_empty_frames() -> None:
    one_shop = messages((1, 1, "b", "h", "05-01 10:00:00"), (1, 1, "a", "h", "05-01 10:00:30"))
    other = one_shop.with_columns(
        pl.lit(99, pl.Int64).alias("shop_id"), pl.lit(5, pl.Int64).alias("agent_id")
    )
    other = other.with_columns(pl.col("at").dt.offset_by("10s"))
    out = kpis(pl.concat([other, one_shop]), as_of=AS_OF)
    assert rows(out.rounds, "shop_id", "buyer_id", "agent_id", "wait_s") == [
        (7, 1, 1, 30),
        (99, 1, 5, 30),
    ]
    assert rows(out.agent_day, "shop_id", "agent_id", "consulted") == [(7, 1, 1), (99, 5, 1)]
    empty = kpis(messages(), as_of=AS_OF)
    assert (empty.rounds.height, empty.agent_day.height, empty.facts.height) == (0, 0, 0)


def test_local_dates_follow_the_shop_s_time_zone() -> None:
    log = messages((1, 1, "b", "h", "2026-03-29 00:30:00"), (1, 1, "a", "h", "2026-03-29 00:31:00"))
    # 00:30 in Shanghai is 17:30 the day before in London, which moves to summer time that night
    out = kpis(log, as_of="2026-04-01 00:00:00", timezone="Europe/London")
    assert rows(out.rounds, "date") == [(day("2026-03-28"),)]
    late = messages(
        (1, 1, "b", "h", "2026-03-29 09:30:00"), (1, 1, "a", "h", "2026-03-29 09:31:00")
    )
    # 01:30 UTC on 29 March is 02:30 BST: the first hour after the change
    out = kpis(late, as_of="2026-04-01 00:00:00", timezone="Europe/London")
    assert rows(out.shop_hour.filter(pl.col("rounds") > 0), "date", "hour") == [
        (day("2026-03-29"), 2)
    ]
