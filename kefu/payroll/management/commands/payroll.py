"""`kefu payroll run --shop SHOP_ID --month 2026-10 [--correction] [--format json]`: compute the
month's payslips as a draft run (or a correction of a locked one) and print them.
`kefu payroll whatif --shop SHOP_ID --month 2026-10 --preset NAME [--format json]`: the closed
month's pay under a preset beside the pay in force, writing nothing. Errors are one line on
stderr and exit 1."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kefu.core.errors import KefuError
from kefu.payroll.reports import run_report
from kefu.payroll.services import payroll_run
from kefu.payroll.whatif import payroll_whatif, whatif_report
from kefu.performance.management.commands.points import shop_or_error
from kefu.performance.month_run import parse_month


class Command(BaseCommand):
    help = "Run the month's payroll (a draft, or a correction of a locked run)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        run = actions.add_parser("run", help="compute the month's payslips")
        run.add_argument("--shop", type=int, required=True, metavar="SHOP_ID")
        run.add_argument("--month", required=True, metavar="YYYY-MM")
        run.add_argument("--correction", action="store_true", help="correct a locked run")
        run.add_argument("--format", choices=["text", "json"], default="text")
        whatif = actions.add_parser("whatif", help="the month's pay under a preset")
        whatif.add_argument("--shop", type=int, required=True, metavar="SHOP_ID")
        whatif.add_argument("--month", required=True, metavar="YYYY-MM")
        whatif.add_argument("--preset", required=True, metavar="NAME")
        whatif.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        shop = shop_or_error(options["shop"])
        if options["action"] == "whatif":
            self._whatif(shop, options)
            return
        try:
            run = payroll_run(
                shop=shop,
                month=parse_month(options["month"]),
                acting_user=None,
                correction=options["correction"],
            )
        except KefuError as exc:
            raise CommandError(exc.message) from exc
        report = run_report(run)
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{shop.name} {run.month} 工资核算 #{run.pk}（{run.get_status_display()}）"
        )
        for slip in report["payslips"]:
            self.stdout.write(f"\n{slip['name']}（{slip['level']}）实发 ¥{slip['total']}")
            for line in slip["lines"]:
                self.stdout.write(
                    f"  {line['label']:<8} ¥{line['amount']:>10}  {line['explanation']}"
                )
        for d in report["differences"]:
            self.stdout.write(f"差异 {d['agent']} {d['label']}: ¥{d['before']} → ¥{d['after']}")

    def _whatif(self, shop: Any, options: dict[str, Any]) -> None:
        try:
            result = payroll_whatif(
                shop=shop, month=parse_month(options["month"]), preset=options["preset"]
            )
        except KefuError as exc:
            raise CommandError(exc.message) from exc
        report = whatif_report(result)
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{shop.name} {report['month']} {report['policy_now']} → {report['policy_then']}"
        )
        for agent in report["agents"]:
            self.stdout.write(
                f"\n{agent['name']} 实发 ¥{agent['total_now']} → ¥{agent['total_then']}"
                f"（{agent['change']}）{agent['level_note']}"
            )
            for line in agent["lines"]:
                self.stdout.write(f"  {line['label']:<8} ¥{line['now']} → ¥{line['then']}")
        self.stdout.write(f"\n合计差额 ¥{report['total_change']}")
