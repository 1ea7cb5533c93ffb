"""The one parser for dates, date-times and date ranges coming from query parameters and forms.

Why: Python dates run from year 1 to 9999 but a database (and the conversion to UTC) does not.
``9999-12-31T23:59:59-14:00`` is a valid ISO date-time that overflows when it is shifted to
UTC, ``0001-01-01`` overflows when a range adds or subtracts a day; both used to answer
HTTP 500. Every date a client sends therefore goes through here: it must lie in
[``MIN_YEAR``, ``MAX_YEAR``], a report range may span at most ``MAX_SPAN_DAYS`` and a birth
date may not be in the future. The functions are pure (no database, no settings); the API
(pydantic types below), the forms (``motcua.core.formfields``) and the plain views call them.

Errors are ``DateParamError`` with a stable ``code`` and a Vietnamese ``message``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import AfterValidator

MIN_YEAR = 2000
MAX_YEAR = 2100
# a report (Form 07, feedback statistics, Open311 windows) covers at most about five years
MAX_SPAN_DAYS = 5 * 366
# oldest plausible birth date of a living applicant
MIN_BIRTH_YEAR = 1900

MIN_DATE = dt.date(MIN_YEAR, 1, 1)
MAX_DATE = dt.date(MAX_YEAR, 12, 31)
# longest string worth parsing as a date-time (ISO with microseconds and offset is 32)
_MAX_LENGTH = 40


class DateParamError(ValueError):
    """A date a client sent is malformed or out of bounds."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _out_of_bounds() -> DateParamError:
    return DateParamError(
        "date_out_of_range",
        _("Ngày phải nằm trong khoảng từ năm %(min)d đến năm %(max)d.")
        % {"min": MIN_YEAR, "max": MAX_YEAR},
    )


def check_date(value: dt.date) -> dt.date:
    """``value`` itself when within the bounds."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if not MIN_DATE <= day <= MAX_DATE:
        raise _out_of_bounds()
    return value


def check_datetime(value: dt.datetime) -> dt.datetime:
    """An aware date-time within the bounds (checked in UTC, where the database compares)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise DateParamError(
            "timezone_required",
            _("Thời điểm phải kèm múi giờ (ví dụ 2025-01-31T08:00:00+07:00)."),
        )
    # the local date is inside the bounds, so the UTC shift (at most a day) cannot overflow
    check_date(value)
    return check_date(value.astimezone(dt.UTC))


def parse_date(raw: str) -> dt.date:
    """An ISO date ``YYYY-MM-DD`` within the bounds."""
    raw = (raw or "").strip()
    try:
        if len(raw) != 10:
            raise ValueError
        value = dt.date.fromisoformat(raw)
    except ValueError:
        raise DateParamError(
            "invalid_date", _("Ngày không hợp lệ; hãy dùng dạng NNNN-TT-NN (ví dụ 2025-01-31).")
        ) from None
    return check_date(value)


def parse_datetime(raw: str) -> dt.datetime:
    """An ISO 8601 / W3C date-time with a time zone, within the bounds.

    A ``+`` in an offset often arrives as a space (an unencoded query string), so a space is
    read as ``+``; ``Z`` means UTC.
    """
    raw = (raw or "").strip()
    try:
        if not 10 < len(raw) <= _MAX_LENGTH:
            raise ValueError
        text = raw.replace(" ", "+")
        if text[-1] in "zZ":
            text = text[:-1] + "+00:00"
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise DateParamError(
            "invalid_datetime",
            _(
                "Thời điểm không hợp lệ; hãy dùng dạng ISO 8601 có múi giờ "
                "(ví dụ 2025-01-31T08:00:00+07:00)."
            ),
        ) from None
    return check_datetime(value)


def check_range(
    start: dt.date | None, end: dt.date | None, *, max_days: int = MAX_SPAN_DAYS
) -> None:
    """``start`` ≤ ``end`` and the span at most ``max_days`` (either end may be open)."""
    if start is None or end is None:
        return
    if start > end:
        raise DateParamError("range_reversed", _("Ngày kết thúc phải sau ngày bắt đầu."))
    if (end - start) > dt.timedelta(days=max_days):
        years = max_days // 366
        raise DateParamError(
            "range_too_long",
            _("Khoảng thời gian dài nhất là %(years)d năm; hãy chọn khoảng ngắn hơn.")
            % {"years": years},
        )


def check_birth_date(value: dt.date, today: dt.date) -> dt.date:
    """A birth date: not in the future, not before ``MIN_BIRTH_YEAR``."""
    if value > today:
        raise DateParamError("birth_date_in_future", _("Ngày sinh không thể ở tương lai."))
    if value.year < MIN_BIRTH_YEAR:
        raise DateParamError(
            "birth_date_too_old",
            _("Ngày sinh phải từ năm %(year)d trở về sau.") % {"year": MIN_BIRTH_YEAR},
        )
    return value


# Pydantic (Django Ninja) types: an out-of-bounds value is a 422 validation error naming the
# field, the message is the Vietnamese one above.
def _pydantic_datetime(value: dt.datetime) -> dt.datetime:
    try:
        return check_datetime(value)
    except DateParamError as exc:
        raise ValueError(exc.message) from None


def _pydantic_date(value: dt.date) -> dt.date:
    try:
        return check_date(value)
    except DateParamError as exc:
        raise ValueError(exc.message) from None


BoundedDateTime = Annotated[dt.datetime, AfterValidator(_pydantic_datetime)]
BoundedDate = Annotated[dt.date, AfterValidator(_pydantic_date)]

# Integers a client sends for paging: far inside 64 bits, so no database ever overflows.
MAX_OFFSET = 1_000_000
