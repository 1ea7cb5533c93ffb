"""Option parsing shared by the ``motcua stats`` subcommands: agency code and dates, with
Vietnamese errors (CommandError, exit status 2), never a traceback."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError

from motcua.stats import periods
from motcua.stats.scope_filter import UnknownAgency, scope_agency
from motcua.stats.types import Period, Scope


def add_scope_arguments(parser) -> None:
    parser.add_argument("--agency", required=True, help="mã cơ quan, đơn vị (Agency.code)")
    parser.add_argument("--from", dest="start", required=True, help="từ ngày YYYY-MM-DD")
    parser.add_argument("--to", dest="end", required=True, help="đến ngày YYYY-MM-DD")


def _date(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        raise CommandError(
            f"Ngày {what} “{text}” không hợp lệ (YYYY-MM-DD).", returncode=2
        ) from None


def scope_and_period(options: dict, *, subtree: bool = True) -> tuple[Scope, Period]:
    start, end = _date(options["start"], "bắt đầu"), _date(options["end"], "kết thúc")
    try:
        period = periods.range_period(start, end)
    except periods.PeriodError as exc:
        raise CommandError(str(exc.message), returncode=2) from None
    scope = Scope(options["agency"], subtree=subtree)
    try:
        scope_agency(scope)
    except UnknownAgency as exc:
        raise CommandError(exc.message, returncode=2) from None
    return scope, period
