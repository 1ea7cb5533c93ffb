"""Desk pages: scoped list and detail (other agencies' certificates do not exist: 404),
revocation and return forms (403 without the right), import for the register office only,
expiring certificates highlighted; hostile input answers 4xx, never 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from motcua.certificates.models import Certificate
from motcua.certificates.rules import Status
from motcua.core.models import ChangeEvent
from tests.certificates.conftest import add, row, xlsx

URL = "/desk/certificates/"


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def certs(world):
    today = timezone.localdate()
    return {
        "justice": add(world.justice, "aa01", holder_name="Trần Thị Tư Pháp"),
        "notary": add(world.notary, "aa02", holder_name="Lê Văn Công Chứng"),
        "health": add(world.health, "aa03", holder_name="Phạm Y Tế"),
        "soon": add(
            world.justice,
            "aa04",
            holder_name="Võ Sắp Hết",
            valid_from=today - dt.timedelta(days=300),
            valid_to=today + dt.timedelta(days=10),
        ),
    }


def test_an_agency_sees_its_subtree_only(world, certs):
    page = client(world.justice_officer).get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Trần Thị Tư Pháp" in text and "Lê Văn Công Chứng" in text
    assert "Phạm Y Tế" not in text
    health = client(world.health_officer).get(URL).content.decode()
    assert "Phạm Y Tế" in health and "Trần Thị Tư Pháp" not in health
    office = client(world.office).get(URL).content.decode()
    assert all(name in office for name in ("Trần Thị Tư Pháp", "Phạm Y Tế", "Lê Văn Công Chứng"))


def test_another_agencys_certificate_is_not_found(world, certs):
    c = client(world.health_officer)
    assert c.get(f"{URL}{certs['justice'].pk}/").status_code == 404
    answer = c.post(
        f"{URL}{certs['justice'].pk}/",
        {"action": "revoke", "r-on": "2021-09-01", "r-reason": "x"},
    )
    assert answer.status_code == 404
    assert Certificate.objects.get(pk=certs["justice"].pk).status == Status.ACTIVE


def test_a_specialist_sees_but_may_not_revoke(world, certs):
    c = client(world.justice_officer)
    page = c.get(f"{URL}{certs['notary'].pk}/")
    assert page.status_code == 200 and "revoke-form" not in page.content.decode()
    answer = c.post(
        f"{URL}{certs['notary'].pk}/", {"action": "revoke", "r-on": "2021-09-01", "r-reason": "x"}
    )
    assert answer.status_code == 403
    assert Certificate.objects.get(pk=certs["notary"].pk).status == Status.ACTIVE


def test_a_leader_records_a_revocation_and_the_history_shows_it(world, certs):
    c = client(world.justice_leader)
    url = f"{URL}{certs['notary'].pk}/"
    answer = c.post(url, {"action": "revoke", "r-on": "2021-09-01", "r-reason": "Nghỉ hưu"})
    assert answer.status_code == 302
    page = c.get(url).content.decode()
    assert "Đã thu hồi" in page and "Nghỉ hưu" in page
    assert ChangeEvent.objects.filter(
        action="certificate.status", object_id=str(certs["notary"].pk)
    ).exists()


def test_a_refused_revocation_is_shown_beside_the_form(world, certs):
    c = client(world.justice_leader)
    url = f"{URL}{certs['justice'].pk}/"
    answer = c.post(url, {"action": "revoke", "r-on": "2020-01-01", "r-reason": "x"})
    assert answer.status_code == 400
    assert "trước ngày cấp" in answer.content.decode()


def test_return_form(world, certs):
    c = client(world.office)
    url = f"{URL}{certs['health'].pk}/"
    assert c.post(url, {"action": "return", "t-on": "2021-09-01"}).status_code == 302
    assert Certificate.objects.get(pk=certs["health"].pk).status == Status.RETURNED


def test_filters_and_the_expiring_highlight(world, certs):
    c = client(world.office)
    page = c.get(URL).content.decode()
    assert 'id="expiring-warning"' in page and "row-expiring" in page
    soon = c.get(URL, {"within": "30"}).content.decode()
    assert "Võ Sắp Hết" in soon and "Trần Thị Tư Pháp" not in soon
    sub = c.get(URL, {"agency": world.justice.code}).content.decode()
    assert "Lê Văn Công Chứng" in sub and "Phạm Y Tế" not in sub
    assert "Phạm Y Tế" not in c.get(URL, {"status": "revoked"}).content.decode()
    assert "Phạm Y Tế" in c.get(URL, {"kind": "personal", "q": "y tế"}).content.decode()


def test_import_page_for_the_office_only(world, certs):
    data = xlsx([row(1, "bb01"), row(2, "bb02")])
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload(user, content=data):
        return client(user).post(f"{URL}import/", {"file": SimpleUploadedFile("cts.xlsx", content)})

    assert upload(world.justice_leader).status_code == 403
    assert upload(world.office).status_code == 302
    assert Certificate.objects.filter(serial__in=["bb01", "bb02"]).count() == 2
    bad = upload(world.office, xlsx([row(1, "zz!")]))
    assert bad.status_code == 400 and "Dòng 3, cột “Số hiệu chứng thư”" in bad.content.decode()


def test_export_keeps_the_scope(world, certs):
    import io

    from openpyxl import load_workbook

    answer = client(world.health_officer).get(f"{URL}export.xlsx")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    names = [r[2] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Phạm Y Tế"]


def test_citizens_and_anonymous_are_kept_out(world, certs):
    assert Client().get(URL).status_code == 302
    assert client(world.citizen).get(URL).status_code == 403
    assert client(world.citizen).get(f"{URL}{certs['health'].pk}/").status_code == 403


@pytest.mark.parametrize(
    "params",
    [
        {"within": "9" * 40},
        {"within": "-1"},
        {"active_at": "9999-12-31"},
        {"issued_by": "0001-01-01"},
        {"agency": "x" * 5000},
        {"q": "ǅ🙂\u200b" * 500},
        {"status": "nope", "kind": "' OR 1=1 --"},
        {"page": "9223372036854775808"},
    ],
)
def test_hostile_list_parameters_never_crash(world, certs, params):
    answer = client(world.office).get(URL, params)
    assert answer.status_code in (200, 400)
    assert client(world.office).get(f"{URL}export.xlsx", params).status_code == 200


@pytest.mark.parametrize(
    "form",
    [
        {"action": "revoke", "r-on": "9999-12-31", "r-reason": "x"},
        {"action": "revoke", "r-on": "2021-09-01", "r-reason": "x" * 5000},
        {"action": "return", "t-on": "0001-01-01"},
        {"action": "file"},
        {"action": "???"},
    ],
)
def test_hostile_forms_never_crash(world, certs, form):
    answer = client(world.office).post(f"{URL}{certs['health'].pk}/", form)
    assert answer.status_code == 400
    assert Certificate.objects.get(pk=certs["health"].pk).status == Status.ACTIVE


def test_a_huge_unknown_id_is_404(world):
    assert client(world.office).get(f"{URL}99999999999999999999/").status_code == 404
