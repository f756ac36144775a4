"""`kefu import_chats --shop SHOP_ID FILE...`: chat records and 客服绩效 reports.

kefu/orders already owns the project's one `import` command, so this is its own command; the
work is in kefu/conversations/import_cli.py (`NAME`, `add_arguments`, `run`), ready to become
the `chats` subcommand of `kefu import` when that command dispatches."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kefu.conversations import import_cli


class Command(BaseCommand):
    help = "Import chat records into a shop: " + import_cli.HELP

    def add_arguments(self, parser: CommandParser) -> None:
        import_cli.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        import_cli.run(self, options)
