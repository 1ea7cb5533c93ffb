"""Issue 9: the feedback intake is no dossier-code oracle, is rate limited, takes attachments,
asks for publication (opt-in) and fills in a signed-in citizen's details."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.models import User
from motcua.catalog.models import Field, Procedure
from motcua.catalog.services import create_default_workflow
from motcua.dossiers import services as D
from motcua.dossiers.models import Dossier
from motcua.feedback.models import FeedbackItem
from tests.feedback.conftest import http

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
APPLICANT = D.ApplicantData(
    name="Nguyễn Thị Hồng Nhung",
    id_number="092190001234",
    phone="0907654321",
    address="12 Hòa Bình, Cái Khế, Ninh Kiều",
)
FORM = {
    "category": "environment",
    "description": "Rác tồn đọng nhiều ngày trước nhà số 12 đường Hòa Bình, bốc mùi hôi.",
    "reporter_phone": "0901234567",
}


def dossier_of(world, user) -> Dossier:
    """A dossier of ``user`` received at the feedback world's commune."""
    procedure = Procedure.objects.create(
        code="1.004884",
        name_vi="Thủ tục đăng ký lại khai sinh",
        field=Field.objects.create(name_vi="Hộ tịch"),
        at_commune=True,
        processing_amount=5,
        processing_unit="d",
    )
    create_default_workflow(procedure)
    return D.submit(
        by=user,
        procedure=procedure,
        receiving_agency=world.commune,
        applicant=APPLICANT,
        documents=[D.DocumentInput(name="Tờ khai")],
    )


def api_post(live_server, body: dict):
    return http(
        "POST",
        f"{live_server.url}/api/v1/feedback/items",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )


# -- no dossier-code existence oracle ---------------------------------------------------------


def test_the_api_answers_alike_whether_a_dossier_code_exists(world, live_server):
    dossier = dossier_of(world, world.citizen)
    body = {**FORM, "category": "traffic"}
    unknown = api_post(live_server, {**body, "dossier_code": "000.01.21.H13-999999-9999"})
    known = api_post(live_server, {**body, "dossier_code": dossier.code})
    wrong_digits = api_post(
        live_server, {**body, "dossier_code": dossier.code, "dossier_digits": "0000"}
    )
    assert unknown.status == known.status == wrong_digits.status == 201
    assert set(unknown.json()) == set(known.json()) == set(wrong_digits.json())
    for reply in (unknown, known, wrong_digits):  # kept as text for the operator, not linked
        item = FeedbackItem.objects.get(code=reply.json()["code"])
        assert item.dossier is None and item.dossier_code
    # proof as public tracking asks it: the last 4 digits of the applicant's phone or ID
    proven = api_post(
        live_server, {**body, "dossier_code": dossier.code.lower(), "dossier_digits": "4321"}
    )
    assert proven.status == 201
    assert FeedbackItem.objects.get(code=proven.json()["code"]).dossier == dossier


def test_the_portal_form_answers_alike_and_links_the_owners_dossier(world, client):
    dossier = dossier_of(world, world.citizen)
    replies = [
        client.post("/feedback/new/", {**FORM, "dossier_code": code})
        for code in ("000.01.21.H13-999999-9999", dossier.code)
    ]
    assert [r.status_code for r in replies] == [302, 302]
    assert not FeedbackItem.objects.filter(dossier__isnull=False).exists()
    # a form error elsewhere says nothing about the dossier either
    pages = [
        client.post("/feedback/new/", {**FORM, "description": "x", "dossier_code": code})
        for code in ("000.01.21.H13-999999-9999", dossier.code)
    ]
    codes = ("000.01.21.H13-999999-9999", dossier.code)
    texts = [p.content.decode().replace(c, "") for p, c in zip(pages, codes, strict=True)]
    assert pages[0].status_code == pages[1].status_code == 200
    assert "hồ sơ có mã" not in texts[0] and texts[0].count("field-error") == texts[1].count(
        "field-error"
    )
    # the signed-in owner: linked without digits
    client.force_login(world.citizen)
    assert client.post("/feedback/new/", {**FORM, "dossier_code": dossier.code}).status_code == 302
    assert FeedbackItem.objects.get(dossier=dossier).reporter_user == world.citizen
    # another signed-in citizen is not the owner: not linked
    client.force_login(User.objects.create_user("other", password="x-Other-123"))
    client.post("/feedback/new/", {**FORM, "dossier_code": dossier.code})
    assert FeedbackItem.objects.filter(dossier=dossier).count() == 1


