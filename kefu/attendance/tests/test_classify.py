"""The pure classifier, with exact values per regime (no database)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest

from kefu.attendance.engine import (
    Absence,
    Punch,
    Shift,
    ShiftResult,
    classify,
    month_summary,
)
from kefu.performance.engine import Fact, Month, month_rules_apply
from kefu.policy.documents import load_preset
from kefu.policy.schema import Policy

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
AFTER_MONTH = dt.datetime(2026, 2, 2, 12, 0, tzinfo=SH)


def at(day: int, hour: int, minute: int = 0, second: int = 0, month: int = 1) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, second, tzinfo=SH)


def day_shift(day: int, agent: str = "a1") -> Shift:
    """S4.1's day shift 08:00-17:30."""
    return Shift(agent, dt.date(2026, 1, day), "day", at(day, 8), at(day, 17, 30), "白班")


def night_shift(day: int, agent: str = "a1") -> Shift:
    """S4.1's night shift 16:00-01:00, crossing midnight."""
    return Shift(
        agent, dt.date(2026, 1, day), "night", at(day, 16), at(day + 1, 1), "晚班", night=True
    )


def punches(*times: dt.datetime, agent: str = "a1") -> list[Punch]:
    return [Punch(f"p{i}", agent, t) for i, t in enumerate(times, start=1)]


def run(
    preset: str,
    shifts: list[Shift],
    punch_list: list[Punch],
    absences: dict[str, Absence] | None = None,
    as_of: dt.datetime = AFTER_MONTH,
) -> tuple[Policy, list[ShiftResult]]:
    policy = load_preset(preset)
    results, _ = classify(
        shifts,
        punch_list,
        rules_for=lambda _day: policy.attendance,
        absences=absences or {},
        as_of=as_of,
    )
    return policy, results


def facts_of(results: list[ShiftResult]) -> list[tuple[str, str, int | None, bool]]:
    return [
        (r.shift.local_date.isoformat(), f.key, f.minutes, f.excused)
        for r in results
        for f in r.facts
    ]


def engine_facts(results: list[ShiftResult]) -> list[Fact]:
    return [
        Fact(
            id=f"{r.shift.ref}:{f.side}",
            agent_id=r.shift.agent_id,
            fact=f.key,
            at=f.at,
            local_date=f.local_date,
            minutes=f.minutes,
        )
        for r in results
        for f in r.facts
    ]


def test_on_time_shift_is_ok_and_the_first_minute_is_on_time() -> None:
    _, results = run("taobao-s1", [day_shift(5)], punches(at(5, 8, 0, 59), at(5, 17, 30)))
    assert [r.status for r in results] == ["ok"]
    assert results[0].late_minutes == 0
    assert facts_of(results) == []


def test_s1_two_free_latenesses_of_up_to_10_minutes_then_fines() -> None:
    shifts = [day_shift(d) for d in (5, 6, 7, 8)]
    plist = punches(
        at(5, 8, 10), at(5, 17, 30),  # 10 min: free (1st)
        at(6, 8, 11), at(6, 17, 30),  # 11 min: over 10, never free
        at(7, 8, 3), at(7, 17, 30),  # 3 min: free (2nd)
        at(8, 8, 2), at(8, 17, 30),  # 2 min: the third short one, fined
    )  # fmt: skip
    policy, results = run("taobao-s1", shifts, plist)
    assert facts_of(results) == [
        ("2026-01-05", "late", 10, True),
        ("2026-01-06", "late", 11, False),
        ("2026-01-07", "late", 3, True),
        ("2026-01-08", "late", 2, False),
    ]
    outcome = month_rules_apply(policy=policy, facts=engine_facts(results), month=Month(2026, 1))
    fines = outcome.agents["a1"].fines
    assert [(f.amount, f.fact_ids) for f in fines] == [
        (Decimal("20"), ("a1:2026-01-06:day:in",)),
        (Decimal("20"), ("a1:2026-01-08:day:in",)),
    ]
    summary = month_summary(
        results,
        agent_id="a1",
        year=2026,
        month=1,
        absence=Absence(),
        rules=policy.attendance,
        month_over=True,
    )
    assert (summary.late, summary.late_excused, summary.full_attendance) == (4, 2, False)
    assert summary.breaches == ("no_late",)


