"""The Django admin for calendar overrides (Vietnamese, filters, search, saving)."""

from datetime import date

import pytest
from django.urls import reverse

from motcua.workcalendar.models import CalendarOverride
from motcua.workcalendar.queries import get_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def overrides():
    CalendarOverride.objects.create(
        date=date(2025, 4, 26), kind="working_day", name="Làm bù", reference="TB 6150"
    )
    CalendarOverride.objects.create(date=date(2026, 6, 4), kind="day_off", name="Nghỉ thử")


def test_changelist_filters_by_kind_and_year_and_searches(admin_client, overrides):
    url = reverse("admin:workcalendar_calendaroverride_changelist")
    page = admin_client.get(url).content.decode()
    assert "điều chỉnh lịch làm việc" in page
    assert "Làm bù" in page and "Nghỉ thử" in page
    by_kind = admin_client.get(url, {"kind__exact": "day_off"}).content.decode()
    assert "Nghỉ thử" in by_kind and "Làm bù" not in by_kind
    by_year = admin_client.get(url, {"nam": "2025"}).content.decode()
    assert "Làm bù" in by_year and "Nghỉ thử" not in by_year
    found = admin_client.get(url, {"q": "6150"}).content.decode()
    assert "Làm bù" in found and "Nghỉ thử" not in found


def test_adding_through_admin_changes_the_calendar(admin_client):
    assert get_calendar().is_working_day(date(2025, 6, 4))
    response = admin_client.post(
        reverse("admin:workcalendar_calendaroverride_add"),
        {"date": "2025-06-04", "kind": "day_off", "name": "Nghỉ thử", "reference": ""},
    )
    assert response.status_code == 302
    assert not get_calendar().is_working_day(date(2025, 6, 4))


def test_admin_form_errors_in_vietnamese(admin_client, overrides):
    response = admin_client.post(
        reverse("admin:workcalendar_calendaroverride_add"),
        {"date": "2025-04-26", "kind": "day_off", "name": "Trùng", "reference": ""},
    )
    assert response.status_code == 200
    assert "đã tồn tại" in response.content.decode()
