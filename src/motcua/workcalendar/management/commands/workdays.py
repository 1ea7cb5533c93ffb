"""``motcua workdays``: import overrides, check dates, compute due dates, list a year."""

from __future__ import annotations

import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from motcua.core.management.base import OneShotCommand
from motcua.workcalendar.queries import get_calendar
from motcua.workcalendar.rules import Duration
from motcua.workcalendar.services import OverrideImportError, import_overrides

_WEEKDAYS = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")


class Command(OneShotCommand):
    help = "Lịch làm việc: nhập ngày điều chỉnh, kiểm tra ngày, tính ngày hẹn trả, liệt kê năm."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        imp = sub.add_parser("import", help="Nhập tệp CSV date,kind,name,reference.")
        imp.add_argument("file")
        sub.add_parser("check", help="Đọc ngày ISO từ stdin, in working/off.")
        due = sub.add_parser("due", help="Tính ngày hẹn trả: START DURATION (5d, 4h, 0d).")
        due.add_argument("start")
        due.add_argument("duration")
        lst = sub.add_parser("list", help="Liệt kê ngày nghỉ trong tuần và ngày làm bù của năm.")
        lst.add_argument("year", type=int)

    def handle(self, *args, **options) -> None:
        action = options["action"]
        if action == "import":
            self._import(options["file"])
        elif action == "check":
            self._check(options.get("stdin") or sys.stdin)
        elif action == "due":
            self._due(options["start"], options["duration"])
        else:
            self._list(options["year"])

    def _import(self, path: str) -> None:
        try:
            result = import_overrides(path)
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"Tệp {path} không phải UTF-8.") from exc
        except OverrideImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"created: {result.created}, updated: {result.updated}, unchanged: {result.unchanged}"
        )

    def _check(self, stream) -> None:
        calendar = get_calendar()
        bad = 0
        for number, line in enumerate(stream, start=1):
            text = line.strip()
            if not text:
                continue
            try:
                day = date.fromisoformat(text)
            except ValueError:
                self.stderr.write(f"dòng {number}: ngày không hợp lệ {text!r} (dạng YYYY-MM-DD)")
                bad += 1
                continue
            status = "working" if calendar.is_working_day(day) else "off"
            self.stdout.write(f"{day.isoformat()} {status}")
        if bad:
            raise CommandError(f"Có {bad} dòng không hợp lệ.")

    def _due(self, start_text: str, duration_text: str) -> None:
        try:
            start = datetime.fromisoformat(start_text)
        except ValueError as exc:
            raise CommandError(
                f"Thời điểm tiếp nhận không hợp lệ: {start_text!r} (dạng ISO, ví dụ "
                "2025-01-24T09:00 hoặc 2025-01-24T09:00+07:00)."
            ) from exc
        if start.tzinfo is None:
            start = start.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
        try:
            duration = Duration.parse(duration_text)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(get_calendar().due(start, duration).isoformat())

    def _list(self, year: int) -> None:
        if not 1900 <= year <= 2200:
            raise CommandError(f"Năm không hợp lệ: {year}.")
        for item in get_calendar().exceptions(year):
            status = "working" if item.working else "off"
            weekday = _WEEKDAYS[item.day.weekday()]
            self.stdout.write(f"{item.day.isoformat()} {weekday} {status:7} {item.name}".rstrip())
