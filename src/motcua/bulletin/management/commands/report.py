"""``motcua report bulletin|ministry``: the reform bulletin and the periodic report to the
Ministry of Home Affairs, from records, as files (docs/bulletin.md).

Bad input (dates, a period spec, an unknown agency, an output that cannot be written) prints a
message in Vietnamese and English and exits with status 2, never a traceback."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.bulletin import compose, ministry, outputs
from motcua.bulletin.services import DEFAULT_TITLE, figure_query
from motcua.core.management.base import OneShotCommand
from motcua.stats import periods


def fail(vi: str, en: str) -> CommandError:
    return CommandError(f"{vi} / {en}", returncode=2)


def _date(text: str, what_vi: str, what_en: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        raise fail(
            f"Ngày {what_vi} “{text}” không hợp lệ (YYYY-MM-DD).",
            f"invalid {what_en} date “{text}” (YYYY-MM-DD).",
        ) from None


def _agency(code: str | None) -> Agency:
    if code:
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            raise fail(
                f"Không có cơ quan, đơn vị mã “{code[:40]}”.", f"no agency with code “{code[:40]}”."
            )
        return agency
    agency = Agency.objects.filter(parent__isnull=True).order_by("code").first()
    if agency is None:
        raise fail("Chưa có cơ quan nào.", "no agency yet.")
    return agency


def _output(path: str) -> Path:
    """Refuse early an output that cannot be written (before minutes of rendering)."""
    out = Path(path)
    folder = out.parent if str(out.parent) else Path(".")
    if out.is_dir() or not folder.is_dir() or not os.access(folder, os.W_OK):
        raise fail(
            f"Không ghi được tệp “{path}” (thư mục không tồn tại hoặc không có quyền ghi).",
            f"cannot write “{path}” (no such folder, or not writable).",
        )
    if out.exists() and not os.access(out, os.W_OK):
        raise fail(f"Không ghi được tệp “{path}”.", f"cannot write “{path}”.")
    return out


def _write(out: Path, data: bytes) -> None:
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise fail(
            f"Không ghi được tệp “{out}”: {exc.strerror}.", f"cannot write “{out}”: {exc.strerror}."
        ) from None


class Command(OneShotCommand):
    help = "Bản tin CCHC và báo cáo CCHC định kỳ gửi Bộ Nội vụ, tính từ dữ liệu"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, parser_class=CommandParser)
        b = sub.add_parser("bulletin", help="bản tin CCHC của một khoảng thời gian")
        b.add_argument("--from", dest="start", required=True, help="từ ngày YYYY-MM-DD")
        b.add_argument("--to", dest="end", required=True, help="đến ngày YYYY-MM-DD")
        b.add_argument("--agency", help="mã cơ quan (mặc định: toàn thành phố)")
        b.add_argument("--format", choices=outputs.FORMATS, required=True)
        b.add_argument("--output", required=True, help="tệp kết quả")
        b.add_argument("--language", choices=("vi", "en"), default="vi")
        m = sub.add_parser("ministry", help="báo cáo CCHC định kỳ gửi Bộ Nội vụ")
        m.add_argument("--period", required=True, help="2021-BC-Q3, 2021-BC-6T, 2021-BC-NAM, …")
        m.add_argument("--agency", help="mã cơ quan (mặc định: toàn thành phố)")
        m.add_argument("--format", choices=ministry.FORMATS, required=True)
        m.add_argument("--output", required=True, help="tệp kết quả")
        m.add_argument("--language", choices=("vi", "en"), default="vi")

    def handle(self, *args, **options) -> None:
        if options["subcommand"] == "bulletin":
            self.bulletin(options)
        else:
            self.ministry(options)

    def bulletin(self, o: dict) -> None:
        start = _date(o["start"], "bắt đầu", "start")
        end = _date(o["end"], "kết thúc", "end")
        if start > end:
            raise fail(
                "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.",
                "the start date must not be after the end date.",
            )
        try:
            period = periods.range_period(start, end)
        except periods.PeriodError as exc:
            raise fail(str(exc.message), "invalid period.") from None
        agency = _agency(o["agency"])
        out = _output(o["output"])
        en = o["language"] == "en"
        bulletin = compose.compose(
            figure_query(agency, start, end),
            title="Administrative-reform bulletin" if en else DEFAULT_TITLE,
            period_label=period.label_en if en else period.label,
            scope_name=(agency.name_en or agency.name_vi) if en else agency.name_vi,
            language=o["language"],
        )
        _write(out, outputs.render(bulletin, o["format"]))
        self._report(out, bulletin)

    def ministry(self, o: dict) -> None:
        try:
            period = ministry.parse(o["period"], timezone.localdate())
        except periods.PeriodError as exc:
            raise fail(str(exc.message), f"invalid period “{o['period'][:40]}”.") from None
        agency = _agency(o["agency"])
        out = _output(o["output"])
        report = ministry.compose_report(period, agency, language=o["language"])
        _write(out, ministry.render(report, o["format"]))
        self._report(out, report)

    def _report(self, out: Path, bulletin: compose.Bulletin) -> None:
        self.stdout.write(f"Đã ghi {out} ({len(bulletin.values)} số liệu).")
        if bulletin.missing:
            self.stdout.write(
                f"Số liệu chưa có / missing figures ({len(bulletin.missing)}): "
                + ", ".join(bulletin.missing)
            )
