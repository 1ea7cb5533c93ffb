"""``motcua notifications list [--dossier CODE] --format json|table``: what was sent, to whom
(masked), on which channel, and how it went."""

from __future__ import annotations

import json

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from motcua.core.management.base import OneShotCommand
from motcua.notifications import queries


class Command(OneShotCommand):
    help = "Thông báo đã gửi: theo hồ sơ, kênh, trạng thái, phản hồi của nhà cung cấp."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        lst = sub.add_parser("list", help="notifications, newest first")
        lst.add_argument("--dossier", help="only this dossier's (its code)")
        lst.add_argument("--format", choices=["json", "table"], default="table")
        lst.add_argument("--limit", type=int, default=500)

    def handle(self, *args, action: str, dossier: str | None, **opts) -> None:
        if dossier:
            from motcua.dossiers.models import Dossier

            if not Dossier.objects.filter(code=dossier).exists():
                raise CommandError(f"Không tìm thấy hồ sơ {dossier}.", returncode=2)
        rows = [queries.as_row(n) for n in queries.listing(dossier, limit=max(1, opts["limit"]))]
        if opts["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{'id':>6}  {'time':16}  {'event':20} {'channel':7} {'status':8} to")
        for row in rows:
            when = timezone.localtime(timezone.datetime.fromisoformat(row["created_at"])).strftime(
                "%d/%m/%Y %H:%M"
            )
            self.stdout.write(
                f"{row['id']:>6}  {when:16}  {row['event']:20} {row['channel']:7} "
                f"{row['status']:8} {row['recipient']} ({row['dossier'] or row['feedback']})"
            )
