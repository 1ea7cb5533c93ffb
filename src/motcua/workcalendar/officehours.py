"""Office hours (giờ làm việc): parsing and validation, no ORM."""

from __future__ import annotations

import re
from datetime import time

OfficeHours = tuple[tuple[time, time], ...]

_PERIOD = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def parse_office_hours(text: str) -> OfficeHours:
    """Parse ``"07:00-11:30,13:30-17:00"`` into ordered, non-overlapping periods.

    Raises ``ValueError`` with a Vietnamese message on malformed input.
    """
    periods: list[tuple[time, time]] = []
    for chunk in text.split(","):
        match = _PERIOD.match(chunk)
        if not match:
            raise ValueError(f"Giờ làm việc không hợp lệ: {chunk.strip()!r} (dạng HH:MM-HH:MM).")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        try:
            start, end = time(h1, m1), time(h2, m2)
        except ValueError:
            raise ValueError(f"Giờ không tồn tại: {chunk.strip()!r}.") from None
        if start >= end:
            raise ValueError(f"Giờ bắt đầu phải trước giờ kết thúc: {chunk.strip()!r}.")
        if periods and start < periods[-1][1]:
            raise ValueError("Các khoảng giờ làm việc phải theo thứ tự và không chồng nhau.")
        periods.append((start, end))
    return tuple(periods)


def format_office_hours(hours: OfficeHours) -> str:
    return ",".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in hours)


def parse_clock(text: str) -> time:
    """Parse ``"15:00"``; raises ``ValueError`` with a Vietnamese message."""
    match = re.match(r"^\s*(\d{1,2}):(\d{2})\s*$", text)
    try:
        if not match:
            raise ValueError
        return time(int(match.group(1)), int(match.group(2)))
    except ValueError:
        raise ValueError(f"Giờ không hợp lệ: {text!r} (dạng HH:MM).") from None
