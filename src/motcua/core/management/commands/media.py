"""``motcua media check [--fix]``: stored files without rows, rows without files.

Exit status 0 when every file under MEDIA_ROOT belongs to a row and every row's file exists;
1 otherwise (an error, not a crash: the lists say what is wrong). Files without a row younger
than the grace period are listed as "recent" and are not an error: a transaction still
running may be about to save their row. ``--fix`` removes the orphans older than the grace
period; a row whose file is missing is only reported (its file cannot be made up).
"""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from motcua.core.management.base import OneShotCommand
from motcua.core.media import Report, collect


class Command(OneShotCommand):
    help = "Tệp lưu trữ: tìm tệp không thuộc bản ghi nào (mồ côi) và bản ghi mất tệp."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        check = sub.add_parser("check", help="Báo cáo tệp mồ côi và tệp bị thiếu.")
        check.add_argument(
            "--fix",
            action="store_true",
            help="Xóa tệp mồ côi cũ hơn thời gian chờ (không bao giờ xóa bản ghi).",
        )
        check.add_argument("--format", choices=("table", "json"), default="table")
        check.add_argument(
            "--grace-hours",
            type=float,
            default=None,
            help="Thời gian chờ, tính bằng giờ (mặc định MEDIA_ORPHAN_GRACE_HOURS).",
        )

    def handle(self, *args, **options) -> None:
        hours = options["grace_hours"]
        if hours is None:
            hours = settings.MEDIA_ORPHAN_GRACE_HOURS
        if hours < 0:
            raise CommandError("--grace-hours phải >= 0.")
        report = collect(grace=dt.timedelta(hours=hours), fix=options["fix"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self._table(report)
        if not report.ok:
            raise CommandError(
                f"{len(report.orphans)} orphan(s), {len(report.missing)} missing file(s)",
                returncode=1,
            )

    def _table(self, r: Report) -> None:
        w = self.stdout.write
        w(
            f"orphans: {len(r.orphans)}  recent: {len(r.recent)}  missing: {len(r.missing)}  "
            f"removed: {len(r.removed)}"
        )
        for title, files in (("orphan", r.orphans), ("recent", r.recent), ("removed", r.removed)):
            for f in files:
                w(f"{title:8} {f.name}  {f.size} B  {f.modified}")
        for m in r.missing:
            w(f"missing  {m.name}  {m.model}#{m.pk}.{m.field}")
