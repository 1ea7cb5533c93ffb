"""Read paths of the working calendar: the calendar every deadline computation uses."""

from __future__ import annotations

import threading
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Max

from motcua.workcalendar.models import CalendarOverride, OverrideKind
from motcua.workcalendar.officehours import OfficeHours, parse_clock, parse_office_hours
from motcua.workcalendar.rules import WorkingCalendar
from motcua.workcalendar.vnholidays import vn_year

_lock = threading.Lock()
_cached: tuple[tuple, WorkingCalendar] | None = None


def _version() -> tuple:
    """Changes whenever an override is added, edited or deleted (one small aggregate query).

    Checked on every ``get_calendar()`` so that other processes' edits are seen at once;
    ``get_calendar()`` is called once per operation, not once per date computed.
    """
    stamp = CalendarOverride.objects.aggregate(n=Count("id"), last=Max("updated"))
    return (
        stamp["n"],
        stamp["last"],
        settings.MOTCUA_OFFICE_HOURS,
        settings.MOTCUA_SAME_DAY_CUTOFF,
        settings.TIME_ZONE,
    )


def _build() -> WorkingCalendar:
    off: dict = {}
    working: dict = {}
    for row in CalendarOverride.objects.all():
        target = off if row.kind == OverrideKind.DAY_OFF else working
        target[row.date] = row.name
    return WorkingCalendar(
        non_working=off,
        forced_working=working,
        office_hours=parse_office_hours(settings.MOTCUA_OFFICE_HOURS),
        same_day_cutoff=parse_clock(settings.MOTCUA_SAME_DAY_CUTOFF),
        tz=ZoneInfo(settings.TIME_ZONE),
        source=vn_year,
    )


def get_calendar(office_hours: OfficeHours | None = None) -> WorkingCalendar:
    """The working calendar: ``holidays`` package + database overrides + settings.

    ``office_hours`` overrides the default office hours (an agency's own). Cached in the
    process and rebuilt when the overrides or the settings change.
    """
    global _cached
    key = _version()
    cached = _cached
    if cached is None or cached[0] != key:
        with _lock:
            cached = _cached
            if cached is None or cached[0] != key:
                cached = (key, _build())
                _cached = cached
    calendar = cached[1]
    if office_hours is not None and tuple(office_hours) != calendar.office_hours:
        return calendar.with_office_hours(office_hours)
    return calendar
