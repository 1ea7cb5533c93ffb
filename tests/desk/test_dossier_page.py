"""The dossier page: exactly the allowed actions, field errors, conflicts, files and forms."""

from __future__ import annotations

import io

import pypdf
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers import services as S
from motcua.dossiers.models import Dossier, IssuedForm

from .conftest import login, make_png, new_dossier


def _actions(html: str) -> set[str]:
    import re

    return set(re.findall(r'data-action="([a-z_]+)"', html))


def test_registered_dossier_offers_reception_actions_to_the_desk(world):
    d = new_dossier(world, state="registered")
    html = login(world.desk_officer_a).get(f"/desk/dossiers/{d.code}/").content.decode()
    assert _actions(html) == {"receive", "request_completion", "refuse_reception", "withdraw"}
    assert "Nguyễn Thị Hồng Nhung" in html and "092190001234" in html
    assert f'name="expected_version" value="{d.version}"' in html


def test_desk_officer_cannot_approve_button_absent_and_post_refused(world):
    d = new_dossier(world, state="in_process")
    html = login(world.desk_officer_a).get(f"/desk/dossiers/{d.code}/").content.decode()
    assert "approve" not in _actions(html) and "refuse" not in _actions(html)
    response = login(world.desk_officer_a).post(
        f"/desk/dossiers/{d.code}/actions/approve/",
        {"expected_version": d.version, "result_documents": "Giấy khai sinh"},
    )
    assert response.status_code == 403
    assert "Bạn không có quyền “Phê duyệt kết quả”" in response.content.decode()
    assert Dossier.objects.get(pk=d.pk).state == "in_process"
    leader_html = login(world.leader_a).get(f"/desk/dossiers/{d.code}/").content.decode()
    assert {"approve", "refuse"} <= _actions(leader_html)


def test_leader_approves_through_the_form(world):
    d = new_dossier(world, state="in_process")
    client = login(world.leader_a)
    response = client.post(
        f"/desk/dossiers/{d.code}/actions/approve/",
        {"expected_version": d.version, "result_documents": "Giấy khai sinh (bản chính)"},
    )
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.state == "decided" and d.outcome == "approved"
    assert "Đã thực hiện: Phê duyệt kết quả." in client.get(response["Location"]).content.decode()


def test_stale_version_shows_the_conflict_message(world):
    d = new_dossier(world, state="registered")
    stale = d.version
    S.request_completion(d.pk, by=world.desk_officer_a, missing=[S.MissingItem("Tờ khai")])
    response = login(world.desk_officer_a).post(
        f"/desk/dossiers/{d.code}/actions/refuse_reception/",
        {"expected_version": stale, "reasons": "Không thuộc thẩm quyền"},
    )
    assert response.status_code == 409
    assert f"Hồ sơ {d.code} đã được thay đổi bởi người khác. Vui lòng tải lại." in (
        response.content.decode()
    )
    assert Dossier.objects.get(pk=d.pk).state == "completion_requested"


