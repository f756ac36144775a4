"""Each kind of bad input yields exactly the expected `path: message` lines."""

from __future__ import annotations

from typing import Any

import pytest

from kefu.policy.documents import (
    PolicyError,
    UnknownPreset,
    load_policy_file,
    load_policy_text,
    load_preset,
    policy_from_data,
    policy_to_data,
    set_path,
)


@pytest.fixture(scope="module")
def base() -> dict[str, Any]:
    return policy_to_data(load_preset("taobao-s4-fines"))


def errors(data: dict[str, Any]) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        policy_from_data(data)
    return caught.value.lines


def edited(base: dict[str, Any], *changes: tuple[str, Any]) -> dict[str, Any]:
    for path, value in changes:
        base = set_path(base, path, value)
    return base


def test_wrong_type(base):
    assert errors(edited(base, ("weekly_summary.min_chars", "many"))) == [
        "weekly_summary.min_chars: Input should be a valid integer"
    ]


def test_unknown_key_lists_the_allowed_keys(base):
    assert errors(edited(base, ("weekly_summary.colour", "red"))) == [
        "weekly_summary.colour: unknown key; allowed here: "
        "clause, required, due, min_chars, channel, meeting"
    ]


def test_unknown_key_inside_a_tagged_entry(base):
    assert errors(edited(base, ("fines.rules.3.amountz", "5"))) == [
        "fines.rules.3.amountz: unknown key; allowed here: "
        "clause, fact, period, grace, also, form, amount"
    ]


def test_time_25_00(base):
    assert errors(edited(base, ("schedule.shifts.early.parts", [["08:00", "25:00"]]))) == [
        "schedule.shifts.early.parts.0.1: "
        "25:00 is not a time of day (00:00-23:59, or 24:00 for the end of the day)"
    ]


def test_time_written_badly(base):
    assert errors(edited(base, ("orders.unpaid_reminder.at", "4pm"))) == [
        "orders.unpaid_reminder.at: a time must be written \"HH:MM\", got '4pm'"
    ]


def test_shift_ending_before_it_starts_without_crossing_midnight(base):
    assert errors(edited(base, ("schedule.shifts.late.crosses_midnight", False))) == [
        "schedule.shifts.late.parts.0: ends before it starts (16:00-01:00); "
        "a shift that runs past midnight needs crosses_midnight: true"
    ]


def test_only_the_last_part_may_cross_midnight(base):
    parts = [["22:00", "02:00"], ["03:00", "05:00"]]
    assert errors(edited(base, ("schedule.shifts.late.parts", parts))) == [
        "schedule.shifts.late.parts.0: only the last part may cross midnight (22:00-02:00)"
    ]


def test_crosses_midnight_without_a_part_after_midnight(base):
    assert errors(edited(base, ("schedule.shifts.early.crosses_midnight", True))) == [
        "schedule.shifts.early.crosses_midnight: "
        "is true but no part ends after midnight (its last part must end before it starts)"
    ]


def test_end_of_day_is_24_00(base):
    policy = policy_from_data(edited(base, ("schedule.shifts.early.parts", [["18:00", "24:00"]])))
    assert policy.schedule.shifts["early"].spans() == [(1080, 1440)]


def test_tiers_out_of_order(base):
    commission = {
        "basis": "department_sales",
        "tiers": [
            {"up_to": "200000", "rate": "0.01"},
            {"up_to": "100000", "rate": "0.02"},
            {"rate": "0.03"},
        ],
        "clause": "S4.5",
    }
    assert errors(edited(base, ("pay.commission", commission))) == [
        "pay.commission.tiers.1.up_to: must be greater than the tier before (200000); "
        "tiers go in order"
    ]


def test_tiers_open_in_the_middle_and_closed_at_the_end(base):
    commission = {
        "basis": "department_sales",
        "tiers": [{"rate": "0.01"}, {"up_to": "100000", "rate": "0.02"}],
        "clause": "S4.5",
    }
    assert errors(edited(base, ("pay.commission", commission))) == [
        "pay.commission.tiers.0.up_to: only the last tier may be open",
        "pay.commission.tiers.1.up_to: the last tier must be open (no up_to)",
    ]


def test_flat_rate_and_tiers_together(base):
    commission = {
        "basis": "personal_sales",
        "flat_rate": "0.005",
        "tiers": [{"rate": "0.01"}],
        "clause": "S1 §3",
    }
    assert errors(edited(base, ("pay.commission", commission))) == [
        "pay.commission: give exactly one of flat_rate or tiers"
    ]


def test_float_money_is_refused(base):
    assert errors(edited(base, ("fines.rules.0.amounts", [30.5, "50"]))) == [
        'fines.rules.0.amounts.0: money must be written as a string, e.g. "30"; '
        "a float such as 30.5 is not exact"
    ]


def test_float_rate_is_refused(base):
    commission = {"basis": "personal_sales", "flat_rate": 0.005, "clause": "S1 §3"}
    assert errors(edited(base, ("pay.commission", commission))) == [
        'pay.commission.flat_rate: a rate must be written as a string, e.g. "0.005"; '
        "a float such as 0.005 is not exact"
    ]


