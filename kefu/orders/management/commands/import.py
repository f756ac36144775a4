"""`kefu import orders --shop SHOP_ID FILE...`: import platform exports with a progress bar.

The module is named `import` so the command reads as written; Django loads commands with
importlib by file name, where a keyword is an acceptable module name.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.orders.services import orders_import


class Command(BaseCommand):
    help = "Import order, item, refund or compensation exports into a shop (kefu import orders)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("what", choices=["orders"], help="what to import")
        parser.add_argument("--shop", type=int, required=True, help="shop id")
        parser.add_argument("files", nargs="+", type=Path, help="CSV or xlsx export files")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            shop = Shop.objects.get(pk=options["shop"])
        except Shop.DoesNotExist:
            raise CommandError(f"no shop with id {options['shop']}") from None
        console = Console(stderr=True)  # progress on stderr: stdout stays the report
        failed = False
        for path in options["files"]:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            data = path.read_bytes()
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            ) as bar:
                # Total is the line count: a cheap upper bound of the rows, known before parsing.
                task = bar.add_task(path.name, total=max(1, data.count(b"\n") - 1))
                try:
                    result = orders_import(
                        shop=shop,
                        data=data,
                        filename=path.name,
                        acting_user=None,
                        progress=lambda n, task=task: bar.advance(task, n),  # type: ignore[misc]
                    )
                except InvalidInput as exc:
                    self.stderr.write(f"error: {exc.message}")
                    failed = True
                    continue
            b = result.batch
            self.stdout.write(
                f"{path.name}: {b.kind}, {b.rows} rows: {b.created} created, "
                f"{b.updated} updated, {b.unchanged} unchanged"
            )
            for warning in result.warnings:
                self.stdout.write(f"  warning: {warning}")
        if failed:
            raise CommandError("some files were not imported (nothing was stored from them)")