def test_missing_reasons_are_shown_next_to_the_field(world):
    d = new_dossier(world, state="registered")
    response = login(world.desk_officer_a).post(
        f"/desk/dossiers/{d.code}/actions/refuse_reception/",
        {"expected_version": d.version, "reasons": "  "},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_refuse_reception_reasons_error"' in html
    assert Dossier.objects.get(pk=d.pk).state == "registered"


def test_engine_errors_land_on_their_field(world):
    d = new_dossier(world, state="received")
    response = login(world.leader_a).post(
        f"/desk/dossiers/{d.code}/actions/apologise/",
        {"expected_version": d.version, "reason": "Chờ xác minh", "new_due_at": "2020-01-01T08:00"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_apologise_new_due_at_error"' in html
    assert "Ngày hẹn mới phải sau ngày hẹn hiện tại." in html


def test_bad_action_input(world):
    d = new_dossier(world, state="registered")
    client = login(world.desk_officer_a)
    url = f"/desk/dossiers/{d.code}/actions/"
    assert client.post(url + "explode/", {}).status_code == 404
    assert client.get(url + "receive/").status_code == 405
    no_version = client.post(url + "receive/", {})
    assert no_version.status_code == 400
    not_now = client.post(
        url + "return_result/", {"expected_version": d.version, "delivery": "desk"}
    )
    assert not_now.status_code == 409
    assert "Không thể thực hiện “Trả kết quả”" in not_now.content.decode()
    assert Dossier.objects.get(pk=d.pk).state == "registered"


def test_upload_preview_and_refusal_of_bad_files(world):
    d = new_dossier(world, state="in_process")
    client = login(world.desk_officer_a)
    url = f"/desk/dossiers/{d.code}/files/"
    bad = client.post(
        url, {"purpose": "result", "file": SimpleUploadedFile("x.exe", b"MZ\x90\x00evil")}
    )
    assert bad.status_code == 400
    assert "Định dạng tệp không được chấp nhận" in bad.content.decode()
    ok = client.post(
        url, {"purpose": "result", "file": SimpleUploadedFile("ket-qua.png", make_png())}
    )
    assert ok.status_code == 302
    att = d.attachments.get()
    assert att.purpose == "result" and att.uploaded_by == world.desk_officer_a
    html = client.get(f"/desk/dossiers/{d.code}/").content.decode()
    assert f'<img src="/desk/dossiers/{d.code}/files/{att.pk}/"' in html
    assert "/media/" not in html


def test_pdf_attachment_is_framed_from_the_desk_url(world):
    d = new_dossier(world)
    client = login(world.desk_officer_a)
    pdf = b"%PDF-1.4\n%%EOF\n"
    client.post(
        f"/desk/dossiers/{d.code}/files/",
        {"purpose": "component", "file": SimpleUploadedFile("to-khai.pdf", pdf)},
    )
    att = d.attachments.get()
    html = client.get(f"/desk/dossiers/{d.code}/").content.decode()
    assert f'<iframe src="/desk/dossiers/{d.code}/files/{att.pk}/"' in html
    served = client.get(f"/desk/dossiers/{d.code}/files/{att.pk}/")
    assert served["Content-Type"] == "application/pdf"
    assert served["X-Frame-Options"] == "SAMEORIGIN"
    assert served["Content-Disposition"].startswith("inline")


def test_form_01_html_and_pdf(world):
    d = new_dossier(world)
    form = IssuedForm.objects.get(dossier=d, form="01")
    client = login(world.desk_officer_a)
    html = client.get(f"/desk/dossiers/{d.code}/forms/{form.pk}/").content.decode()
    assert "Nguyễn Thị Hồng Nhung" in html and d.code in html
    pdf = client.get(f"/desk/dossiers/{d.code}/forms/{form.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert d.code in text and "Nhung" in text


def test_control_slip_is_issued_from_the_page(world):
    d = new_dossier(world, state="in_process")
    client = login(world.specialist_a)
    response = client.post(f"/desk/dossiers/{d.code}/control-slip/")
    slip = IssuedForm.objects.get(dossier=d, form="06")
    assert response["Location"] == f"/desk/dossiers/{d.code}/forms/{slip.pk}/"
    registered = new_dossier(world, state="registered")
    refused = client.post(f"/desk/dossiers/{registered.code}/control-slip/")
    assert refused.status_code == 400
    assert not IssuedForm.objects.filter(dossier=registered, form="06").exists()


def test_return_flow_to_the_end(world):
    d = new_dossier(world, state="in_process")
    d = S.approve(d.pk, by=world.leader_a, result_documents=["Giấy khai sinh"])
    client = login(world.desk_officer_a)
    html = client.get(f"/desk/dossiers/{d.code}/").content.decode()
    assert "return_result" in _actions(html)
    blocked = client.post(
        f"/desk/dossiers/{d.code}/actions/return_result/",
        {"expected_version": d.version, "delivery": "desk"},
    )
    assert blocked.status_code == 400  # the 8 000 đ fee is unpaid
    assert "khoản phí, lệ phí chưa nộp" in blocked.content.decode()


def test_fees_are_shown_the_vietnamese_way(client, world):
    from motcua.dossiers import services as S
    from tests.dossiers.conftest import APPLICANT

    d = S.submit(
        by=world.citizen1, procedure=world.procedure, receiving_agency=world.a, applicant=APPLICANT
    )
    client.force_login(world.desk_officer_a)
    page = client.get(f"/desk/dossiers/{d.code}/").content.decode()
    assert "Lệ phí: 8.000 đ" in page
