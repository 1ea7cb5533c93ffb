"""A deliberately naive day-by-day reference for the calendar arithmetic (test oracle)."""

from datetime import date, datetime, time, timedelta

from motcua.workcalendar.rules import Duration, WorkingCalendar


def _seconds(t: time) -> float:
    return t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6


def _next_working(cal: WorkingCalendar, d: date) -> date:
    d += timedelta(days=1)
    while not cal.is_working_day(d):
        d += timedelta(days=1)
    return d


def _previous_working(cal: WorkingCalendar, d: date) -> date:
    d -= timedelta(days=1)
    while not cal.is_working_day(d):
        d -= timedelta(days=1)
    return d


def _start(cal: WorkingCalendar, moment: datetime) -> tuple[date, int, float]:
    """(working day, period index, seconds into the day) of the next working instant."""
    local = moment.astimezone(cal.tz)
    d, t = local.date(), _seconds(local.time())
    if cal.is_working_day(d):
        for i, (a, b) in enumerate(cal.office_hours):
            if t < _seconds(b):
                return d, i, max(t, _seconds(a))
    d = d if not cal.is_working_day(d) else _next_working(cal, d)
    while not cal.is_working_day(d):
        d += timedelta(days=1)
    return d, 0, _seconds(cal.office_hours[0][0])


def _at(cal: WorkingCalendar, d: date, seconds: float) -> datetime:
    return datetime.combine(d, time(0), tzinfo=cal.tz) + timedelta(seconds=seconds)


def naive_add(cal: WorkingCalendar, start: datetime, duration: Duration) -> datetime:
    d, i, t = _start(cal, start)
    hours = cal.office_hours
    if duration.amount == 0:
        return _at(cal, d, t)
    if duration.unit == "d":
        for _ in range(duration.amount):
            d = _next_working(cal, d)
        if i == 0 and t == _seconds(hours[0][0]):  # start of a day: the previous close
            return _at(cal, _previous_working(cal, d), _seconds(hours[-1][1]))
        if i > 0 and t == _seconds(hours[i][0]):  # start of a period: the previous end
            return _at(cal, d, _seconds(hours[i - 1][1]))
        return _at(cal, d, t)
    left = duration.amount * 3600.0
    while True:
        end = _seconds(hours[i][1])
        if t + left <= end:
            return _at(cal, d, t + left)
        left -= end - t
        i += 1
        if i == len(hours):
            d, i = _next_working(cal, d), 0
        t = _seconds(hours[i][0])


def naive_due(cal: WorkingCalendar, received: datetime, duration: Duration) -> datetime:
    if duration.amount or duration.unit == "h":
        return naive_add(cal, received, duration)
    local = received.astimezone(cal.tz)
    d = local.date()
    cutoff = min(cal.same_day_cutoff, cal.office_hours[-1][1])
    if not cal.is_working_day(d) or local.time() > cutoff:
        d = _next_working(cal, d)
    return _at(cal, d, _seconds(cal.office_hours[-1][1]))
