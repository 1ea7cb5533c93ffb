"""Importing and editing overrides, and the calendar built from them."""

import io
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from motcua.workcalendar.models import CalendarOverride
from motcua.workcalendar.queries import get_calendar
from motcua.workcalendar.rules import LOCAL_TZ, Duration
from motcua.workcalendar.services import (
    ImportResult,
    OverrideImportError,
    delete_override,
    import_overrides,
    save_override,
)

pytestmark = pytest.mark.django_db

CSV = (
    "date,kind,name,reference\n"
    "2025-09-01,working_day,Thử làm việc,Thông báo thử\n"
    "2025-06-04,day_off,Nghỉ bù thử,Thông báo thử\n"
)


def test_import_creates_then_is_idempotent_then_updates(tmp_path):
    path = tmp_path / "overrides.csv"
    path.write_text(CSV, encoding="utf-8")
    assert import_overrides(path) == ImportResult(created=2, updated=0, unchanged=0)
    assert import_overrides(str(path)) == ImportResult(created=0, updated=0, unchanged=2)
    changed = CSV.replace("Nghỉ bù thử", "Nghỉ bù (sửa)")
    assert import_overrides(io.StringIO(changed)) == ImportResult(0, 1, 1)
    assert CalendarOverride.objects.get(date=date(2025, 6, 4)).name == "Nghỉ bù (sửa)"
    assert CalendarOverride.objects.count() == 2


def test_import_accepts_dict_rows_and_a_bom(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(("\ufeff" + CSV).encode("utf-8"))
    assert import_overrides(path).created == 2
    result = import_overrides([{"date": "2025-06-05", "kind": "day_off", "name": "X"}])
    assert result.created == 1


def test_bad_row_imports_nothing():
    CalendarOverride.objects.create(date=date(2025, 6, 4), kind="day_off", name="Cũ")
    bad = CSV + "2025-06-31,day_off,Sai ngày,\n"
    with pytest.raises(OverrideImportError) as caught:
        import_overrides(io.StringIO(bad))
    assert [str(e) for e in caught.value.errors] == [
        "dòng 4: ngày không hợp lệ '2025-06-31' (dạng YYYY-MM-DD hoặc dd/mm/yyyy)"
    ]
    assert "Không nhập dữ liệu nào" in str(caught.value)
    assert list(CalendarOverride.objects.values_list("name", flat=True)) == ["Cũ"]


def test_database_rejects_unknown_kind():
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarOverride.objects.create(date=date(2025, 6, 4), kind="holiday", name="X")


def test_save_override_validates_in_vietnamese():
    with pytest.raises(ValidationError) as caught:
        save_override(CalendarOverride(date=date(2025, 6, 4), kind="day_off", name=""))
    assert "name" in caught.value.message_dict


def test_get_calendar_sees_imports_edits_and_deletes():
    day = date(2025, 6, 4)
    assert get_calendar().is_working_day(day)
    import_overrides(io.StringIO(CSV))
    calendar = get_calendar()
    assert not calendar.is_working_day(day)
    assert calendar.is_working_day(date(2025, 9, 1))  # package holiday overridden
    override = CalendarOverride.objects.get(date=day)
    override.kind = "working_day"
    save_override(override)
    assert get_calendar().is_working_day(day)
    delete_override(CalendarOverride.objects.get(date=date(2025, 9, 1)))
    assert not get_calendar().is_working_day(date(2025, 9, 1))


def test_get_calendar_is_reused_while_nothing_changes(django_assert_num_queries):
    first = get_calendar()
    with django_assert_num_queries(1):  # the version check only
        assert get_calendar() is first


def test_get_calendar_follows_settings(settings):
    received = datetime(2025, 6, 2, 15, 30, tzinfo=LOCAL_TZ)
    assert get_calendar().due(received, Duration(0, "d")) == datetime(
        2025, 6, 3, 17, tzinfo=LOCAL_TZ
    )
    settings.MOTCUA_SAME_DAY_CUTOFF = "16:00"
    settings.MOTCUA_OFFICE_HOURS = "07:30-11:30,13:00-16:30"
    calendar = get_calendar()
    assert calendar.due(received, Duration(0, "d")) == datetime(2025, 6, 2, 16, 30, tzinfo=LOCAL_TZ)


def test_get_calendar_with_agency_office_hours():
    from motcua.workcalendar.officehours import parse_office_hours

    hours = parse_office_hours("07:00-10:30,13:00-16:30")
    calendar = get_calendar(hours)
    assert calendar.office_hours == hours
    start = datetime(2025, 6, 2, 10, tzinfo=LOCAL_TZ)
    assert calendar.add(start, Duration(1, "h")) == datetime(2025, 6, 2, 13, 30, tzinfo=LOCAL_TZ)
    assert get_calendar().office_hours != hours


def test_calendar_cache_sees_local_edits_at_once_and_rechecks_the_database(db, monkeypatch):
    import datetime as dt

    from motcua.workcalendar import queries
    from motcua.workcalendar.models import CalendarOverride

    monkeypatch.setattr(queries, "RECHECK_SECONDS", 3600.0)
    day = dt.date(2030, 3, 12)  # a Tuesday
    assert queries.get_calendar().is_working_day(day)
    CalendarOverride.objects.create(date=day, kind="day_off", name="Nghỉ bù", reference="TB 1")
    assert not queries.get_calendar().is_working_day(day)  # this process's edit: at once
    # another process's save: the row changes, no signal reaches this process
    CalendarOverride.objects.filter(date=day).update(
        kind="working_day", updated=dt.datetime(2031, 1, 1, tzinfo=dt.UTC)
    )
    assert not queries.get_calendar().is_working_day(day)  # within the re-check window
    monkeypatch.setattr(queries, "RECHECK_SECONDS", 0.0)
    assert queries.get_calendar().is_working_day(day)  # the next check sees it


def test_a_local_edit_is_seen_at_once_even_just_after_boot(db, monkeypatch):
    """time.monotonic() counts from boot on Linux: under RECHECK_SECONDS of uptime, an
    invalidation that sets the last check to 0.0 still looked fresh (issue 9 §1)."""
    import datetime as dt

    from motcua.workcalendar import queries
    from motcua.workcalendar.models import CalendarOverride

    monkeypatch.setattr(queries, "RECHECK_SECONDS", 3600.0)
    monkeypatch.setattr(queries.time, "monotonic", lambda: 120.0)  # two minutes after boot
    day = dt.date(2030, 3, 12)  # a Tuesday
    assert queries.get_calendar().is_working_day(day)
    CalendarOverride.objects.create(date=day, kind="day_off", name="Nghỉ bù", reference="TB 1")
    assert not queries.get_calendar().is_working_day(day)
