"""YAML reading and writing, diffs and dotted-path edits."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kefu.policy.documents import (
    Change,
    PolicyError,
    dump_policy,
    load_preset,
    load_ref,
    parse_yaml,
    policy_diff,
    policy_from_data,
    policy_to_data,
    set_path,
)


def test_yaml_reads_times_as_text_and_only_true_false_as_booleans():
    data = parse_yaml("a: 17:30\nb: 08:00\nc: yes\nd: true\ne: 30\nf: 0.5\ng: 1_000\n")
    assert data == {
        "a": "17:30",
        "b": "08:00",
        "c": "yes",
        "d": True,
        "e": 30,
        "f": 0.5,
        "g": "1_000",
    }


def test_dump_quotes_times_and_money():
    text = dump_policy(load_preset("taobao-s4-fines"))
    assert "      parts: [['16:00', '01:00']]\n" in text
    assert "    amounts: ['30', '50', '80']\n" in text
    assert "    start: '08:00'\n" in text


def test_money_is_decimal_and_dumped_as_string():
    policy = load_preset("taobao-s1")
    assert policy.pay.commission is not None
    assert isinstance(policy.pay.commission.flat_rate, Decimal)
    data = policy_to_data(policy)
    assert data["pay"]["commission"] == {
        "basis": "personal_sales",
        "flat_rate": "0.005",
        "clause": "S1 §3 提成：个人销售业绩的百分之零点五",
    }
    assert data["pay"]["base"]["by_level"]["junior"] == "1500"


def test_points_dump_as_number_or_range():
    data = policy_to_data(load_preset("taobao-s4-points"))
    items = {item["item"]: item["points"] for item in data["points"]["catalogue"]}
    assert items["late_or_early"] == "2-5"
    assert items["handover_missing"] == 5
    assert policy_to_data(load_preset("pdd-s3"))["points"]["catalogue"][0]["points"] == "0.5"


def test_policy_diff_exact_output():
    before = load_preset("taobao-s4-fines")
    data = policy_to_data(before)
    data = set_path(data, "fines.rules.0.amounts.1", "60")
    data = set_path(data, "weekly_summary.min_chars", 300)
    data = set_path(data, "schedule.shifts.late.extends_while_serving", False)
    after = policy_from_data(data)
    changes = policy_diff(before, after)
    assert changes == [
        Change("schedule.shifts.late.extends_while_serving", True, False),
        Change("weekly_summary.min_chars", 200, 300),
        Change("fines.rules.0.amounts", ["30", "50", "80"], ["30", "60", "80"]),
    ]
    assert [str(c) for c in changes] == [
        "schedule.shifts.late.extends_while_serving: true -> false",
        "weekly_summary.min_chars: 200 -> 300",
        'fines.rules.0.amounts: ["30", "50", "80"] -> ["30", "60", "80"]',
    ]
    assert policy_diff(before, before) == []


def test_policy_diff_entries_added_and_removed():
    before = load_preset("taobao-s4-fines")
    data = policy_to_data(before)
    extra = {"fact": "late", "form": "each", "amount": "20", "clause": "S1 §1"}
    after = policy_from_data(set_path(data, "fines.rules.6", extra))
    assert policy_diff(before, after) == [
        Change(
            "fines.rules.6",
            None,
            {
                "form": "each",
                "fact": "late",
                "period": "month",
                "grace": 0,
                "amount": "20",
                "clause": "S1 §1",
            },
        )
    ]
    assert policy_diff(after, before)[0].path == "fines.rules.6"
    assert policy_diff(after, before)[0].new is None


def test_set_path_errors():
    data = policy_to_data(load_preset("taobao-s4-fines"))
    with pytest.raises(PolicyError) as caught:
        set_path(data, "fines.rules.9.amount", "5")
    assert caught.value.lines == ["fines.rules.9.amount: there is no 9 under fines.rules"]
    with pytest.raises(PolicyError) as caught:
        set_path(data, "weekly_summary.min_chars.deeper", 1)
    assert caught.value.lines == [
        "weekly_summary.min_chars.deeper: there is no 'deeper' under weekly_summary.min_chars"
    ]
    with pytest.raises(PolicyError) as caught:
        set_path(data, "fines..rules", 1)
    assert caught.value.lines == ["not a dotted path: 'fines..rules'"]


def test_set_path_does_not_touch_the_original():
    data = policy_to_data(load_preset("taobao-s4-fines"))
    changed = set_path(data, "weekly_summary.min_chars", 10)
    assert data["weekly_summary"]["min_chars"] == 200
    assert changed["weekly_summary"]["min_chars"] == 10


def test_load_ref_takes_a_preset_or_a_file(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(dump_policy(load_preset("pdd-s3")), encoding="utf-8")
    assert load_ref(str(path)) == load_preset("pdd-s3")
    assert load_ref("pdd-s3").meta.name == "pdd-s3"
    with pytest.raises(PolicyError) as caught:
        load_ref(str(tmp_path / "other.yaml"))
    assert caught.value.lines == [f"{tmp_path / 'other.yaml'}: no such file"]
