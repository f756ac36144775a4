import datetime as dt

import pytest

from kefu.staff.tenure import LevelStep, add_months, level_eligibility, whole_months_between

# S4.5: intermediate after 3 months as junior, senior after 1 year, veteran after 2 years.
LADDER = [
    LevelStep("junior", "初级", 0),
    LevelStep("intermediate", "中级", 3),
    LevelStep("senior", "高级", 12),
    LevelStep("veteran", "资深", 24),
]


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2026, 11, 15), 3, dt.date(2027, 2, 15)),
        (dt.date(2026, 3, 31), -1, dt.date(2026, 2, 28)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(start, months, expected) -> None:
    assert add_months(start, months) == expected


def test_whole_months_count_only_completed_months() -> None:
    assert whole_months_between(dt.date(2026, 1, 15), dt.date(2026, 4, 14)) == 2
    assert whole_months_between(dt.date(2026, 1, 15), dt.date(2026, 4, 15)) == 3
    assert whole_months_between(dt.date(2026, 5, 1), dt.date(2026, 4, 1)) == 0


def test_a_junior_of_three_months_is_due_intermediate() -> None:
    result = level_eligibility(
        hire_date=dt.date(2026, 8, 22),
        current_level="junior",
        ladder=LADDER,
        on=dt.date(2026, 11, 22),
    )
    assert result.tenure_months == 3
    assert result.eligible.key == "intermediate"
    assert result.promotion_due is True
    assert result.next_level is not None and result.next_level.key == "senior"
    assert result.next_on == dt.date(2027, 8, 22)


def test_a_junior_of_two_months_waits_until_the_third() -> None:
    result = level_eligibility(
        hire_date=dt.date(2026, 9, 6),
        current_level="junior",
        ladder=LADDER,
        on=dt.date(2026, 11, 22),
    )
    assert (result.tenure_months, result.eligible.key, result.promotion_due) == (2, "junior", False)
    assert result.next_on == dt.date(2026, 12, 6)


def test_a_veteran_has_no_next_level() -> None:
    result = level_eligibility(
        hire_date=dt.date(2023, 1, 1),
        current_level="veteran",
        ladder=LADDER,
        on=dt.date(2026, 11, 22),
    )
    assert (result.eligible.key, result.promotion_due, result.next_level, result.next_on) == (
        "veteran",
        False,
        None,
        None,
    )


def test_an_unknown_current_level_is_flagged_for_review() -> None:
    result = level_eligibility(
        hire_date=dt.date(2026, 1, 1),
        current_level="trainee",
        ladder=LADDER,
        on=dt.date(2026, 11, 22),
    )
    assert result.current is None and result.promotion_due is True


def test_an_empty_ladder_is_an_error() -> None:
    with pytest.raises(ValueError, match="ladder is empty"):
        level_eligibility(
            hire_date=dt.date(2026, 1, 1),
            current_level="junior",
            ladder=[],
            on=dt.date(2026, 11, 22),
        )
