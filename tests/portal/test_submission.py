"""Online submission: draft, uploads checked by content, save and resume, review, submit once."""

from __future__ import annotations

import pytest

from motcua.dossiers.models import Attachment, Dossier
from motcua.portal.models import Draft
from tests.portal.conftest import exe_as_pdf, pdf_upload

GOOD = {
    "kind": "individual",
    "name": "Nguyễn Thị Hồng Nhung",
    "id_number": "092190001234",
    "phone": "0901234567",
    "email": "",
    "address": "12 Hòa Bình, Cái Khế",
}


def start(client, world) -> Draft:
    client.force_login(world.citizen1)
    response = client.post("/thu-tuc/1.004884/nop/")
    assert response.status_code == 302
    return Draft.objects.get(user=world.citizen1)


def test_profile_is_prefilled(client, world):
    world.citizen1.phone = "0907777777"
    world.citizen1.save()
    draft = start(client, world)
    page = client.get(f"/nop-ho-so/{draft.key}/").content.decode()
    assert 'value="0907777777"' in page
    assert 'value="citizen1"' in page  # the account's full name


def test_bad_applicant_data_is_shown_and_kept_in_the_draft(client, world):
    draft = start(client, world)
    response = client.post(f"/nop-ho-so/{draft.key}/", {**GOOD, "id_number": "123", "save": "1"})
    assert response.status_code == 200
    assert "Số định danh cá nhân phải gồm 12 chữ số" in response.content.decode()
    draft.refresh_from_db()
    assert draft.data["id_number"] == "123"  # a draft may be incomplete


def test_renamed_exe_is_refused_and_a_pdf_is_accepted(client, world):
    draft = start(client, world)
    doc = world.procedure.required_documents.get(order=1)
    response = client.post(
        f"/nop-ho-so/{draft.key}/tep/",
        {"document": doc.pk, "file": exe_as_pdf()},
        headers={"HX-Request": "true"},
    )
    assert "Định dạng tệp không được chấp nhận" in response.content.decode()
    assert not draft.files.exists()
    response = client.post(
        f"/nop-ho-so/{draft.key}/tep/",
        {"document": doc.pk, "file": pdf_upload()},
        headers={"HX-Request": "true"},
    )
    assert "to-khai.pdf" in response.content.decode()
    assert draft.files.get().content_type == "application/pdf"


def test_too_large_and_empty_files_are_refused(client, world, settings):
    settings.MOTCUA_MAX_UPLOAD_BYTES = 10
    draft = start(client, world)
    response = client.post(f"/nop-ho-so/{draft.key}/tep/", {"file": pdf_upload()}, follow=True)
    assert "Tệp quá lớn" in response.content.decode()
    response = client.post(f"/nop-ho-so/{draft.key}/tep/", {}, follow=True)
    assert "Vui lòng chọn một tệp." in response.content.decode()
    assert not draft.files.exists()


def test_upload_for_another_procedures_document_is_refused(client, world):
    from motcua.catalog.models import Procedure, RequiredDocument

    other = Procedure.objects.create(
        name_vi="Khác", field=world.procedure.field, at_commune=True, processing_amount=1
    )
    foreign = RequiredDocument.objects.create(procedure=other, order=1, name="X")
    draft = start(client, world)
    response = client.post(
        f"/nop-ho-so/{draft.key}/tep/", {"document": foreign.pk, "file": pdf_upload()}, follow=True
    )
    assert "Thành phần hồ sơ không hợp lệ" in response.content.decode()


def test_full_flow_save_resume_review_submit_is_idempotent(client, world):
    draft = start(client, world)
    doc = world.procedure.required_documents.get(order=1)
    client.post(f"/nop-ho-so/{draft.key}/", {**GOOD, "save": "1"})
    review = client.get(f"/nop-ho-so/{draft.key}/xem-lai/").content.decode()
    assert "Còn thiếu tệp" in review and 'id="submit-dossier"' not in review
    response = client.post(f"/nop-ho-so/{draft.key}/", {**GOOD, "review": "1"})
    assert response["Location"].endswith("/xem-lai/")
    client.post(f"/nop-ho-so/{draft.key}/tep/", {"document": doc.pk, "file": pdf_upload()})
    review = client.get(f"/nop-ho-so/{draft.key}/xem-lai/").content.decode()
    assert 'id="submit-dossier"' in review
    response = client.post(f"/nop-ho-so/{draft.key}/nop/")
    dossier = Dossier.objects.get()
    assert response["Location"] == f"/ho-so/{dossier.code}/"
    assert dossier.idempotency_key == draft.key and dossier.applicant_user == world.citizen1
    assert dossier.channel == "city_portal" and dossier.state == "registered"
    attachment = Attachment.objects.get(dossier=dossier)
    assert attachment.document.required_document_id == doc.pk
    assert dossier.documents.get(required_document=doc).digitised
    # a double click / retry: the same dossier, nothing attached twice
    again = client.post(f"/nop-ho-so/{draft.key}/nop/")
    assert again["Location"] == f"/ho-so/{dossier.code}/"
    assert Dossier.objects.count() == 1 and Attachment.objects.count() == 1
    assert not Draft.objects.exists()


def test_partial_procedure_lists_what_to_bring_on_paper(client, world):
    world.procedure.online_mode = "partial"
    world.procedure.save()
    draft = start(client, world)
    client.post(f"/nop-ho-so/{draft.key}/", {**GOOD, "save": "1"})
    review = client.get(f"/nop-ho-so/{draft.key}/xem-lai/").content.decode()
    assert 'id="on-paper"' in review and "Tờ khai đăng ký lại khai sinh" in review
    assert 'id="submit-dossier"' in review


def test_another_citizen_cannot_see_or_use_a_draft(client, world):
    draft = start(client, world)
    client.force_login(world.citizen2)
    base = f"/nop-ho-so/{draft.key}"
    assert client.get(f"{base}/").status_code == 404
    assert client.get(f"{base}/xem-lai/").status_code == 404
    assert client.post(f"{base}/tep/", {"file": pdf_upload()}).status_code == 404
    assert client.post(f"{base}/nop/").status_code == 404
    assert client.post(f"{base}/xoa/").status_code == 404
    assert Draft.objects.filter(pk=draft.pk).exists() and not Dossier.objects.exists()


def test_procedure_without_online_service_cannot_start_a_draft(client, world):
    world.procedure.online_mode = "none"
    world.procedure.save()
    client.force_login(world.citizen1)
    response = client.post("/thu-tuc/1.004884/nop/", follow=True)
    assert "chưa cho phép nộp trực tuyến" in response.content.decode()
    assert not Draft.objects.exists()


pytestmark = pytest.mark.django_db
