"""Issue 9 §4: a birth date in the future is refused on the portal, at the desk and on the
API (one rule: core.dateparams.check_birth_date, in forms and in validate_applicant)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from motcua.desk.forms import ApplicantForm as DeskApplicantForm
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ApplicantData
from motcua.dossiers.validation import validate_applicant
from motcua.portal.forms import ApplicantForm as PortalApplicantForm
from tests.dossiers.conftest import make_world


def tomorrow() -> dt.date:
    """Computed when the test runs, not at collection: a suite started before midnight (Vietnam
    time) and reaching this test after it took "tomorrow" for today (seen in a full run)."""
    return timezone.localdate() + dt.timedelta(days=1)


APPLICANT = {
    "kind": "individual",
    "name": "Nguyễn Thị Hồng Nhung",
    "id_number": "092190001234",
    "phone": "0901234567",
}


@pytest.mark.parametrize("form_class", [PortalApplicantForm, DeskApplicantForm])
@pytest.mark.parametrize(
    ("birth", "message"),
    [
        ("tomorrow", "Ngày sinh không thể ở tương lai."),
        ("9999-12-31", "Ngày sinh không thể ở tương lai."),
        ("0001-01-01", "Ngày sinh phải từ năm 1900 trở về sau."),
    ],
)
def test_applicant_forms_refuse_impossible_birth_dates(db, form_class, birth, message):
    if birth == "tomorrow":
        birth = tomorrow().isoformat()
    form = form_class({**APPLICANT, "birth_date": birth})
    assert not form.is_valid()
    assert form.errors["birth_date"] == [message]


@pytest.mark.parametrize("form_class", [PortalApplicantForm, DeskApplicantForm])
def test_applicant_forms_accept_a_real_birth_date(db, form_class):
    form = form_class({**APPLICANT, "birth_date": "1990-05-04"})
    form.is_valid()
    assert "birth_date" not in form.errors


def test_engine_refuses_a_future_birth_date():
    data = ApplicantData(
        name="Nguyễn Thị Hồng Nhung", id_number="092190001234", birth_date=tomorrow()
    )
    assert validate_applicant(data)["applicant.birth_date"] == "Ngày sinh không thể ở tương lai."


def test_api_submission_with_a_future_birth_date_is_a_422(db):
    world = make_world()
    client = Client(raise_request_exception=False)
    client.force_login(world.desk_officer_a)
    body = {
        "procedure": world.procedure.code,
        "receiving_agency": world.a.code,
        "channel": "city_portal",
        "applicant": {**APPLICANT, "birth_date": tomorrow().isoformat()},
        "documents": [],
    }
    response = client.post("/api/v1/dossiers", body, content_type="application/json")
    assert response.status_code == 422, response.content[:500]
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors["applicant.birth_date"] == "Ngày sinh không thể ở tương lai."
    assert not Dossier.objects.exists()
