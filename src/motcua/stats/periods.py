"""Reporting periods: parse a period spec, label it in Vietnamese and English, split it into
months (trends) and tell whether it is still open ("tạm tính"). Pure: no database, no settings.

Spec strings (docs/statistics-index766.md, "Periods"):

==================  ====================================  =================================
spec                period                                 label (vi)
==================  ====================================  =================================
``2021``            1/1/2021 – 31/12/2021                  Năm 2021
``2021-05``         1/5/2021 – 31/5/2021                   Tháng 5/2021
``2021-Q3``         1/7/2021 – 30/9/2021                   Quý III/2021
``2021-H1``         1/1/2021 – 30/6/2021                   6 tháng đầu năm 2021
``2021-BC-Q1``      15/12/2020 – 14/3/2021                 Báo cáo quý I/2021
``2021-BC-6T``      15/12/2020 – 14/6/2021                 Báo cáo 6 tháng đầu năm 2021
``2021-BC-Q3``      15/6/2021 – 14/9/2021                  Báo cáo quý III/2021
``2021-BC-NAM``     15/12/2020 – 14/12/2021                Báo cáo năm 2021
``A..B``            A – B (ISO dates, inclusive)           9 tháng đầu năm 2021 / Từ … đến …
==================  ====================================  =================================

The ``BC`` windows are the data windows of the Ministry of Home Affairs' periodic PAR reports
(Official Letter 581/BNV-CCHC, domain.md "Periodic PAR reports"): the quarterly, 6-month and
annual reports count data from the 15th of the month before the period to the 14th of its
last month, so they can be sent by the 20th. ``H1``/``Y``/``YEAR`` are accepted as aliases of
``6T``/``NAM``; letters are case-insensitive.

Bounds: every date lies in [dateparams.MIN_YEAR, dateparams.MAX_YEAR] and a custom range spans
at most ``dateparams.MAX_SPAN_DAYS``; a period starting after ``today`` is refused. Errors are
``PeriodError`` (a ``DateParamError``, hence a ``ValueError``) with a stable ``code`` and a
Vietnamese message.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django.utils.translation import gettext as _

from motcua.core.dateparams import (
    MAX_SPAN_DAYS,
    MAX_YEAR,
    MIN_YEAR,
    DateParamError,
    check_range,
)
from motcua.stats.types import Period

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
PROVISIONAL_VI = "tạm tính"
PROVISIONAL_EN = "provisional"
# longest spec worth reading ("2021-01-01..2021-09-30" is 22)
_MAX_LENGTH = 30


class PeriodError(DateParamError):
    """A period spec that cannot be read or lies out of bounds."""


# Start (-1, 12, 15) means 15 December of the year before the report's year.
_REPORTS: dict[str, tuple[tuple[int, int, int], tuple[int, int]]] = {
    # key: ((year offset, month, day) of the start, (month, day) of the end)
    "Q1": ((-1, 12, 15), (3, 14)),
    "6T": ((-1, 12, 15), (6, 14)),
    "Q3": ((0, 6, 15), (9, 14)),
    "NAM": ((-1, 12, 15), (12, 14)),
}
_REPORT_ALIASES = {"Q1": "Q1", "6T": "6T", "H1": "6T", "Q3": "Q3", "NAM": "NAM", "Y": "NAM"}
_REPORT_ALIASES["YEAR"] = "NAM"
_REPORT_LABELS = {
    "Q1": ("Báo cáo quý I/{y}", "Q1 {y} report"),
    "6T": ("Báo cáo 6 tháng đầu năm {y}", "H1 {y} report"),
    "Q3": ("Báo cáo quý III/{y}", "Q3 {y} report"),
    "NAM": ("Báo cáo năm {y}", "{y} annual report"),
}

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_REPORT = re.compile(r"^(\d{4})-BC-([0-9A-Z]+)$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


def _invalid(raw: str) -> PeriodError:
    return PeriodError(
        "invalid_period",
        _(
            "Kỳ báo cáo “%(spec)s” không hợp lệ; hãy dùng 2021, 2021-05, 2021-Q3, 2021-H1, "
            "2021-BC-Q1, 2021-BC-6T, 2021-BC-Q3, 2021-BC-NAM hoặc 2021-01-01..2021-09-30."
        )
        % {"spec": raw[:_MAX_LENGTH]},
    )


def _out_of_bounds() -> PeriodError:
    return PeriodError(
        "period_out_of_range",
        _("Kỳ báo cáo phải nằm trong khoảng từ năm %(min)d đến năm %(max)d.")
        % {"min": MIN_YEAR, "max": MAX_YEAR},
    )


def _year(text: str) -> int:
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _out_of_bounds()
    return year


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def year_period(year: int) -> Period:
    return Period(
        dt.date(year, 1, 1),
        dt.date(year, 12, 31),
        f"Năm {year}",
        key=f"{year}",
        kind="year",
        label_en=f"Year {year}",
    )


def month_period(year: int, month: int) -> Period:
    return Period(
        dt.date(year, month, 1),
        _last_day(year, month),
        f"Tháng {month}/{year}",
        key=f"{year}-{month:02d}",
        kind="month",
        label_en=f"{calendar.month_name[month]} {year}",
    )


def quarter_period(year: int, quarter: int) -> Period:
    first = 3 * quarter - 2
    return Period(
        dt.date(year, first, 1),
        _last_day(year, first + 2),
        f"Quý {ROMAN[quarter]}/{year}",
        key=f"{year}-Q{quarter}",
        kind="quarter",
        label_en=f"Q{quarter} {year}",
    )


def half_period(year: int, half: int) -> Period:
    if half == 1:
        start, end = dt.date(year, 1, 1), dt.date(year, 6, 30)
        vi, en = f"6 tháng đầu năm {year}", f"First half of {year}"
    else:
        start, end = dt.date(year, 7, 1), dt.date(year, 12, 31)
        vi, en = f"6 tháng cuối năm {year}", f"Second half of {year}"
    return Period(start, end, vi, key=f"{year}-H{half}", kind="half", label_en=en)


def report_period(year: int, report: str) -> Period:
    """A ministry report window (``report``: Q1, 6T, Q3, NAM or an alias)."""
    key = _REPORT_ALIASES.get(report.upper())
    if key is None:
        raise _invalid(f"{year}-BC-{report}")
    (offset, smonth, sday), (emonth, eday) = _REPORTS[key]
    if year + offset < MIN_YEAR:
        raise _out_of_bounds()
    start = dt.date(year + offset, smonth, sday)
    end = dt.date(year, emonth, eday)
    vi, en = _REPORT_LABELS[key]
    window_vi = f" ({start:%d/%m/%Y} – {end:%d/%m/%Y})"
    return Period(
        start,
        end,
        vi.format(y=year) + window_vi,
        key=f"{year}-BC-{key}",
        kind="report",
        label_en=en.format(y=year) + window_vi,
    )


def range_period(start: dt.date, end: dt.date) -> Period:
    """A custom inclusive range, labelled by what it coincides with ("9 tháng đầu năm 2021")."""
    for value in (start, end):
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise _out_of_bounds()
    try:
        check_range(start, end, max_days=MAX_SPAN_DAYS)
    except DateParamError as exc:
        raise PeriodError(exc.code, exc.message) from None
    key = f"{start.isoformat()}..{end.isoformat()}"
    if start.day == 1 and end == _last_day(end.year, end.month) and start.year == end.year:
        if start.month == 1:
            months = end.month
            if months == 12:
                vi, en = f"Năm {end.year}", f"Year {end.year}"
            else:
                vi = f"{months} tháng đầu năm {end.year}"
                en = f"First {months} months of {end.year}"
            return Period(start, end, vi, key=key, kind="range", label_en=en)
        if start.month == end.month:
            month = month_period(start.year, start.month)
            return Period(start, end, month.label, key=key, kind="range", label_en=month.label_en)
    vi = f"Từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}"
    en = f"From {start:%d/%m/%Y} to {end:%d/%m/%Y}"
    return Period(start, end, vi, key=key, kind="range", label_en=en)


def parse_period(spec: str, *, today: dt.date) -> Period:
    """The period a spec names (module docstring); ``PeriodError`` when it cannot be read, lies
    outside the bounded years or starts after ``today``."""
    raw = (spec or "").strip()
    if not raw or len(raw) > _MAX_LENGTH:
        raise _invalid(raw)
    text = raw.upper()
    period = _parse(text, raw)
    if period.start > today:
        raise PeriodError(
            "period_in_future",
            _("Kỳ báo cáo “%(label)s” chưa bắt đầu.") % {"label": period.label},
        )
    return period


def _parse(text: str, raw: str) -> Period:
    if m := _YEAR.match(text):
        return year_period(_year(m[1]))
    if m := _MONTH.match(text):
        month = int(m[2])
        if not 1 <= month <= 12:
            raise _invalid(raw)
        return month_period(_year(m[1]), month)
    if m := _QUARTER.match(text):
        return quarter_period(_year(m[1]), int(m[2]))
    if m := _HALF.match(text):
        return half_period(_year(m[1]), int(m[2]))
    if m := _REPORT.match(text):
        return report_period(_year(m[1]), m[2])
    if m := _RANGE.match(text):
        try:
            start, end = dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2])
        except ValueError:
            raise _invalid(raw) from None
        return range_period(start, end)
    raise _invalid(raw)


def months(period: Period) -> list[Period]:
    """The calendar months the period touches, in order, each clipped to the period (a report
    window starting on 15/12 begins with the part-month 15/12–31/12)."""
    result: list[Period] = []
    year, month = period.start.year, period.start.month
    while dt.date(year, month, 1) <= period.end:
        full = month_period(year, month)
        start, end = max(full.start, period.start), min(full.end, period.end)
        if (start, end) == (full.start, full.end):
            result.append(full)
        else:
            part = f" ({start:%d/%m}–{end:%d/%m})"
            result.append(
                Period(
                    start,
                    end,
                    full.label + part,
                    key=f"{start.isoformat()}..{end.isoformat()}",
                    kind="month",
                    label_en=full.label_en + part,
                )
            )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


def is_provisional(period: Period, today: dt.date) -> bool:
    """True while the period has not ended: its cut-off is "now" and its figures are
    provisional (kpi-766.md §0.5)."""
    return today <= period.end


def display_label(period: Period, today: dt.date, *, english: bool = False) -> str:
    """The label, with "(tạm tính)" / "(provisional)" while the period is still open."""
    label = (period.label_en or period.label) if english else period.label
    if is_provisional(period, today):
        label += f" ({PROVISIONAL_EN if english else PROVISIONAL_VI})"
    return label


def bounds(period: Period, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """``[start 00:00, end + 1 day 00:00)`` in ``tz``: the period's instants (``end`` inclusive)."""
    lo = dt.datetime.combine(period.start, dt.time(), tz)
    hi = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tz)
    return lo, hi


def cutoff(period: Period, now: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """The cut-off C (exclusive): the end of the period, or ``now`` while it is still open
    (kpi-766.md §0.5). Events at or after C are ignored."""
    return min(bounds(period, tz)[1], now)
