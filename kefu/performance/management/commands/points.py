"""`kefu points show|close --shop SHOP_ID --month 2026-10 [--format json]`: a month's scores,
points and fines from the ledgers, and the month close (or a correction run) from the shell.
Errors are one line on stderr and exit 1."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kefu.core.errors import KefuError
from kefu.core.models import Shop
from kefu.performance.closing import month_close
from kefu.performance.month_run import parse_month
from kefu.performance.reports import month_report


def shop_or_error(shop_id: int) -> Shop:
    shop = Shop.objects.filter(pk=shop_id).first()
    if shop is None:
        raise CommandError(f"no shop with id {shop_id}")
    return shop


class Command(BaseCommand):
    help = "Show or close a month of points and fines."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        for name, text in (("show", "print the month's ledgers"), ("close", "close the month")):
            action = actions.add_parser(name, help=text)
            action.add_argument("--shop", type=int, required=True, metavar="SHOP_ID")
            action.add_argument("--month", required=True, metavar="YYYY-MM")
            action.add_argument("--format", choices=["text", "json"], default="text")
            if name == "close":
                action.add_argument(
                    "--correction", action="store_true", help="re-run a closed month"
                )

    def handle(self, *args: Any, **options: Any) -> None:
        shop = shop_or_error(options["shop"])
        try:
            month = parse_month(options["month"])
            if options["action"] == "close":
                month_close(
                    shop=shop, month=month, acting_user=None, correction=options["correction"]
                )
            report = month_report(shop, month)
        except KefuError as exc:
            raise CommandError(exc.message) from exc
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{shop.name} {month.label}（结算 #{report['close']}，{report['kind']}）")
        for agent in report["agents"]:
            self.stdout.write(f"\n{agent['name']}  考评分 {agent['score']}")
            for p in agent["points"]:
                self.stdout.write(f"  {p['points']:>7} 分  {p['explanation']}")
            for f in agent["fines"]:
                self.stdout.write(f"  ¥{f['amount']:>8}  {f['explanation']}")
            for a in agent["awards"]:
                self.stdout.write(f"  +¥{a['amount']:>7}  {a['explanation']}")
        for d in report["differences"]:
            self.stdout.write(f"差异 {d['change']} {d['agent']} {d['kind']} {d['value']}")
