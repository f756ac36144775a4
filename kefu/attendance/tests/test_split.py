"""Split shifts (S4.4's night 10:00-14:00 + 17:30-23:00, from the dongyao-s4 preset): each part
is judged on its own start and end; the gap is not early leave; a part not worked at all is
leaving one's post (旷工 under `absenteeism.leaving_without_swap`, else 缺勤)."""

from __future__ import annotations

import datetime as dt

import pytest

from kefu.attendance.engine import Punch, Shift
from kefu.attendance.services import attendance_facts_record
from kefu.attendance.tests.support import agent_in, freeze, machine_punch, shop_under
from kefu.attendance.tests.test_classify import at, facts_of, punches, run
from kefu.performance.models import Fact
from kefu.policy.models import PolicyVersion
from kefu.rota.choices import RosterStatus
from kefu.rota.models import Roster, RosterShift


def split_night(day: int, agent: str = "a1") -> Shift:
    first = (at(day, 10), at(day, 14))
    second = (at(day, 17, 30), at(day, 23))
    return Shift(
        agent,
        dt.date(2026, 1, day),
        "night",
        first[0],
        second[1],
        "晚班",
        night=True,
        parts=(first, second),
    )


def sides(results) -> list[tuple[str, str, int | None]]:  # type: ignore[no-untyped-def]
    return [(f.side, f.key, f.minutes) for r in results for f in r.facts]


def test_four_punches_on_time_is_ok_and_the_gap_is_no_early_leave() -> None:
    _, results = run(
        "dongyao-s4",
        [split_night(5)],
        punches(at(5, 9, 58), at(5, 14, 0, 30), at(5, 17, 29), at(5, 23, 2)),
    )
    assert [r.status for r in results] == ["ok"]
    assert sides(results) == []


def test_lateness_is_judged_per_part() -> None:
    _, results = run(
        "dongyao-s4",
        [split_night(5)],
        punches(at(5, 10, 6), at(5, 13, 50), at(5, 17, 42), at(5, 23)),
    )
    assert results[0].status == "late_and_early"
    assert sides(results) == [("in", "late", 6), ("out", "early_leave", 10), ("in2", "late", 12)]
    assert (results[0].late_minutes, results[0].early_minutes) == (18, 10)
    second = results[0].facts[2]
    assert second.evidence["part"] == 2
    assert second.evidence["part_starts_at"] == "2026-01-05T17:30:00+08:00"
    assert second.evidence["part_clock_in"] == {"id": "p3", "at": "2026-01-05T17:42:00+08:00"}


def test_punching_only_at_the_first_start_and_the_last_end_is_enough() -> None:
    _, results = run("dongyao-s4", [split_night(5)], punches(at(5, 9, 55), at(5, 23, 1)))
    assert [r.status for r in results] == ["ok"]


def test_a_part_not_worked_is_leaving_the_post() -> None:
    policy, results = run("dongyao-s4", [split_night(5)], punches(at(5, 9, 59), at(5, 14, 1)))
    assert policy.attendance.absenteeism.leaving_without_swap is True
    assert results[0].status == "absenteeism"
    assert sides(results) == [("part2", "absenteeism", 330)]
    assert results[0].facts[0].evidence["reason"] == "part_missed"
    assert results[0].facts[0].clause == "S4.4 §2.5；S3 §3(3)（借用）"
    # Under a regime without that rule (S4.1) the same is an absence.
    _, results = run("taobao-s4-fines", [split_night(5)], punches(at(5, 9, 59), at(5, 14, 1)))
    assert facts_of(results) == [("2026-01-05", "absence", 330, False)]


def test_a_late_return_after_the_gap_beyond_30_minutes_is_an_absence() -> None:
    _, results = run(
        "dongyao-s4",
        [split_night(5)],
        [Punch("p1", "a1", at(5, 10), "in"), Punch("p2", "a1", at(5, 14), "out"),
         Punch("p3", "a1", at(5, 18, 5), "in"), Punch("p4", "a1", at(5, 23), "out")],
    )  # fmt: skip
    assert sides(results) == [("in2", "absence", 35)]


@pytest.mark.django_db
def test_the_roster_templates_parts_reach_the_classifier_and_the_facts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    freeze(monkeypatch, at(7, 9))
    shop = shop_under("dongyao-s4")
    mei = agent_in(shop, "小美")
    roster = Roster.objects.create(
        shop=shop,
        month="2026-01",
        status=RosterStatus.PUBLISHED,
        policy_version=PolicyVersion.objects.get(shop=shop),
        shift_templates={
            "night": {"label": "晚班", "parts": [[600, 840], [1050, 1380]], "night": True}
        },
    )
    RosterShift.objects.create(
        shop=shop, roster=roster, agent=mei, local_date=dt.date(2026, 1, 5), shift_key="night"
    )
    for when in (at(5, 10), at(5, 14), at(5, 17, 45), at(5, 23)):
        machine_punch(shop, mei, when)
    assert attendance_facts_record(shop=shop, day=dt.date(2026, 1, 6)) == 1
    fact = Fact.objects.get()
    assert (fact.key, fact.minutes, fact.source_ref) == (
        "late",
        15,
        f"shift:{mei.pk}:2026-01-05:night:in2",
    )
