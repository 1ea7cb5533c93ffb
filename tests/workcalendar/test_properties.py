"""Properties of the working-calendar arithmetic, checked with hypothesis."""

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.workcalendar.officehours import parse_office_hours
from motcua.workcalendar.rules import LOCAL_TZ, Duration, WorkingCalendar
from motcua.workcalendar.vnholidays import vn_year

from .naive import naive_add, naive_due

CAL = WorkingCalendar(source=vn_year)
CALENDARS = [
    CAL,
    CAL.with_office_hours(parse_office_hours("07:00-10:30,13:00-16:30")),
    CAL.with_office_hours(parse_office_hours("08:00-12:00")),
    CAL.with_office_hours(parse_office_hours("07:30-09:00,09:15-11:45,13:00-17:15")),
]

zones = st.sampled_from([LOCAL_TZ, UTC, timezone(timedelta(hours=-5))])
moments = st.builds(
    lambda minutes, seconds, tz: (
        datetime(2020, 1, 1, tzinfo=LOCAL_TZ) + timedelta(minutes=minutes, seconds=seconds)
    ).astimezone(tz),
    st.integers(0, 11 * 366 * 24 * 60),
    st.sampled_from([0, 0, 0, 30, 59]),
    zones,
)
durations = st.one_of(
    st.builds(Duration, st.integers(0, 60), st.just("d")),
    st.builds(Duration, st.integers(0, 200), st.just("h")),
)
calendars = st.sampled_from(CALENDARS)


def in_office_hours(cal: WorkingCalendar, moment: datetime) -> bool:
    local = moment.astimezone(LOCAL_TZ)
    t = local.time()
    return cal.is_working_day(local.date()) and any(a <= t <= b for a, b in cal.office_hours)


@given(calendars, moments, durations)
def test_measuring_what_was_added_gives_it_back(cal, start, duration):
    assert cal.working_time(start, cal.add(start, duration)) == cal.length(duration)


@given(calendars, moments, durations)
def test_results_land_inside_office_hours(cal, start, duration):
    assert in_office_hours(cal, cal.add(start, duration))
    due = cal.due(start, duration)
    assert in_office_hours(cal, due)
    assert due >= start
    assert due.tzinfo is LOCAL_TZ


@given(calendars, moments, moments, durations)
def test_add_and_due_are_monotonic(cal, a, b, duration):
    a, b = min(a, b), max(a, b)
    assert cal.add(a, duration) <= cal.add(b, duration)
    assert cal.due(a, duration) <= cal.due(b, duration)


@given(calendars, moments, st.integers(0, 90 * 24 * 60), st.lists(st.tuples(moments, moments)))
def test_pauses_never_increase_measured_time(cal, start, minutes, pauses):
    end = start + timedelta(minutes=minutes)
    near = [
        (start + (a - start) % timedelta(days=90), start + (b - start) % timedelta(days=90))
        for a, b in pauses
    ]
    full = cal.working_time(start, end)
    paused = cal.working_time(start, end, near)
    assert timedelta(0) <= paused <= full
    assert cal.working_time(start, end, [(start, end)]) == timedelta(0)


@settings(max_examples=300)
@given(calendars, moments, durations)
def test_matches_the_naive_day_by_day_reference(cal, start, duration):
    assert cal.add(start, duration) == naive_add(cal, start, duration)
    assert cal.due(start, duration) == naive_due(cal, start, duration)