def test_s1_grace_counts_per_natural_month() -> None:
    shifts = [
        day_shift(30),
        day_shift(31),
        Shift("a1", dt.date(2026, 2, 2), "day", at(2, 8, month=2), at(2, 17, 30, month=2)),
    ]
    plist = punches(
        at(30, 8, 5), at(30, 17, 30), at(31, 8, 5), at(31, 17, 30),
        at(2, 8, 5, month=2), at(2, 17, 30, month=2),
    )  # fmt: skip
    _, results = run("taobao-s1", shifts, plist, as_of=dt.datetime(2026, 3, 1, tzinfo=SH))
    assert [f[3] for f in facts_of(results)] == [True, True, True]


def test_s3_late_is_half_a_point_over_30_minutes_an_absence_unapproved_rest_absenteeism() -> None:
    shifts = [day_shift(d) for d in (5, 6, 7, 8)]
    plist = punches(
        at(5, 8, 30), at(5, 17, 30),  # 30 min late: still a lateness
        at(6, 8, 31), at(6, 17, 30),  # 31 min late: an absence
        # the 7th: no punch, no leave: absenteeism
        at(8, 8, 0), at(8, 17, 30),
    )  # fmt: skip
    policy, results = run("pdd-s3", shifts, plist)
    assert [r.status for r in results] == ["late", "absence", "absenteeism", "ok"]
    assert facts_of(results) == [
        ("2026-01-05", "late", 30, False),
        ("2026-01-06", "absence", 31, False),
        ("2026-01-07", "absenteeism", None, False),
    ]
    outcome = month_rules_apply(policy=policy, facts=engine_facts(results), month=Month(2026, 1))
    points = [(p.points, p.fact_ids[0].split(":")[1]) for p in outcome.agents["a1"].points]
    assert points == [
        (Decimal("-0.5"), "2026-01-05"),
        (Decimal("-2"), "2026-01-06"),
        (Decimal("-5"), "2026-01-07"),
    ]
    assert outcome.agents["a1"].score == Decimal("2.5")


def test_s3_forgotten_sign_in_counts_as_a_swap_day() -> None:
    policy, results = run("pdd-s3", [day_shift(5)], punches(at(5, 17, 35)))
    assert results[0].status == "forgotten_sign_in"
    assert facts_of(results) == []
    summary = month_summary(
        results,
        agent_id="a1",
        year=2026,
        month=1,
        absence=Absence(),
        rules=policy.attendance,
        month_over=True,
    )
    assert (summary.swap_days, summary.full_attendance) == (1, True)


def test_a_missing_punch_without_a_forgotten_sign_in_rule_is_only_shown() -> None:
    _, results = run("taobao-s1", [day_shift(5)], punches(at(5, 7, 55)))
    assert results[0].status == "missing_punch"
    assert facts_of(results) == []


def test_s4_5_late_and_early_leave_are_priced_2_to_5_points() -> None:
    policy, results = run("taobao-s4-points", [day_shift(5)], punches(at(5, 8, 12), at(5, 17, 0)))
    assert results[0].status == "late_and_early"
    assert (results[0].late_minutes, results[0].early_minutes) == (12, 30)
    assert facts_of(results) == [
        ("2026-01-05", "late", 12, False),
        ("2026-01-05", "early_leave", 30, False),
    ]
    outcome = month_rules_apply(policy=policy, facts=engine_facts(results), month=Month(2026, 1))
    entries = [e for e in outcome.agents["a1"].points if e.points < 0]  # not the +5 bonus
    # The catalogue's 迟到、早退 2-5: the low end until the supervisor chooses.
    assert [(e.points, e.pending_choice) for e in entries] == [
        (Decimal("-2"), True),
        (Decimal("-2"), True),
    ]


def test_s4_5_early_leave_over_30_minutes_is_an_absence_when_priced_like_a_lateness() -> None:
    _, results = run("taobao-s4-points", [day_shift(5)], punches(at(5, 8), at(5, 16, 59)))
    assert facts_of(results) == [("2026-01-05", "absence", 31, False)]


def test_a_night_shift_crossing_midnight_belongs_to_the_day_it_started() -> None:
    shifts = [night_shift(5), night_shift(6)]
    plist = punches(at(5, 16, 4), at(6, 1, 2), at(6, 15, 58), at(7, 0, 40))
    _, results = run("taobao-s4-fines", shifts, plist)
    assert [(r.shift.local_date.day, r.status) for r in results] == [
        (5, "late"),
        (6, "early_leave"),
    ]
    assert [(r.clock_in.id, r.clock_out.id) for r in results] == [("p1", "p2"), ("p3", "p4")]  # type: ignore[union-attr]
    assert facts_of(results) == [
        ("2026-01-05", "late", 4, False),
        ("2026-01-06", "early_leave", 20, False),
    ]
    # The early leave happened on the 7th but counts on the 6th, the shift's day.
    assert results[1].facts[0].at == at(7, 0, 40)


