"""docs/policy.md, generated from the schema: every key with its type, unit, default and meaning
(the field docstrings). A test asserts the file equals `reference_markdown()`, so the reference
never drifts from the schema; `kefu policy docs` rewrites it. Pure: no Django."""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from kefu.policy.schema import CONSEQUENCES, FACTS, Policy, vocab
from kefu.policy.schema import base as schema_base

# Recognised by the validator each annotated type carries.
_SPECIAL = {
    schema_base._parse_money: ("money", "CNY"),
    schema_base._parse_rate: ("rate", "fraction"),
    schema_base._parse_clock: ("time", "HH:MM local"),
    schema_base._check_clause: ("clause", ""),
    schema_base._parse_points: ("points", "points"),
    schema_base._parse_score: ("score", "points"),
    vocab._check_fact: ("fact", ""),
}
_KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
_TAGS = ("rule", "form", "kind")
_UNITS = {
    "_minutes": "minutes",
    "_seconds": "seconds",
    "seconds": "seconds",
    "_hours": "hours",
    "_days": "days",
    "_months": "months",
    "months": "months",
    "weeks": "weeks",
    "_chars": "characters",
    "weight": "solver weight",
}


@dataclass(frozen=True)
class Row:
    path: str
    type: str
    unit: str
    default: str
    meaning: str


def _validators(metadata: list[Any]) -> list[Any]:
    return [getattr(m, "func", None) for m in metadata]


def _describe(annotation: Any, metadata: list[Any]) -> tuple[str, str]:
    """(type, unit) of an annotation, in words."""
    metadata = [
        inner for m in metadata for inner in ([m, *m.metadata] if isinstance(m, FieldInfo) else [m])
    ]
    for func in _validators(metadata):
        if func in _SPECIAL:
            return _SPECIAL[func]
    if any(getattr(m, "pattern", None) == _KEY_PATTERN for m in metadata):
        return "key", ""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _describe(args[0], list(args[1:]) + metadata)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in args if a is not type(None)]
        if len(members) == 1:
            kind, unit = _describe(members[0], metadata)
            return f"{kind} or null", unit
        tags = [t for t in _TAGS if all(t in getattr(m, "model_fields", {}) for m in members)]
        if tags:
            return f"entry (kind given by `{tags[0]}`)", ""
        return " or ".join(_describe(a, [])[0] for a in members), ""
    if origin is Literal:
        return "one of: " + ", ".join(str(a) for a in args), ""
    if origin is list:
        kind, unit = _describe(args[0], [])
        return f"list of {kind}", unit
    if origin is tuple:
        kinds = [_describe(a, [])[0] for a in args]
        return f"[{', '.join(kinds)}]", _describe(args[0], [])[1]
    if origin is dict:
        kind, unit = _describe(args[1], [])
        return f"mapping of key to {kind}", unit
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "section", ""
    names = {str: "text", int: "integer", bool: "true/false", Decimal: "number"}
    return names.get(annotation, getattr(annotation, "__name__", str(annotation))), ""


