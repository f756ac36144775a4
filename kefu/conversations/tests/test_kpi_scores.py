"""The four marketplace service scores: windows, exclusions and the rolling period."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kefu.conversations.kpi import ScoreSettings
from kefu.conversations.kpi.engine import DayKpis
from kefu.conversations.tests.kpi_rows import day, kpis, messages, one, rows

EIGHT_TO_ELEVEN = (8 * 60, 23 * 60)
SCORES = (
    ScoreSettings("taobao_3min", EIGHT_TO_ELEVEN, Decimal("0.90"), min_rounds=5, days=30),
    ScoreSettings("jd_30s", (9 * 60, 23 * 60), Decimal("0.80"), days=30),
    ScoreSettings("pdd_valid_reply", EIGHT_TO_ELEVEN, Decimal("0.60"), days=1),
    ScoreSettings("douyin_3min", EIGHT_TO_ELEVEN, Decimal("0.50"), min_rounds=100, days=30),
)


@pytest.fixture(scope="module")
def scored() -> DayKpis:
    log = messages(
        (1, 1, "b", "h", "05-01 07:59:30"),  # before every window
        (1, 1, "a", "h", "05-01 08:00:10"),
        (1, 1, "b", "h", "05-01 09:30:00"),  # two messages in one wait: 210 s and 150 s
        (1, 1, "b", "h", "05-01 09:31:00"),
        (1, 1, "a", "h", "05-01 09:33:30"),
        (2, 1, "b", "h", "05-01 08:30:00"),  # JD: this session starts before 09:00
        (2, 1, "a", "h", "05-01 08:30:20"),
        (2, 1, "b", "h", "05-01 10:00:00"),  # answered after more than an hour
        (2, 1, "a", "h", "05-01 11:05:00"),
        (3, 2, "b", "h", "05-01 09:10:00"),
        (3, 2, "a", "h", "05-01 09:10:25"),
        (4, None, "b", "h", "05-01 09:20:00"),  # 留言: nobody online
        (4, 1, "a", "h", "05-01 09:20:10"),
        (5, 2, "b", "h", "05-01 22:59:59"),  # inside, never answered
        (6, 2, "b", "h", "05-01 23:00:00"),  # the window's end is excluded
        (6, 2, "a", "h", "05-01 23:00:05"),
        (7, 1, "b", "h", "05-02 10:00:00"),
        (7, 1, "a", "h", "05-02 10:00:10"),
    )
    return kpis(log, as_of="05-03 00:00:00", scores=SCORES)


COLUMNS = ("date", "numerator", "denominator", "period_numerator", "period_denominator")


def test_taobao_counts_rounds_starting_in_the_window(scored: DayKpis) -> None:
    out = scored.scores.filter(kind="taobao_3min")
    assert rows(out, *COLUMNS, "exempt", "meets_target") == [
        (day("05-01"), 3, 6, 3, 6, False, False),
        (day("05-02"), 1, 1, 4, 7, False, False),
    ]
    assert one(out, date=day("05-01"))["rate"] == 0.5


def test_jd_counts_first_rounds_in_the_window_without_left_messages(scored: DayKpis) -> None:
    out = scored.scores.filter(kind="jd_30s")
    assert rows(out, *COLUMNS, "meets_target") == [
        (day("05-01"), 1, 2, 1, 2, False),
        (day("05-02"), 1, 1, 2, 3, False),
    ]
    # 平均响应时长: answered, non-left rounds starting 09:00-23:00: 210, 3900 and 25 s
    assert one(out, date=day("05-01"))["avg_response_s"] == 4135 / 3


def test_pdd_counts_each_buyer_once_a_day(scored: DayKpis) -> None:
    out = scored.scores.filter(kind="pdd_valid_reply")
    # buyers 1, 3, 4 valid; 2 (answered after an hour) and 5 (unanswered) not; days=1;
    # 3/5 is exactly the 0.60 target, which meets it
    assert rows(out, *COLUMNS, "meets_target") == [
        (day("05-01"), 3, 5, 3, 5, True),
        (day("05-02"), 1, 1, 1, 1, True),
    ]


def test_douyin_counts_buyer_messages(scored: DayKpis) -> None:
    out = scored.scores.filter(kind="douyin_3min")
    assert rows(out, *COLUMNS, "exempt", "meets_target") == [
        (day("05-01"), 4, 7, 4, 7, True, None),
        (day("05-02"), 1, 1, 5, 8, True, None),
    ]


def test_no_scores_in_the_policy_gives_an_empty_frame() -> None:
    log = messages((1, 1, "b", "h", "05-01 10:00:00"))
    assert kpis(log).scores.is_empty()
