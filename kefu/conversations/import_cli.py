"""`kefu import_chats --shop SHOP_ID FILE...`: import chat records (and 客服绩效 reports) file by
file, each atomic, with a rich progress bar per file. A bad file is reported with its line and
the command exits 1 after trying the others; files already imported add nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from kefu.conversations.kpi_services import dirty_days_compute
from kefu.conversations.services import chat_file_import
from kefu.core.errors import InvalidInput
from kefu.core.models import Shop

NAME = "chats"
HELP = "Qianniu chat text/JSON, generic CSV/JSONL, 客服绩效 xlsx"


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("--shop", type=int, required=True, help="shop id")
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")


def _advance(progress: Progress, task: TaskID) -> Callable[[int], None]:
    return lambda count: progress.advance(task, count)


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    shop = Shop.objects.filter(pk=options["shop"]).first()
    if shop is None:
        raise CommandError(f"no shop with id {options['shop']}")
    failed = []
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed} 条"))
    with Progress(*columns, TimeElapsedColumn(), transient=False) as progress:
        for path in options["files"]:
            if not path.is_file():
                failed.append(f"{path}: no such file")
                continue
            task = progress.add_task(path.name, total=None)
            try:
                with path.open("rb") as stream:
                    batch = chat_file_import(
                        shop=shop,
                        name=path.name,
                        stream=stream,
                        acting_user=None,
                        progress=_advance(progress, task),
                    )
            except InvalidInput as exc:
                failed.append(exc.message)
                progress.update(task, description=f"{path.name} ✗")
                continue
            progress.update(task, description=f"{path.name} ✓ +{batch.added}")
            command.stdout.write(f"{path}: {batch.rows} read, {batch.added} new")
    # No queue worker may be running here: compute the imported days' KPIs now.
    days = dirty_days_compute(shop=shop)
    command.stdout.write(f"KPI snapshots computed for {days} day(s)")
    if failed:
        raise CommandError("\n".join(failed))