def _models_in(annotation: Any) -> list[tuple[str, type[BaseModel]]]:
    """The models an annotation leads to, with the path suffix that reaches them."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _models_in(args[0])
    if origin in (typing.Union, types.UnionType):
        members = [a for a in args if a is not type(None)]
        found = []
        for member in members:
            for suffix, model in _models_in(member):
                tag = (
                    next(
                        (
                            f"[{t}={typing.get_args(model.model_fields[t].annotation)[0]}]"
                            for t in _TAGS
                            if t in model.model_fields
                        ),
                        "",
                    )
                    if len(members) > 1
                    else ""
                )
                found.append((tag + suffix, model))
        return found
    if origin is list:
        return [("[]" + s if not s.startswith("[") else s, m) for s, m in _models_in(args[0])]
    if origin is dict:
        return [(".<key>" + s, m) for s, m in _models_in(args[1])]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [("", annotation)]
    return []


def _default(field: FieldInfo) -> str:
    if field.is_required():
        return "required"
    if field.default_factory is not None:
        value = field.default_factory()  # type: ignore[call-arg]
        return "see below" if isinstance(value, BaseModel) else repr(value)
    value = field.default
    if value is None or value is PydanticUndefined:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f'"{value}"'
    return f'"{value}"' if isinstance(value, str) else str(value)


def _unit(name: str, unit: str) -> str:
    if unit:
        return unit
    return next((u for suffix, u in _UNITS.items() if name.endswith(suffix)), "")


def _section(annotation: Any) -> type[BaseModel]:
    """The model of a section, unwrapping an optional one (`Section | None`)."""
    if not isinstance(annotation, type):
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    assert isinstance(annotation, type) and issubclass(annotation, BaseModel)
    return annotation


def rows(model: type[BaseModel], prefix: str) -> list[Row]:
    model = _section(model)
    out: list[Row] = []
    # The entry's kind first and its clause last, as in the presets.
    names = sorted(model.model_fields, key=lambda n: (n not in _TAGS, n == "clause"))
    for name in names:
        field = model.model_fields[name]
        path = f"{prefix}.{name}" if prefix else name
        kind, unit = _describe(field.annotation, list(field.metadata))
        meaning = " ".join((field.description or "").split())
        if not meaning and name in _TAGS:
            meaning = "Which kind of entry this is."
        unit = "" if kind.startswith("section") else _unit(name, unit)
        out.append(Row(path, kind, unit, _default(field), meaning))
        for suffix, child in _models_in(field.annotation):
            out += rows(child, path + suffix)
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def reference_markdown() -> str:
    lines = [
        "# Policy reference",
        "",
        "<!-- Generated from kefu/policy/schema by kefu.policy.reference; do not edit by hand.",
        "     Regenerate with `kefu policy docs`; a test keeps this file equal to the schema. -->",
        "",
        "A shop's policy is one YAML document (the presets in `kefu/policy/presets/` are",
        "examples). Conventions:",
        "",
        "- Unknown keys are errors. Every rule names its `clause` (e.g. `S4.1 §1`); `（借用）`",
        "  marks a value taken from another seed, `Kefu 默认` one that no seed states.",
        '- Money and rates are strings (`"30"`, `"0.005"`) read as exact decimals; floats are',
        '  refused. Times are `"HH:MM"` in the shop\'s zone; `"24:00"` ends a day.',
        "- A shift part whose end is not after its start is an error unless the shift has",
        "  `crosses_midnight: true` (then its last part ends the next day).",
        "- Points are magnitudes: a `bonus` item adds them, other severities deduct them; a",
        '  range `"2-5"` lets the supervisor choose.',
        "- Consequences (`withhold_month_pay`, `resignation`, `dismissal` ...) are",
        "  recommendations shown to the supervisor; Kefu never acts on them by itself.",
        "- Paths: `[]` is any entry of a list, `<key>` any key of a mapping, `[form=each]` the",
        "  entries of that kind.",
        "",
    ]
    for name, field in Policy.model_fields.items():
        optional = not isinstance(field.annotation, type)
        annotation = _section(field.annotation)
        meaning = " ".join((field.description or "").split())
        if optional:
            meaning += " Optional: a policy may leave this section out."
        lines += [f"## `{name}`", "", meaning, ""]
        lines += ["| key | type | unit | default | meaning |", "|---|---|---|---|---|"]
        for row in rows(annotation, name):
            lines.append(
                f"| `{row.path}` | {_cell(row.type)} | {row.unit} | {_cell(row.default)} "
                f"| {_cell(row.meaning)} |"
            )
        lines.append("")
    lines += ["## Facts", "", "What fines and points price (`fact`, `item`).", ""]
    lines += ["| fact | 中文 |", "|---|---|"]
    lines += [f"| `{key}` | {label} |" for key, label in FACTS.items()]
    lines += ["", "## Consequences", "", "| consequence | 中文 |", "|---|---|"]
    lines += [f"| `{key}` | {label} |" for key, label in CONSEQUENCES.items()]
    return "\n".join(lines) + "\n"
