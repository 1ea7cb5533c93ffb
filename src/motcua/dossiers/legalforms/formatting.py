"""Dates and numbers as Vietnamese administrative documents print them.

Long dates follow Decree 30/2020/NĐ-CP (Appendix I): a day below 10 and the months 1 and 2 take
a leading zero ("ngày 05 tháng 01 năm 2025", "ngày 15 tháng 9 năm 2025"). Short dates are
``dd/mm/yyyy``; times are "HH giờ MM phút". Everything is shown in Asia/Ho_Chi_Minh time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Moment:
    """A point in time in Vietnam's time zone; ``has_time`` is False for a bare date."""

    value: datetime
    has_time: bool


def parse_moment(text: str) -> Moment:
    """Parse an ISO date ("2025-01-24") or datetime; a naive datetime is Vietnam time."""
    if not isinstance(text, str):
        raise TypeError(f"expected an ISO date string, got {type(text).__name__}")
    if _DATE_ONLY.match(text):
        day = date.fromisoformat(text)
        return Moment(datetime(day.year, day.month, day.day, tzinfo=VN_TZ), has_time=False)
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VN_TZ)
    return Moment(moment.astimezone(VN_TZ), has_time=True)


def short_date(moment: Moment) -> str:
    """24/01/2025"""
    return moment.value.strftime("%d/%m/%Y")


def long_date(moment: Moment) -> str:
    """ngày 24 tháng 01 năm 2025 (Decree 30/2020 zero-padding)."""
    day, month = moment.value.day, moment.value.month
    month_text = f"{month:02d}" if month <= 2 else str(month)
    return f"ngày {day:02d} tháng {month_text} năm {moment.value.year}"


def clock(moment: Moment) -> str:
    """08 giờ 30 phút"""
    return f"{moment.value.hour:02d} giờ {moment.value.minute:02d} phút"


def long_moment(moment: Moment) -> str:
    """08 giờ 30 phút, ngày 24 tháng 01 năm 2025 (the date alone for a bare date)."""
    if not moment.has_time:
        return long_date(moment)
    return f"{clock(moment)}, {long_date(moment)}"


def short_moment(moment: Moment) -> str:
    """08 giờ 30 phút, 24/01/2025 (the date alone for a bare date)."""
    if not moment.has_time:
        return short_date(moment)
    return f"{clock(moment)}, {short_date(moment)}"


def count(value: int) -> str:
    """Quantities below 10 take a leading zero, as on the paper forms: 01, 02 … 10, 11."""
    return f"{value:02d}"
