"""Vietnamese public holidays and make-up working days from the ``holidays`` package (no ORM).

The package knows the Labor Code 2019 Art. 112 holidays (lunar ones included) for any year
and hard-codes the yearly swap-day notices it knows (``weekend_workdays``); the database's
overrides complete or correct it.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays

from motcua.workcalendar.rules import YearDays


@lru_cache(maxsize=256)
def _package_year(year: int) -> tuple[dict[date, str], frozenset[date]]:
    vn = holidays.VN(years=year, language="vi")
    off = {d: str(name) for d, name in vn.items() if d.year == year}
    return off, frozenset(d for d in vn.weekend_workdays if d.year == year)


def _makeup_name(day: date) -> str:
    # the package names the swapped day off "Ngày nghỉ (thay cho ngày dd/mm/yyyy)"
    text = f"{day:%d/%m/%Y}"
    for year in (day.year - 1, day.year, day.year + 1):
        for off_day, name in _package_year(year)[0].items():
            if text in name:
                return f"Ngày làm việc bù (cho ngày nghỉ {off_day:%d/%m/%Y})"
    return "Ngày làm việc bù"


def vn_year(year: int) -> YearDays:
    """The package's holidays and make-up working days of ``year``, named in Vietnamese."""
    off, working = _package_year(year)
    return YearDays(off=dict(off), working={d: _makeup_name(d) for d in sorted(working)})
