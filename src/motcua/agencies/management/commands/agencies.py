"""``motcua agencies import FILE.csv`` and ``motcua agencies export [FILE|-] [--as-of DATE]``."""

from __future__ import annotations

import io
from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from motcua.agencies.importers import export_agencies_csv, import_agencies_csv
from motcua.core.management.base import OneShotCommand


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Ngày {text!r} không hợp lệ (dạng YYYY-MM-DD).") from None


class Command(OneShotCommand):
    help = "Nhập hoặc xuất danh mục cơ quan, đơn vị (CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Nhập danh mục từ tệp CSV.")
        imp.add_argument("file")
        imp.add_argument("--valid-from", help="Ngày có hiệu lực (YYYY-MM-DD) cho các đơn vị mới.")
        exp = sub.add_parser("export", help="Xuất danh mục ra CSV.")
        exp.add_argument("file", nargs="?", default="-", help="Tệp đích, hoặc - (mặc định).")
        exp.add_argument("--as-of", help="Chỉ xuất các đơn vị có hiệu lực vào ngày YYYY-MM-DD.")

    def handle(self, *args, **options) -> None:
        if options["action"] == "import":
            self._import(options["file"], options.get("valid_from"))
        else:
            self._export(options["file"], options.get("as_of"))

    def _import(self, path: str, valid_from: str | None) -> None:
        try:
            result = import_agencies_csv(path, valid_from=_day(valid_from) if valid_from else None)
        except FileNotFoundError:
            raise CommandError(f"Không tìm thấy tệp {path}.") from None
        except ValidationError as exc:
            lines = "\n".join(f"  {m}" for m in exc.messages)
            raise CommandError(f"Không nhập được, không có thay đổi nào:\n{lines}") from None
        self.stdout.write(
            f"Đã nhập {result.total} đơn vị: {result.created} mới, {result.updated} cập nhật, "
            f"{result.unchanged} không đổi."
        )

    def _export(self, path: str, as_of: str | None) -> None:
        day = _day(as_of) if as_of else None
        if path == "-":
            buffer = io.StringIO()
            export_agencies_csv(buffer, as_of=day)
            self.stdout.write(buffer.getvalue(), ending="")
            return
        with open(path, "w", encoding="utf-8", newline="") as fh:
            count = export_agencies_csv(fh, as_of=day)
        self.stderr.write(f"Đã xuất {count} đơn vị ra {path}.")
