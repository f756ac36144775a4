"""`kefu reviews import --shop SHOP_ID FILE...`: import review files (a TOP TradeRate JSON answer,
a review CSV or xlsx) into a shop, as the 导入评价 page does. Each file is all or nothing; a bad
file is named on stderr with its line and field, the others are still imported, and the command
exits 1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.reviews.services import reviews_import


class Command(BaseCommand):
    help = "Import review files into a shop (kefu reviews import --shop SHOP_ID FILE...)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        imports = actions.add_parser("import", help="import TOP JSON, CSV or xlsx review files")
        imports.add_argument("--shop", type=int, required=True, metavar="SHOP_ID")
        imports.add_argument("files", nargs="+", type=Path, metavar="FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        shop = Shop.objects.filter(pk=options["shop"]).first()
        if shop is None:
            raise CommandError(f"no shop with id {options['shop']}")
        failed = False
        for path in options["files"]:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            try:
                result = reviews_import(
                    shop=shop, data=path.read_bytes(), filename=path.name, acting_user=None
                )
            except InvalidInput as exc:
                self.stderr.write(f"error: {exc.message}")
                failed = True
                continue
            line = (
                f"{path.name}: {result.added} added, {result.updated} updated, "
                f"{result.unchanged} unchanged"
            )
            if result.skipped_seller_ratings:
                line += f", {result.skipped_seller_ratings} seller ratings skipped"
            self.stdout.write(line)
        if failed:
            raise CommandError("some files were not imported (nothing was stored from them)")