def test_missing_clause_and_empty_clause(base):
    assert errors(edited(base, ("handover", {"where": "交接本"}))) == ["handover.clause: required"]
    assert errors(edited(base, ("handover.clause", "  "))) == [
        "handover.clause: a rule must name the clause it comes from, e.g. 'S4.1 §1'"
    ]


def test_unknown_escalation_form(base):
    assert errors(edited(base, ("fines.rules.0.form", "weird"))) == [
        "fines.rules.0.form: unknown form weird; one of: each, list, doubling, threshold"
    ]


def test_unknown_fact(base):
    assert errors(edited(base, ("fines.rules.1.fact", "handover_missin"))) == [
        "fines.rules.1.fact: unknown fact 'handover_missin'; "
        "the known facts are listed in docs/policy.md"
    ]


def test_the_same_fact_priced_twice(base):
    assert errors(edited(base, ("fines.rules.1.fact", "handover_missing"))) == [
        "fines.rules.1.fact: handover_missing is already priced by rules.0"
    ]


def test_coverage_and_roster_rules_name_defined_shifts(base):
    data = edited(
        base,
        ("schedule.coverage.weekday", {"early": 1, "nightx": 2}),
        ("schedule.rules.0.next_day_forbidden", ["early", "dayx"]),
    )
    assert errors(data) == [
        "schedule.coverage.weekday.nightx: unknown shift 'nightx' (shifts: early, late)",
        "schedule.rules.0.next_day_forbidden.1: unknown shift 'dayx' (shifts: early, late)",
    ]


def test_hundred_point_parts_must_sum_to_the_total(base):
    assert errors(edited(base, ("points.scale.parts.team_task", 40))) == [
        "points.scale.parts: the parts add up to 110, not the total 100"
    ]


def test_point_range_backwards():
    data = policy_to_data(load_preset("taobao-s4-points"))
    assert errors(set_path(data, "points.catalogue.9.points", "5-2")) == [
        "points.catalogue.9.points: the range 5-2 runs backwards: the low end comes first"
    ]


def test_level_ladder_must_rise(base):
    data = edited(base, ("levels.ladder.2.min_tenure_months", 3))
    assert errors(data) == [
        "levels.ladder.2.min_tenure_months: must be more than the level before (3)"
    ]


def test_guarantee_tier_names_a_known_level(base):
    assert errors(edited(base, ("pay.guaranteed_minimum.tiers.0.levels", ["trainee"]))) == [
        "pay.guaranteed_minimum.tiers.0.levels.0: unknown level 'trainee' "
        "(levels: junior, intermediate, senior, veteran)"
    ]


def test_flag_colour_means_one_thing(base):
    assert errors(edited(base, ("orders.flags.special_request.colour", "blue"))) == [
        "orders.unpaid_reminder.mark_flag: blue is already used by flags.special_request"
    ]


def test_several_errors_are_all_reported(base):
    data = edited(
        base,
        ("shop.platform", "ebay"),
        ("schedule.rest.days_per_month", -1),
        ("handover.extra", True),
    )
    assert errors(data) == [
        "shop.platform: Input should be 'taobao', 'tmall', 'jd', 'pdd', 'douyin' or 'kuaishou'",
        "schedule.rest.days_per_month: Input should be greater than or equal to 0",
        "handover.extra: unknown key; allowed here: "
        "clause, required_each_shift, where, read_first, leave_key_orders",
    ]


def test_yaml_syntax_error_names_the_line():
    with pytest.raises(PolicyError) as caught:
        load_policy_text("meta:\n  name: x\n  title: [oops\n", source="bad.yaml")
    assert caught.value.lines == [
        "bad.yaml: YAML syntax error at line 4, column 1: "
        "expected ',' or ']', but got '<stream end>'"
    ]


def test_yaml_duplicate_key_is_an_error():
    with pytest.raises(PolicyError) as caught:
        load_policy_text("meta: {}\nshop: {}\nmeta: {}\n", source="dup.yaml")
    assert caught.value.lines == [
        "dup.yaml: YAML syntax error at line 3, column 1: duplicate key 'meta'"
    ]


def test_document_must_be_a_mapping():
    with pytest.raises(PolicyError) as caught:
        load_policy_text("- a\n- b\n")
    assert caught.value.lines == [
        "(policy): a policy is a mapping of sections (meta, shop, schedule, ...)"
    ]


def test_missing_file(tmp_path):
    with pytest.raises(PolicyError) as caught:
        load_policy_file(tmp_path / "nope.yaml")
    assert caught.value.lines == [f"{tmp_path / 'nope.yaml'}: no such file"]


def test_unknown_preset_names_the_known_ones():
    with pytest.raises(UnknownPreset) as caught:
        load_preset("taobao-s9")
    assert caught.value.message == (
        "unknown preset 'taobao-s9'; known presets: dongyao-s4, pdd-s3, taobao-s1, "
        "taobao-s4-fines, taobao-s4-points, taobao-s4-standard, tmall-s0, workflow-s2"
    )
