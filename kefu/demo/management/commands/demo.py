"""`kefu demo`: load the demo agency (once) and print the logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kefu.core.clock import shop_today
from kefu.core.errors import KefuError
from kefu.demo.services import DEFAULT_SEED, DEFAULT_TMALL_PRESET, demo_load


class Command(BaseCommand):
    help = "Load the demo agency (two shops, twelve agents, a month of data) unless it exists."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--preset", default=DEFAULT_TMALL_PRESET,
                            help="policy preset of the Tmall shop (default: %(default)s)")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = demo_load(today=shop_today(tz="Asia/Shanghai"), tmall_preset=options["preset"],
                               seed=options["seed"])
        except KefuError as exc:
            raise CommandError(exc.message, returncode=1) from exc
        verb = "Loaded" if result.created else "Already loaded"
        self.stdout.write(f"{verb}: {result.agency.name} — "
                          + ", ".join(f"{s.name} ({s.platform})" for s in result.shops))
        self.stdout.write(f"Demo logins (password for all: {result.password}):")
        for login in result.logins:
            self.stdout.write(f"  {login.username:<10} {login.display}")
