"""`kefu policy ...`: exit codes and output, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kefu.policy.documents import load_preset, policy_to_data, preset_names
from kefu.policy.reference import reference_markdown

KEFU = Path(sys.executable).parent / "kefu"
GOOD_TAIL = "is a valid policy (taobao-s4-fines: 淘宝客服管理制度（罚款制）)\n"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("policy", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fail(*args: str) -> tuple[str, str, CommandError]:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("policy", *args, stdout=out, stderr=err)
    assert caught.value.returncode == 1
    return out.getvalue(), err.getvalue(), caught.value


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    path = tmp_path / "good.yaml"
    out, _ = run("show", "taobao-s4-fines", "--full")
    path.write_text(out, encoding="utf-8")
    return path


def test_validate_good_file(good_file):
    out, err = run("validate", str(good_file))
    assert out == f"OK: {good_file} {GOOD_TAIL}"
    assert err == ""


@pytest.mark.parametrize("name", ["taobao-s1", "dongyao-s4", "taobao-s4-points"])
def test_show_output_validates(tmp_path, name):
    for flags in ([], ["--full"]):
        out, _ = run("show", name, *flags)
        path = tmp_path / f"{name}.yaml"
        path.write_text(out, encoding="utf-8")
        validated, _ = run("validate", str(path))
        assert validated.startswith(f"OK: {path} is a valid policy ({name}: ")


def test_show_keeps_the_preset_comments():
    out, _ = run("show", "taobao-s4-points")
    assert "# The seed lists three guarantees for four levels" in out


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _bad(tmp_path: Path, good_file: Path, old: str, new: str) -> Path:
    text = good_file.read_text(encoding="utf-8")
    assert old in text
    return _write(tmp_path, "bad.yaml", text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        (
            "  min_chars: 200",
            "  min_chars: many",
            "weekly_summary.min_chars: Input should be a valid integer",
        ),
        (
            "  min_chars: 200",
            "  min_chars: 200\n  colour: red",
            "weekly_summary.colour: unknown key; allowed here: "
            "clause, required, due, min_chars, channel, meeting",
        ),
        (
            "parts: [['08:00', '17:30']]",
            "parts: [['08:00', '25:00']]",
            "schedule.shifts.early.parts.0.1: 25:00 is not a time of day "
            "(00:00-23:59, or 24:00 for the end of the day)",
        ),
        (
            "      crosses_midnight: true\n      night: true",
            "      night: true",
            "schedule.shifts.late.parts.0: ends before it starts (16:00-01:00); "
            "a shift that runs past midnight needs crosses_midnight: true",
        ),
    ],
)
def test_validate_bad_file(tmp_path, good_file, old, new, line):
    bad = _bad(tmp_path, good_file, old, new)
    out, err, error = fail("validate", str(bad))
    assert out == ""
    assert err == line + "\n"
    assert str(error) == "1 of 1 file(s) are not valid policies"


def test_validate_tiers_out_of_order(tmp_path):
    text = (Path(__file__).parents[1] / "presets" / "taobao-s4-points.yaml").read_text("utf-8")
    bad = _write(tmp_path, "tiers.yaml", text.replace('up_to: "300000"', 'up_to: "50000"'))
    _, err, _ = fail("validate", str(bad))
    assert err == (
        "pay.commission.tiers.1.up_to: must be greater than the tier before (100000); "
        "tiers go in order\n"
    )


def test_validate_missing_file_and_yaml_error(tmp_path, good_file):
    broken = _write(tmp_path, "broken.yaml", "meta:\n  name: x\n   title: y\n")
    _, err, error = fail("validate", str(good_file), str(tmp_path / "nope.yaml"), str(broken))
    assert err == (
        f"{tmp_path / 'nope.yaml'}: no such file\n"
        f"{broken}: YAML syntax error at line 3, column 9: "
        "mapping values are not allowed here\n"
    )
    assert str(error) == "2 of 3 file(s) are not valid policies"


def test_unknown_preset_is_one_clear_message():
    out, err, error = fail("show", "taobao-s9")
    assert (out, err) == ("", "")
    assert str(error) == ("unknown preset 'taobao-s9'; known presets: " + ", ".join(preset_names()))


def test_list_names_every_preset():
    out, _ = run("list")
    assert [line.split()[0] for line in out.splitlines()] == preset_names()
    assert "taobao-s4-fines     淘宝客服管理制度（罚款制）  [S4.1 = " in out


def test_diff_between_a_preset_and_a_file(tmp_path, good_file):
    text = good_file.read_text("utf-8").replace("  min_chars: 200", "  min_chars: 250", 1)
    changed = _write(tmp_path, "changed.yaml", text)
    out, _ = run("diff", "taobao-s4-fines", str(changed))
    assert out == "weekly_summary.min_chars: 200 -> 250\n"
    out, _ = run("diff", "taobao-s4-fines", str(good_file))
    assert out == "no differences\n"


def test_docs_writes_and_checks(tmp_path):
    target = tmp_path / "policy.md"
    out, _ = run("docs", "--output", str(target))
    assert out == f"wrote {target}\n"
    assert target.read_text("utf-8") == reference_markdown()
    out, _ = run("docs", "--output", str(target), "--check")
    assert out == f"{target} is up to date\n"
    target.write_text("stale", encoding="utf-8")
    _, _, error = fail("docs", "--output", str(target), "--check")
    assert str(error) == f"{target} is out of date: run `kefu policy docs`"


def test_console_script_exit_codes_without_traceback(tmp_path):
    data = policy_to_data(load_preset("taobao-s4-fines"))
    assert data["weekly_summary"]["min_chars"] == 200
    bad = _write(tmp_path, "bad.yaml", "meta: {name: x, title: t, source: s, colour: red}\n")
    result = subprocess.run(
        [str(KEFU), "policy", "validate", str(bad)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == (
        "meta.colour: unknown key; allowed here: name, title, source, notes"
    )
    assert result.stderr.splitlines()[-1] == "CommandError: 1 of 1 file(s) are not valid policies"
    unknown = subprocess.run(
        [str(KEFU), "policy", "show", "nope"], capture_output=True, text=True, check=False
    )
    assert unknown.returncode == 1
    assert unknown.stderr == (
        "CommandError: unknown preset 'nope'; known presets: " + ", ".join(preset_names()) + "\n"
    )
