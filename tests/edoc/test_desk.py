"""The desk pages of the registers: scoping (other agencies' documents do not exist), compose
and act through forms, bad input answered with a message and never a 500, English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from motcua.edoc import services
from motcua.edoc.models import Document
from motcua.edoc.rules import Direction, DocStatus
from tests.helpers import at

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def client_for(user) -> Client:
    c = Client(raise_request_exception=True)
    c.force_login(user)
    return c


@pytest.fixture
def exchanged(world, sending):
    with sending():
        sent = services.compose_outgoing(
            by=world.leader_a,
            agency=world.a,
            data=services.OutgoingInput(
                recipients=[world.b.edxml_organ_id],
                code_notation="UBND-VP",
                subject="Về việc xác minh nơi cư trú",
                signer_name="Nguyễn Văn An",
                promulgation_date=dt.date(2025, 3, 4),
                files=[("cv.pdf", PDF)],
            ),
            now=at(2025, 3, 4, 9),
        )
    return sent, Document.objects.get(agency=world.b, direction=Direction.IN)


def test_registers_are_scoped_to_the_agency(world, exchanged):
    sent, got = exchanged
    a, b = client_for(world.desk_officer_a), client_for(world.desk_officer_b)
    page = a.get("/desk/van-ban/di/").content.decode()
    assert "Về việc xác minh nơi cư trú" in page
    assert "Về việc xác minh" not in a.get("/desk/van-ban/den/").content.decode()
    assert "Về việc xác minh" in b.get("/desk/van-ban/den/").content.decode()
    # another agency's document, its files and package do not exist for the officer
    for url in (
        f"/desk/van-ban/{got.pk}/",
        f"/desk/van-ban/{got.pk}/edxml/",
        f"/desk/van-ban/{got.pk}/tep/{got.attachments.get().pk}/",
    ):
        assert a.get(url).status_code == 404
        assert b.get(url).status_code == 200
    assert b.get(f"/desk/van-ban/{sent.pk}/").status_code == 404
    assert b.post(f"/desk/van-ban/{got.pk}/trang-thai/", {"status": "received"}).status_code == 302
    assert a.post(f"/desk/van-ban/{got.pk}/trang-thai/", {"status": "done"}).status_code == 404
    # the district administrator sees both communes' registers
    admin = client_for(world.admin_d)
    assert admin.get(f"/desk/van-ban/{got.pk}/").status_code == 200
    assert admin.get(f"/desk/van-ban/{sent.pk}/").status_code == 200


def test_anonymous_and_citizens_are_kept_out(world):
    assert Client().get("/desk/van-ban/den/").status_code == 302
    assert client_for(world.citizen1).get("/desk/van-ban/den/").status_code == 403


def test_compose_through_the_form(world, sending):
    c = client_for(world.leader_a)
    assert c.get("/desk/van-ban/moi/").status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    with sending():
        r = c.post(
            "/desk/van-ban/moi/",
            {
                "agency": world.a.pk,
                "recipients": [world.b.edxml_organ_id],
                "type_name": "Công văn",
                "code_notation": "UBND-VP",
                "promulgation_date": "2025-03-04",
                "subject": "Về việc tổng kết năm",
                "signer_name": "Nguyễn Văn An",
                "priority": "2",
                "files": [SimpleUploadedFile("bao cao.pdf", PDF, "application/pdf")],
            },
        )
    assert r.status_code == 302
    doc = Document.objects.get(agency=world.a)
    assert doc.priority == 2 and doc.attachments.count() == 1
    assert Document.objects.get(agency=world.b).subject == "Về việc tổng kết năm"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"recipients": ["000.00.00.Z99"]}, "Select a valid choice"),
        ({"subject": ""}, ""),
        ({"promulgation_date": "2025-02-30"}, ""),
        ({"promulgation_date": "9999-01-01"}, ""),
        ({"agency": "abc"}, ""),
        ({"priority": "9"}, ""),
        ({"subject": "x" * 5000}, ""),
    ],
)
def test_bad_compose_input_is_a_form_error_not_a_500(world, change, message):
    c = client_for(world.leader_a)
    data = {
        "agency": world.a.pk,
        "recipients": [world.b.edxml_organ_id],
        "type_name": "Công văn",
        "code_notation": "UBND-VP",
        "promulgation_date": "2025-03-04",
        "subject": "Về việc",
        "signer_name": "Nguyễn Văn An",
        "priority": "0",
    }
    data.update(change)
    r = c.post("/desk/van-ban/moi/", data)
    assert r.status_code == 200 and 'class="error"' in r.content.decode()
    assert not Document.objects.exists()


def test_refusing_without_a_reason_is_explained(world, exchanged):
    _, got = exchanged
    b = client_for(world.desk_officer_b)
    r = b.post(f"/desk/van-ban/{got.pk}/trang-thai/", {"status": "refused", "reason": ""})
    assert r.status_code == 400 and "Vui lòng nhập lý do" in r.content.decode()
    for bad in ({"status": "nonsense"}, {"status": "done"}, {}):
        r = b.post(f"/desk/van-ban/{got.pk}/trang-thai/", bad)
        assert r.status_code == 400
    r = b.post(f"/desk/van-ban/{got.pk}/phan-cong/", {"assignee": "x"})
    assert r.status_code in (400, 404)
    got.refresh_from_db()
    assert got.status == DocStatus.PENDING


def test_assign_through_the_form(world, exchanged, sending):
    _, got = exchanged
    b = client_for(world.leader_b)
    with sending():
        b.post(f"/desk/van-ban/{got.pk}/trang-thai/", {"status": "received"})
    r = b.post(f"/desk/van-ban/{got.pk}/phan-cong/", {"assignee": world.specialist_a.pk})
    assert r.status_code == 400  # not one of B's officers: not a choice
    with sending():
        r = b.post(f"/desk/van-ban/{got.pk}/phan-cong/", {"assignee": world.specialist_b.pk})
    assert r.status_code == 302
    got.refresh_from_db()
    assert got.assignee == world.specialist_b and got.status == DocStatus.ASSIGNED
    mine = client_for(world.specialist_b).get("/desk/van-ban/den/?mine=on").content.decode()
    assert "Về việc xác minh" in mine


def test_filters_and_garbage_parameters(world, exchanged):
    b = client_for(world.desk_officer_b)
    for query in (
        "?status=pending",
        "?priority=0",
        "?q=x%C3%A1c",
        "?start=2025-01-01&end=2025-12-31",
        "?status=zzz",
        "?priority=abc",
        "?start=31/31/2025",
        "?page=999",
        "?page=abc",
    ):
        assert b.get("/desk/van-ban/den/" + query).status_code == 200
    assert "Về việc xác minh" not in b.get("/desk/van-ban/den/?status=done").content.decode()
    assert b.get("/desk/van-ban/999999/").status_code == 404


def test_pages_in_english(world, exchanged):
    _, got = exchanged
    b = client_for(world.desk_officer_b)
    b.cookies["django_language"] = "en"
    page = b.get(f"/desk/van-ban/{got.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Incoming register" in page and "Update status" in page
