"""``motcua payments reconcile --from YYYY-MM-DD --to YYYY-MM-DD [--dry-run] [--format …]``:
compare the period's online payments with the gateway's report (``payments.reconcile``)."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import CommandError, CommandParser

from motcua.core.management.base import OneShotCommand
from motcua.payments.providers import PaymentsDisabled, configured_name


class Command(OneShotCommand):
    help = "Thanh toán trực tuyến: đối soát với báo cáo của cổng thanh toán"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, parser_class=CommandParser)
        p = sub.add_parser("reconcile", help="đối soát giao dịch với cổng thanh toán")
        p.add_argument("--from", dest="start", required=True)
        p.add_argument("--to", dest="end", required=True)
        p.add_argument("--dry-run", action="store_true", help="chỉ báo cáo, không cập nhật")
        p.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, **o) -> None:
        from motcua.payments.reconcile import reconcile

        try:
            start, end = dt.date.fromisoformat(o["start"]), dt.date.fromisoformat(o["end"])
        except ValueError:
            raise CommandError("Ngày không hợp lệ (YYYY-MM-DD).", returncode=2) from None
        if configured_name() != "vnpay":
            raise CommandError(
                "Đối soát cần cổng thanh toán VNPAY (PAYMENT_PROVIDER=vnpay).", returncode=2
            )
        try:
            rows = reconcile(start, end, apply_changes=not o["dry_run"])
        except PaymentsDisabled:
            message = "Chưa cấu hình VNPAY_TMN_CODE, VNPAY_HASH_SECRET."
            raise CommandError(message, returncode=2) from None
        if o["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        problems = [r for r in rows if r["result"] != "ok"]
        self.stdout.write(f"Đã đối soát {len(rows)} giao dịch, {len(problems)} cần chú ý.")
        for r in problems:
            self.stdout.write(f"{r['ref']}  {r['status']}  {r['amount_vnd']}  {r['result']}")