def test_submissions_are_rate_limited_per_address(world, client, live_server, settings):
    settings.MOTCUA_FEEDBACK_PER_HOUR = 2
    assert client.post("/feedback/new/", FORM).status_code == 302
    assert client.post("/feedback/new/", FORM).status_code == 302
    limited = client.post("/feedback/new/", FORM)
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert "quá nhiều phản ánh" in limited.content.decode()
    assert FeedbackItem.objects.count() == 2
    # the API shares the address's count (the live server and the test client are 127.0.0.1)
    reply = api_post(live_server, {**FORM, "category": "traffic"})
    assert reply.status == 429 and reply.json()["code"] == "rate_limited"
    assert int(reply.headers["Retry-After"]) > 0
    # operators entering calls are not limited
    client.force_login(world.operator)
    entered = client.post("/feedback/desk/new/", {**FORM, "channel": "hotline"})
    assert entered.status_code == 302


# -- the form ----------------------------------------------------------------------------------


def test_an_attached_pdf_is_stored_and_served_to_the_operator(world, client):
    upload = SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")
    reply = client.post("/feedback/new/", {**FORM, "files": [upload]})
    assert reply.status_code == 302, reply.content.decode()
    att = FeedbackItem.objects.get().attachments.get()
    assert att.content_type == "application/pdf" and att.size == len(PDF)
    client.force_login(world.operator)
    page = client.get(f"/feedback/desk/{att.item.code}/").content.decode()
    assert "bien-ban.pdf" in page
    served = client.get(f"/feedback/desk/{att.item.code}/files/{att.pk}/")
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF
    assert served["Content-Type"] == "application/pdf"
    client.force_login(world.specialist_gt)  # not in scope: the district's item
    assert client.get(f"/feedback/desk/{att.item.code}/files/{att.pk}/").status_code in (403, 404)


def test_a_file_that_is_no_accepted_type_is_refused_in_vietnamese(world, client):
    upload = SimpleUploadedFile("anh.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    reply = client.post("/feedback/new/", {**FORM, "files": [upload]})
    assert reply.status_code == 200 and not FeedbackItem.objects.exists()
    assert "Định dạng tệp không được chấp nhận" in reply.content.decode()


def test_consent_is_opt_in_required_fields_marked_and_citizen_prefilled(world, client):
    html = client.get("/feedback/new/").content.decode()
    assert 'name="is_public"' in html and "checked" not in html.split('name="is_public"')[1][:80]
    assert html.count('class="req"') >= 2  # category and description at least
    citizen = world.citizen
    citizen.full_name, citizen.phone, citizen.email = "Trần Văn Bình", "0912345678", "b@vd.vn"
    citizen.save()
    client.force_login(citizen)
    html = client.get("/feedback/new/").content.decode()
    assert 'value="Trần Văn Bình"' in html and 'value="0912345678"' in html
    assert 'value="b@vd.vn"' in html
    client.post("/feedback/new/", FORM)  # no consent ticked: not public
    assert FeedbackItem.objects.get().is_public is False


@pytest.mark.parametrize("language", ["vi", "en"])
def test_statistics_name_channels_and_categories(world, client, language):
    client.post("/feedback/new/", FORM)
    client.force_login(world.operator)
    client.cookies["django_language"] = language
    by_channel = client.get("/feedback/desk/stats/", {"by": "channel"}).content.decode()
    by_category = client.get("/feedback/desk/stats/", {"by": "category"}).content.decode()
    expected = {
        "vi": ("<td>Cổng thông tin 1022</td>", "<td>Môi trường, vệ sinh</td>"),
        "en": ("<td>1022 web portal</td>", "<td>Environment and sanitation</td>"),
    }[language]
    assert expected[0] in by_channel and "<td>portal</td>" not in by_channel
    assert expected[1] in by_category and "<td>environment</td>" not in by_category
