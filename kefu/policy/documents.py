"""Policy documents: YAML in and out, readable error lines, diffs, dotted-path edits and the
presets that ship with Kefu. Pure: no Django (an import-linter contract keeps it so).

Error lines have the form `path.to.field: message`, with list indices in the path
(`schedule.shifts.late.parts.0: ends before it starts ...`), so a person can find the entry."""

from __future__ import annotations

import copy
import json
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from kefu.policy.schema import Policy

PRESETS_DIR = Path(__file__).resolve().parent / "presets"
ROOT = "(policy)"


class PolicyError(Exception):
    """A policy that cannot be read or is not valid; `lines` are the `path: message` lines."""

    def __init__(self, message: str, lines: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.lines = lines if lines is not None else [message]


class UnknownPreset(PolicyError):
    pass


# --- YAML -----------------------------------------------------------------------------------

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"


class _Loader(yaml.SafeLoader):
    """SafeLoader minus YAML 1.1's surprises: 17:30 is the string "17:30" (not the base-60
    integer 1050), and only true/false are booleans (not yes/no/on/off)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, typing.Hashable):
                continue  # the base class reports unhashable keys
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_INT, _FLOAT, _BOOL)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    _FLOAT,
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+.0123456789"),
)
_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class _Dumper(yaml.SafeDumper):
    """Block style for mappings; short lists of scalars (shift parts, amounts) in flow style."""


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.SequenceNode:
    flat = all(not isinstance(item, dict | list) for item in data) or all(
        isinstance(item, list) and all(not isinstance(i, dict | list) for i in item)
        for item in data
    )
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flat and bool(data))


_Dumper.add_representer(list, _represent_list)
# Quote every "HH:MM" so that YAML 1.1 readers never take 17:30 for the base-60 number 1050.
_Dumper.add_implicit_resolver(
    "tag:kefu,2025:clock", re.compile(r"^\d{1,2}:\d{2}$"), list("0123456789")
)


def parse_yaml(text: str, *, source: str = "<text>") -> Any:
    try:
        return yaml.load(text, Loader=_Loader)  # _Loader is a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        line = f"{source}: YAML syntax error at {where}{problem}"
        raise PolicyError(line, [line]) from None


# --- validation -------------------------------------------------------------------------------

_MESSAGES = {
    "missing": "required",
    "union_tag_not_found": "needs the key {discriminator} that says which kind of entry this is",
}


def _clean_loc(loc: tuple[Any, ...], data: Any) -> list[str | int]:
    """The error's location in the document: union tags and validator labels that pydantic
    puts in `loc` are not keys of the document, so they are dropped."""
    node, path = data, []
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if isinstance(node, dict | list | tuple) and _has(node, part):
            node = node[part]
            path.append(part)
        elif last and part != "[key]":
            path.append(part)
    return path


def _dotted(parts: list[str | int] | tuple[str | int, ...]) -> str:
    return ".".join(str(part) for part in parts) or ROOT


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types an annotation may hold (Annotated, Optional and unions opened)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [
            t for arg in typing.get_args(annotation) for t in _unwrap(arg) if t is not type(None)
        ]
    return [annotation]


def _model_at(path: list[str | int], data: Any) -> type[BaseModel] | None:
    """The model class found at `path` in the document (None where it is not a model)."""
    candidates: list[Any] = [Policy]
    node = data
    for part in path:
        models = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
        nxt: list[Any] = []
        if models:
            for model in _pick_member(models, node):
                field = model.model_fields.get(str(part))
                if field is not None:
                    nxt += _unwrap(field.annotation)
        else:
            for candidate in candidates:
                args = typing.get_args(candidate)
                if typing.get_origin(candidate) is dict and len(args) == 2:
                    nxt += _unwrap(args[1])
                elif typing.get_origin(candidate) in (list, tuple) and args:
                    nxt += _unwrap(args[0])
        candidates = nxt
        node = _child(node, part)
    models = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
    picked = _pick_member(models, node)
    return picked[0] if len(picked) == 1 else None


def _child(node: Any, part: Any) -> Any:
    """The entry at `part` under `node`, or None when there is none."""
    if isinstance(node, dict | list | tuple) and _has(node, part):
        return node[part]
    return None


def _has(node: dict[Any, Any] | list[Any] | tuple[Any, ...], part: Any) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(part, int) and 0 <= part < len(node)


def _pick_member(models: list[type[BaseModel]], node: Any) -> list[type[BaseModel]]:
    """In a tagged union, the member whose tag (rule / form / kind) the entry names."""
    if len(models) < 2 or not isinstance(node, dict):
        return models
    for tag in ("rule", "form", "kind"):
        chosen = [
            m
            for m in models
            if tag in m.model_fields
            and node.get(tag) in typing.get_args(m.model_fields[tag].annotation)
        ]
        if chosen:
            return chosen
    return models


def _unknown_key(path: list[str | int], data: Any) -> str:
    model = _model_at(path[:-1], data)
    if model is None:
        return "unknown key"
    return f"unknown key; allowed here: {', '.join(model.model_fields)}"


def error_lines(exc: ValidationError, data: Any) -> list[str]:
    """Every validation error as `path.to.field: message`."""
    lines: list[str] = []
    for error in exc.errors():
        path = _clean_loc(error["loc"], data)
        ctx = error.get("ctx") or {}
        kind = error["type"]
        if kind == "policy_rule":
            for at, message in ctx["problems"]:
                lines.append(f"{_dotted([*path, *at])}: {message}")
            continue
        if kind == "extra_forbidden":
            message = _unknown_key(path, data)
        elif kind == "union_tag_invalid":
            key = str(ctx["discriminator"]).strip("'")
            path = [*path, key]
            message = f"unknown {key} {ctx['tag']!r}; one of: {ctx['expected_tags']}".replace(
                "'", ""
            )
        else:
            message = _MESSAGES.get(kind, error["msg"]).format(**ctx)
        message = message.removeprefix("Value error, ")
        if error["loc"] and error["loc"][-1] == "[key]":
            message = f"invalid key: {message}"
        lines.append(f"{_dotted(path)}: {message}")
    return lines


def policy_from_data(data: Any, *, source: str = "") -> Policy:
    """Validate plain data (a parsed YAML or stored JSON document) into a Policy."""
    if not isinstance(data, dict):
        line = f"{ROOT}: a policy is a mapping of sections (meta, shop, schedule, ...)"
        raise PolicyError(f"{source}: {line}" if source else line, [line])
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        lines = error_lines(exc, data)
        head = f"{source}: " if source else ""
        raise PolicyError(f"{head}{len(lines)} error(s) in the policy", lines) from None


def load_policy_text(text: str, *, source: str = "<text>") -> Policy:
    return policy_from_data(parse_yaml(text, source=source), source=source)


def load_policy_file(path: str | Path) -> Policy:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(f"{file}: no such file", [f"{file}: no such file"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        line = f"{file}: cannot read: {exc}"
        raise PolicyError(line, [line]) from None
    return load_policy_text(text, source=str(file))


# --- output -----------------------------------------------------------------------------------

_FIRST_KEYS = ("rule", "form", "kind", "fact", "item", "type", "key")


def _ordered(value: Any) -> Any:
    """Readable key order: the entry's kind first, its clause last."""
    if isinstance(value, dict):
        keys = [k for k in _FIRST_KEYS if k in value]
        keys += [k for k in value if k not in keys and k != "clause"]
        keys += ["clause"] if "clause" in value else []
        return {k: _ordered(value[k]) for k in keys}
    if isinstance(value, list):
        return [_ordered(item) for item in value]
    return value


def policy_to_data(policy: Policy) -> dict[str, Any]:
    """The JSON-safe form: money and rates as strings, times as "HH:MM", no nulls."""
    data: dict[str, Any] = _ordered(policy.model_dump(mode="json", exclude_none=True))
    return data


def dump_policy(policy: Policy) -> str:
    """YAML that `load_policy_text` reads back to an equal Policy."""
    return yaml.dump(
        policy_to_data(policy), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100
    )


# --- diff and edits -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    path: str
    old: Any
    new: Any

    def __str__(self) -> str:
        return f"{self.path}: {_short(self.old)} -> {_short(self.new)}"


def _short(value: Any) -> str:
    return "(none)" if value is None else json.dumps(value, ensure_ascii=False)


def _walk(old: Any, new: Any, path: list[str | int]) -> Iterator[Change]:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            yield from _walk(old.get(key), new.get(key), [*path, key])
    elif (
        isinstance(old, list)
        and isinstance(new, list)
        and all(isinstance(item, dict) for item in [*old, *new])
    ):
        # Lists of entries (fine rules, catalogue items) are compared entry by entry, so a
        # changed amount shows as one path, not as the whole list.
        for index in range(max(len(old), len(new))):
            yield from _walk(
                old[index] if index < len(old) else None,
                new[index] if index < len(new) else None,
                [*path, index],
            )
    elif old != new:
        yield Change(_dotted(path), old, new)


def policy_diff(a: Policy, b: Policy) -> list[Change]:
    """What changed from a to b, by dotted path (lists of scalars compare as one value)."""
    return list(_walk(policy_to_data(a), policy_to_data(b), []))


def data_diff(a: dict[str, Any], b: dict[str, Any]) -> list[Change]:
    """`policy_diff` on JSON-safe documents."""
    return list(_walk(a, b, []))


def split_path(path: str) -> list[str | int]:
    if not path.strip() or any(not part for part in path.split(".")):
        raise PolicyError(f"not a dotted path: {path!r}")
    return [int(part) if part.isdigit() else part for part in path.split(".")]


def set_path(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of `data` with the value at the dotted path replaced (a list index equal to the
    length appends; a new key in a mapping is added; validation decides if it is allowed)."""
    result = copy.deepcopy(data)
    parts = split_path(path)
    node: Any = result
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        where = _dotted(parts[:depth])
        if isinstance(node, dict) and isinstance(part, str):
            if last:
                node[part] = value
            elif node.get(part) is None:
                # An absent optional section: create it, validation will say what it needs.
                node[part] = {}
        elif isinstance(node, list) and isinstance(part, int) and part <= len(node):
            if last:
                node[part : part + 1] = [value]
            elif part == len(node):
                raise PolicyError(f"{path}: {where} has no entry {part} to change")
        else:
            raise PolicyError(f"{path}: there is no {part!r} under {where}")
        if not last:
            node = node[part]
    return result


# --- presets and references -------------------------------------------------------------------


def preset_names() -> list[str]:
    return sorted(path.stem for path in PRESETS_DIR.glob("*.yaml"))


def preset_path(name: str) -> Path:
    if name not in preset_names():
        line = f"unknown preset {name!r}; known presets: {', '.join(preset_names())}"
        raise UnknownPreset(line, [line])
    return PRESETS_DIR / f"{name}.yaml"


def preset_text(name: str) -> str:
    return preset_path(name).read_text(encoding="utf-8")


def load_preset(name: str) -> Policy:
    return load_policy_text(preset_text(name), source=f"preset {name}")


def load_ref(ref: str) -> Policy:
    """A preset name or a file path (a path that exists wins over a preset of that name)."""
    path = Path(ref)
    if path.is_file():
        return load_policy_file(path)
    if ref in preset_names() or not (path.suffix or "/" in ref or "\\" in ref):
        return load_preset(ref)
    return load_policy_file(path)
