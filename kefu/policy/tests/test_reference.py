"""docs/policy.md stays equal to the schema."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from kefu.policy.reference import reference_markdown, rows
from kefu.policy.schema import FACTS, Policy


def test_docs_policy_md_equals_the_generated_reference():
    path = Path(settings.BASE_DIR) / "docs" / "policy.md"
    assert path.read_text(encoding="utf-8") == reference_markdown(), (
        "docs/policy.md is stale: run `kefu policy docs`"
    )


def test_every_key_is_documented_with_a_meaning():
    for name, field in Policy.model_fields.items():
        assert field.description, name
        for row in rows(field.annotation, name):  # type: ignore[arg-type]
            assert row.meaning, row.path


def test_reference_lists_paths_types_units_and_facts():
    text = reference_markdown()
    assert (
        "| `fines.rules[form=list].amounts` | list of money | CNY | required "
        "| The 1st, 2nd, 3rd ... occurrence's amount. |"
    ) in text
    assert (
        "| `schedule.shifts.<key>.parts` | list of [time, time] | HH:MM local | required |" in text
    )
    assert "| `service_levels.response.slow_round_seconds` | integer | seconds | required |" in text
    for fact, label in FACTS.items():
        assert f"| `{fact}` | {label} |" in text
