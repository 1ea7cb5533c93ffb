"""Read paths of the working calendar: the calendar every deadline computation uses."""

from __future__ import annotations

import threading
import time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from motcua.workcalendar.models import CalendarOverride, OverrideKind
from motcua.workcalendar.officehours import OfficeHours, parse_clock, parse_office_hours
from motcua.workcalendar.rules import WorkingCalendar
from motcua.workcalendar.vnholidays import vn_year

_lock = threading.Lock()
_cached: tuple[tuple, WorkingCalendar] | None = None
# When the database was last checked (time.monotonic()); -inf: "check on the next call". Not
# 0.0: monotonic() counts from an arbitrary point (boot on Linux), so on a machine up for less
# than RECHECK_SECONDS a 0.0 would still look fresh and a local edit would go unseen.
_NEVER = float("-inf")
_checked_at = _NEVER
# Edits made in this process invalidate at once (signals below); other processes' edits are seen
# within this many seconds, without a database round trip on every deadline computation.
RECHECK_SECONDS = 1.0


def _version() -> tuple:
    """Changes whenever an override is added, edited or deleted (one small aggregate query),
    checked at most every ``RECHECK_SECONDS`` and at once after an edit in this process."""
    stamp = CalendarOverride.objects.aggregate(n=Count("id"), last=Max("updated"))
    return (stamp["n"], stamp["last"], *_settings_key())


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
    global _cached, _checked_at
    cached = _cached
    now = time.monotonic()
    if (
        cached is not None
        and now - _checked_at < RECHECK_SECONDS
        and cached[0][2:] == _settings_key()
    ):
        return _with_hours(cached[1], office_hours)
    key = _version()
    _checked_at = now
    if cached is None or cached[0] != key:
        with _lock:
            cached = _cached
            if cached is None or cached[0] != key:
                cached = (key, _build())
                _cached = cached
    return _with_hours(cached[1], office_hours)


def _with_hours(calendar: WorkingCalendar, office_hours: OfficeHours | None) -> WorkingCalendar:
    if office_hours is not None and tuple(office_hours) != calendar.office_hours:
        return calendar.with_office_hours(office_hours)
    return calendar


def _settings_key() -> tuple:
    return (settings.MOTCUA_OFFICE_HOURS, settings.MOTCUA_SAME_DAY_CUTOFF, settings.TIME_ZONE)


@receiver([post_save, post_delete], sender=CalendarOverride, dispatch_uid="calendar-cache")
def _forget(**kwargs) -> None:
    global _checked_at
    _checked_at = _NEVER
