"""`kefu demo`: load the demo agency (once) and print the logins."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kefu.core.clock import shop_today
from kefu.core.errors import KefuError
from kefu.demo.exports import demo_exports_import, demo_exports_write, last_month
from kefu.demo.services import DEFAULT_SEED, DEFAULT_TMALL_PRESET, demo_load


class Command(BaseCommand):
    help = "Load the demo agency (two shops, twelve agents, a month of data) unless it exists."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--preset",
            default=DEFAULT_TMALL_PRESET,
            help="policy preset of the Tmall shop (default: %(default)s)",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="traffic of the month of exports: 1 is a small shop (~200 buyers a day)",
        )
        parser.add_argument(
            "--exports",
            type=Path,
            default=settings.VAR_DIR / "demo",
            help="folder for last month's chat and order exports (default: %(default)s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] <= 0:
            raise CommandError("--scale must be more than 0", returncode=1)
        today = shop_today(tz="Asia/Shanghai")
        try:
            result = demo_load(
                today=today,
                tmall_preset=options["preset"],
                seed=options["seed"],
            )
        except KefuError as exc:
            raise CommandError(exc.message, returncode=1) from exc
        verb = "Loaded" if result.created else "Already loaded"
        self.stdout.write(
            f"{verb}: {result.agency.name} — "
            + ", ".join(f"{s.name} ({s.platform})" for s in result.shops)
        )
        month = last_month(today)
        for shop in result.shops:
            folder = options["exports"] / f"shop-{shop.pk}-{month[0]}-{month[1]:02d}"
            if folder.exists() and not result.created:
                continue  # a second `kefu demo` reuses what exists
            files = demo_exports_write(
                shop=shop, month=month, folder=folder, seed=options["seed"], scale=options["scale"]
            )
            self.stdout.write(
                f"  {shop.name}: {files.messages:,} chat lines, {files.orders:,} orders in {folder}"
            )
            if result.created:
                # Imported as a supervisor would upload them, so the shop opens with last
                # month's orders, conversations, KPIs, quality hits and buyers in place.
                imported = demo_exports_import(files=files)
                self.stdout.write(f"    imported: {imported}")
        self.stdout.write(f"Demo logins (password for all: {result.password}):")
        for login in result.logins:
            self.stdout.write(f"  {login.username:<10} {login.display}")
