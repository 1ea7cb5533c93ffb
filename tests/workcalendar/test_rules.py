"""Working-calendar arithmetic against real notices (Asia/Ho_Chi_Minh)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from motcua.workcalendar.officehours import parse_office_hours
from motcua.workcalendar.rules import LOCAL_TZ, Duration, WorkingCalendar
from motcua.workcalendar.vnholidays import vn_year

from .naive import naive_add

CAL = WorkingCalendar(source=vn_year)


def at(y, m, d, hh=0, mm=0, ss=0):
    return datetime(y, m, d, hh, mm, ss, tzinfo=LOCAL_TZ)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5d", Duration(5, "d")),
        ("4h", Duration(4, "h")),
        ("0d", Duration(0, "d")),
        (" 12D ", Duration(12, "d")),
    ],
)
def test_duration_parse_round_trip(text, expected):
    assert Duration.parse(text) == expected
    assert str(Duration.parse(text)) == text.strip().lower()


@pytest.mark.parametrize("text", ["", "5", "d", "-1d", "1.5d", "5w", "5 days"])
def test_duration_parse_rejects_in_vietnamese(text):
    with pytest.raises(ValueError, match="Thời hạn không hợp lệ"):
        Duration.parse(text)


def test_duration_rejects_bad_fields():
    with pytest.raises(ValueError, match="Đơn vị"):
        Duration(1, "w")
    with pytest.raises(ValueError, match="không âm"):
        Duration(-1, "d")


def test_tet_2025_five_days():
    # received Friday 24/01/2025 09:00; Tết break 25/01–02/02
    assert CAL.due(at(2025, 1, 24, 9), Duration(5, "d")) == at(2025, 2, 7, 9)


def test_2025_make_up_saturday_and_swapped_day_off():
    assert CAL.is_working_day(date(2025, 4, 26))  # Saturday, make-up working day
    assert not CAL.is_working_day(date(2025, 5, 2))  # Friday, swapped day off
    assert not CAL.is_working_day(date(2025, 4, 27))  # an ordinary Sunday
    # Friday 25/04 + 1d lands on the make-up Saturday
    assert CAL.add(at(2025, 4, 25, 9), Duration(1, "d")) == at(2025, 4, 26, 9)


def test_tet_2026_off():
    for day in range(16, 21):
        assert not CAL.is_working_day(date(2026, 2, day))
    assert CAL.is_working_day(date(2026, 2, 13))
    assert CAL.is_working_day(date(2026, 2, 23))
    assert CAL.add(at(2026, 2, 13, 10), Duration(1, "d")) == at(2026, 2, 23, 10)


def test_same_day_cut_off():
    monday = (2025, 6, 2)
    assert CAL.due(at(*monday, 14, 59), Duration(0, "d")) == at(*monday, 17)
    assert CAL.due(at(*monday, 15, 0), Duration(0, "d")) == at(*monday, 17)
    assert CAL.due(at(*monday, 15, 1), Duration(0, "d")) == at(2025, 6, 3, 17)
    assert CAL.due(at(*monday, 16, 0), Duration(0, "d")) == at(2025, 6, 3, 17)
    assert CAL.due(at(*monday, 6, 0), Duration(0, "d")) == at(*monday, 17)  # before opening
    assert CAL.due(at(2025, 6, 7, 10), Duration(0, "d")) == at(2025, 6, 9, 17)  # Saturday
    # Friday after the cut-off, before Tết 2026: the next working day is 23/02
    assert CAL.due(at(2026, 2, 13, 16), Duration(0, "d")) == at(2026, 2, 23, 17)


def test_hours_cross_the_lunch_break():
    assert CAL.add(at(2025, 6, 2, 10), Duration(4, "h")) == at(2025, 6, 2, 16)


def test_hours_cross_days_and_report_period_end():
    assert CAL.add(at(2025, 6, 2, 10), Duration(1, "h")) == at(2025, 6, 2, 11)
    # exactly fills the morning: "by 11:30", not "at 13:30"
    assert CAL.add(at(2025, 6, 2, 9, 30), Duration(2, "h")) == at(2025, 6, 2, 11, 30)
    assert CAL.add(at(2025, 6, 2, 9, 30), Duration(3, "h")) == at(2025, 6, 2, 14, 30)
    assert CAL.add(at(2025, 6, 2, 10), Duration(8, "h")) == at(2025, 6, 3, 10)
    assert CAL.add(at(2025, 6, 2, 9), Duration(6, "h")) == at(2025, 6, 2, 17)  # not 07:00 Tue
    assert CAL.add(at(2025, 6, 6, 9), Duration(6, "h")) == at(2025, 6, 6, 17)  # not Monday


def test_days_keep_offset_and_day_boundary_is_previous_close():
    assert CAL.add(at(2025, 6, 2, 7), Duration(5, "d")) == at(2025, 6, 6, 17)
    assert CAL.add(at(2025, 6, 2, 9, 15), Duration(5, "d")) == at(2025, 6, 9, 9, 15)


def test_start_outside_hours_moves_to_next_working_instant():
    # Saturday noon + 4h: from Monday 07:00
    assert CAL.add(at(2025, 6, 7, 12), Duration(4, "h")) == at(2025, 6, 9, 11)
    # lunch break + 1h: from 13:30
    assert CAL.add(at(2025, 6, 2, 12), Duration(1, "h")) == at(2025, 6, 2, 14, 30)
    # 0h returns the next working instant itself
    assert CAL.add(at(2025, 6, 2, 18), Duration(0, "h")) == at(2025, 6, 3, 7)


def test_accepts_any_timezone_and_returns_local():
    received = datetime(2025, 1, 24, 2, tzinfo=UTC)  # 09:00 in Hà Nội
    due = CAL.due(received, Duration(5, "d"))
    assert due == at(2025, 2, 7, 9)
    assert due.tzinfo is LOCAL_TZ
    assert due.utcoffset() == timedelta(hours=7)
    paris = datetime(2025, 1, 24, 3, tzinfo=ZoneInfo("Europe/Paris"))
    assert CAL.due(paris, Duration(5, "d")) == due


def test_naive_datetime_rejected():
    with pytest.raises(ValueError, match="aware"):
        CAL.add(datetime(2025, 1, 1, 9), Duration(1, "d"))


def test_override_working_day_on_package_holiday():
    cal = WorkingCalendar(forced_working={date(2025, 9, 1)}, source=vn_year)
    assert cal.is_working_day(date(2025, 9, 1))
    assert not CAL.is_working_day(date(2025, 9, 1))


def test_override_day_off_on_weekday():
    cal = WorkingCalendar(non_working={date(2025, 6, 4): "Nghỉ bù"}, source=vn_year)
    assert not cal.is_working_day(date(2025, 6, 4))
    assert cal.add(at(2025, 6, 3, 9), Duration(1, "d")) == at(2025, 6, 5, 9)
    assert any(e.day == date(2025, 6, 4) and e.name == "Nghỉ bù" for e in cal.exceptions(2025))


def test_override_day_off_cancels_package_make_up_day():
    cal = WorkingCalendar(non_working={date(2025, 4, 26)}, source=vn_year)
    assert not cal.is_working_day(date(2025, 4, 26))


def test_same_date_in_both_sets_rejected():
    with pytest.raises(ValueError):
        WorkingCalendar(non_working={date(2025, 1, 2)}, forced_working={date(2025, 1, 2)})


def test_working_time_basic_and_pauses():
    start, end = at(2025, 6, 2, 7), at(2025, 6, 3, 17)
    assert CAL.working_time(start, end) == timedelta(hours=16)
    assert CAL.working_time(end, start) == timedelta(0)
    # lunch and evening do not count
    assert CAL.working_time(at(2025, 6, 2, 11), at(2025, 6, 2, 14)) == timedelta(minutes=60)
    pauses = [
        (at(2025, 6, 2, 8), at(2025, 6, 2, 10)),
        (at(2025, 6, 2, 9), at(2025, 6, 2, 11)),  # overlaps the first
        (at(2025, 6, 1, 8), at(2025, 6, 2, 7, 30)),  # starts before `start`
    ]
    assert CAL.working_time(start, end, pauses) == timedelta(hours=16 - 3.5)


def test_working_time_gives_duration_back_over_tet():
    start = at(2025, 1, 24, 9)
    for text in ("5d", "4h", "37h", "0d"):
        duration = Duration.parse(text)
        assert CAL.working_time(start, CAL.add(start, duration)) == CAL.length(duration)


def test_with_office_hours_shares_days():
    cantho = CAL.with_office_hours(parse_office_hours("07:00-10:30,13:00-16:30"))
    assert cantho.day_length == timedelta(hours=7)
    assert cantho.add(at(2025, 6, 2, 10), Duration(1, "h")) == at(2025, 6, 2, 13, 30)
    assert cantho.due(at(2025, 1, 24, 9), Duration(5, "d")) == at(2025, 2, 7, 9)
    assert cantho.due(at(2025, 6, 2, 15), Duration(0, "d")) == at(2025, 6, 2, 16, 30)
    assert CAL.office_hours == parse_office_hours("07:00-11:30,13:30-17:00")


def test_cut_off_after_closing_counts_as_closing():
    cal = WorkingCalendar(same_day_cutoff=time(18, 0))
    assert cal.due(at(2025, 6, 2, 17, 30), Duration(0, "d")) == at(2025, 6, 3, 17)


def test_dates_far_outside_the_built_range_extend_it():
    cal = WorkingCalendar(source=vn_year)
    assert cal.add(at(2025, 6, 2, 9), Duration(1, "d")) == at(2025, 6, 3, 9)
    # Tết 2040 (lunar 12/02/2040 is a Sunday); the package computes it on demand
    assert not cal.is_working_day(date(2040, 2, 13))
    assert not cal.is_working_day(date(1999, 2, 17))  # Tết 1999
    # a long duration runs past the table and grows it: 2000 working days
    far = cal.add(at(2025, 6, 2, 9), Duration(2000, "d"))
    assert cal.working_time(at(2025, 6, 2, 9), far) == cal.length(Duration(2000, "d"))
    assert far.year >= 2033


def test_growing_the_table_mid_computation_keeps_the_start_offset():
    start = at(2025, 6, 2, 9, 20)
    fresh = WorkingCalendar(source=vn_year)  # its table covers 2024–2027 at first
    result = fresh.add(start, Duration(20_003, "h"))  # about ten years on
    assert result == naive_add(fresh, start, Duration(20_003, "h"))
    assert result.time() == time(14, 20)  # 09:20 + 3h across the lunch break
    assert fresh.working_time(start, result) == timedelta(hours=20_003)


def test_exceptions_lists_weekday_holidays_and_worked_weekends():
    listed = {(e.day, e.working) for e in CAL.exceptions(2025)}
    assert (date(2025, 4, 26), True) in listed
    assert (date(2025, 5, 2), False) in listed
    assert (date(2025, 2, 1), False) not in listed  # Tết day on a Saturday: not an exception
