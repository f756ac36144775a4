"""`kefu policy ...`: validate, show, diff and list policy documents and presets; write the
policy reference. Errors are printed as `path.to.field: message` lines on stderr and the
command exits 1, never with a traceback."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kefu.policy.documents import (
    PolicyError,
    dump_policy,
    load_policy_file,
    load_preset,
    load_ref,
    policy_diff,
    preset_names,
    preset_text,
)
from kefu.policy.reference import reference_markdown

DOCS_PATH = Path(settings.BASE_DIR) / "docs" / "policy.md"


class Command(BaseCommand):
    help = "Validate, show, diff and list policy documents and presets."
    # Pure file work: no system checks and no database needed.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        validate = actions.add_parser("validate", help="check policy files; exit 1 on any error")
        validate.add_argument("files", nargs="+", metavar="FILE")
        show = actions.add_parser("show", help="print a preset (or file) as YAML")
        show.add_argument("ref", metavar="PRESET_OR_FILE")
        show.add_argument(
            "--full", action="store_true", help="print every key with its default, no comments"
        )
        diff = actions.add_parser("diff", help="what changes from A to B (presets or files)")
        diff.add_argument("a", metavar="A")
        diff.add_argument("b", metavar="B")
        actions.add_parser("list", help="list the presets")
        docs = actions.add_parser("docs", help="write docs/policy.md from the schema")
        docs.add_argument("--output", type=Path, default=DOCS_PATH)
        docs.add_argument("--check", action="store_true", help="exit 1 if the file is stale")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, f"_{options['action']}")
        try:
            handler(options)
        except BrokenPipeError:
            # The reader (e.g. `| head`) went away: stop quietly, like other Unix tools.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())

    def _fail(self, error: PolicyError, summary: str) -> None:
        """Print every error line, then stop with exit code 1 (a single line is the message)."""
        if len(error.lines) == 1:
            raise CommandError(error.lines[0], returncode=1)
        for line in error.lines:
            self.stderr.write(line)
        raise CommandError(summary, returncode=1)

    def _validate(self, options: dict[str, Any]) -> None:
        failed = 0
        for file in options["files"]:
            try:
                policy = load_policy_file(file)
            except PolicyError as exc:
                failed += 1
                for line in exc.lines:
                    self.stderr.write(line)
                continue
            self.stdout.write(
                f"OK: {file} is a valid policy ({policy.meta.name}: {policy.meta.title})"
            )
        if failed:
            raise CommandError(
                f"{failed} of {len(options['files'])} file(s) are not valid policies", returncode=1
            )

    def _show(self, options: dict[str, Any]) -> None:
        ref = options["ref"]
        try:
            if options["full"] or ref not in preset_names():
                text = dump_policy(load_ref(ref))
            else:
                text = preset_text(ref)  # as shipped, with the comments on borrowed values
        except PolicyError as exc:
            self._fail(exc, f"{ref}: not a valid policy")
            return
        self.stdout.write(text, ending="" if text.endswith("\n") else "\n")

    def _diff(self, options: dict[str, Any]) -> None:
        try:
            a, b = load_ref(options["a"]), load_ref(options["b"])
        except PolicyError as exc:
            self._fail(exc, "not a valid policy")
            return
        changes = policy_diff(a, b)
        for change in changes:
            self.stdout.write(str(change))
        if not changes:
            self.stdout.write("no differences")

    def _list(self, options: dict[str, Any]) -> None:
        names = preset_names()
        width = max(len(name) for name in names)
        for name in names:
            meta = load_preset(name).meta
            self.stdout.write(f"{name:<{width}}  {meta.title}  [{meta.source}]")

    def _docs(self, options: dict[str, Any]) -> None:
        path: Path = options["output"]
        text = reference_markdown()
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if options["check"]:
            if current != text:
                raise CommandError(f"{path} is out of date: run `kefu policy docs`", returncode=1)
            self.stdout.write(f"{path} is up to date")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {path}")
