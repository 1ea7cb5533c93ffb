"""``motcua history import {dossiers|feedback|ratings} FILE [--dry-run] [--by USERNAME]``."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError, CommandParser

from motcua.core.management.base import OneShotCommand
from motcua.history.services import KINDS, LABELS, HistoryImportError, import_file

MAX_SHOWN = 200  # problems printed; the count says how many there are in all


class Command(OneShotCommand):
    help = (
        "Import records of the previous system (CSV UTF-8 or .xlsx; columns in "
        "docs/history-import.md). All or nothing; a second import of the same rows adds nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Nhập dữ liệu lịch sử từ tệp")
        imp.add_argument("kind", choices=sorted(KINDS))
        imp.add_argument("path")
        imp.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
        imp.add_argument("--by", default="", help="tên đăng nhập của người thực hiện")

    def handle(self, *args, action: str, kind: str, path: str, **options) -> None:
        from motcua.accounts.models import User

        target = Path(path)
        if not target.is_file():
            raise CommandError(f"Không tìm thấy tệp: {target}")
        by = None
        if options["by"]:
            by = User.objects.filter(username=options["by"]).first()
            if by is None:
                raise CommandError(f"Không có người dùng “{options['by']}”.")
        try:
            result = import_file(kind, target, by=by, dry_run=options["dry_run"])
        except HistoryImportError as exc:
            lines = [str(p) for p in exc.problems[:MAX_SHOWN]]
            if len(exc.problems) > MAX_SHOWN:
                lines.append(f"… và {len(exc.problems) - MAX_SHOWN} lỗi khác.")
            raise CommandError(
                f"Tệp có {len(exc.problems)} lỗi; chưa có dữ liệu nào được ghi:\n"
                + "\n".join(lines)
            ) from exc
        label = LABELS[kind]
        for column in result.ignored_columns:
            self.stderr.write(f"Lưu ý: bỏ qua cột không nhận biết “{column}”.")
        if result.previous is not None:
            self.stdout.write(
                f"Tệp này (sha256 {result.sha256[:12]}…) đã được nhập lúc "
                f"{result.previous.at:%d/%m/%Y %H:%M}."
            )
        verb = "Kiểm tra xong (không ghi)" if result.dry_run else "Đã nhập"
        self.stdout.write(
            f"{verb}: {result.rows} dòng — {result.created} {label} "
            f"{'sẽ được thêm' if result.dry_run else 'thêm mới'}, "
            f"{result.skipped} đã có (bỏ qua)."
        )
        if not result.dry_run and result.created == 0:
            self.stdout.write("Không có dữ liệu mới: mọi dòng đều đã được nhập trước đây.")
        if not result.dry_run and result.created:
            rate = result.created / result.seconds if result.seconds else 0
            self.stdout.write(f"Thời gian: {result.seconds:.2f} s ({rate:,.0f} dòng/giây).")