def test_a_shift_is_pending_until_its_punch_window_closes() -> None:
    _, results = run("taobao-s1", [day_shift(5)], punches(at(5, 8, 20)), as_of=at(5, 18))
    assert results[0].status == "pending"
    assert facts_of(results) == []


def test_leave_and_swap_days_are_counted_and_leave_breaks_full_attendance() -> None:
    shifts = [day_shift(5), day_shift(6), day_shift(7)]
    plist = punches(at(6, 8), at(6, 17, 30), at(7, 8), at(7, 17, 30))
    absence = Absence(
        leave=frozenset({dt.date(2026, 1, 5), dt.date(2026, 1, 20)}),
        swap=frozenset({dt.date(2026, 1, 6)}),
    )
    policy, results = run("taobao-s4-fines", shifts, plist, {"a1": absence})
    # The swap day is worked (the roster shows the exchanged shift): counted, not excused.
    assert [r.status for r in results] == ["leave", "ok", "ok"]
    assert facts_of(results) == []
    summary = month_summary(
        results,
        agent_id="a1",
        year=2026,
        month=1,
        absence=absence,
        rules=policy.attendance,
        month_over=True,
    )
    assert (summary.leave_days, summary.swap_days) == (2, 1)
    assert (summary.full_attendance, summary.breaches) == (False, ("no_leave",))


def test_s3_leave_beyond_the_swap_allowance_is_an_absence() -> None:
    absence = Absence(
        leave=frozenset({dt.date(2026, 1, 5)}), over_allowance=frozenset({dt.date(2026, 1, 5)})
    )
    _, results = run("pdd-s3", [day_shift(5)], [], {"a1": absence})
    assert results[0].status == "leave"
    assert facts_of(results) == [("2026-01-05", "absence", None, False)]


@pytest.mark.parametrize(
    ("preset", "met"),
    [("taobao-s4-fines", True), ("taobao-s1", True)],
)
def test_full_attendance_is_decided_when_the_month_is_over(preset: str, met: bool) -> None:
    shifts = [day_shift(5), day_shift(6)]
    plist = punches(at(5, 7, 58), at(5, 17, 31), at(6, 8), at(6, 17, 30))
    policy, results = run(preset, shifts, plist)
    common = {"agent_id": "a1", "year": 2026, "month": 1, "absence": Absence()}
    during = month_summary(results, **common, rules=policy.attendance, month_over=False)
    after = month_summary(results, **common, rules=policy.attendance, month_over=True)
    assert (during.full_attendance, after.full_attendance) == (None, met)
    assert after.shifts == 2


def test_punches_go_to_the_nearest_shift_of_their_agent_only() -> None:
    shifts = [day_shift(5, "a1"), day_shift(5, "a2")]
    plist = punches(at(5, 8), at(5, 17, 30)) + punches(at(5, 8, 7), at(5, 17, 30), agent="a2")
    _, results = run("taobao-s4-fines", shifts, plist)
    assert [(r.shift.agent_id, r.status, r.late_minutes) for r in results] == [
        ("a1", "ok", 0),
        ("a2", "late", 7),
    ]


def test_web_punch_directions_are_respected() -> None:
    plist = [
        Punch("w1", "a1", at(5, 7, 50), "in"),
        Punch("w2", "a1", at(5, 9, 0), "in"),
        Punch("w3", "a1", at(5, 17, 40), "out"),
    ]
    _, results = run("taobao-s4-fines", [day_shift(5)], plist)
    assert (results[0].clock_in.id, results[0].clock_out.id) == ("w1", "w3")  # type: ignore[union-attr]
    assert results[0].status == "ok"


def test_a_lone_out_punch_before_the_shift_middle_is_still_an_out() -> None:
    _, results = run("taobao-s1", [day_shift(5)], [Punch("w1", "a1", at(5, 9), "out")])
    assert results[0].clock_in is None
    assert results[0].early_minutes == 510
    assert [f.key for f in results[0].facts] == ["early_leave"]
