"""Counter reception: submit(channel=desk) then the officer's decision, all or nothing."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.models import RequiredDocument
from motcua.dossiers.models import Dossier, IssuedForm

from .conftest import login, make_png


def _docs(world):
    return list(RequiredDocument.objects.filter(procedure=world.procedure).order_by("order"))


def _post(world, **extra):
    data = {
        "procedure": world.procedure.pk,
        "agency": world.a.pk,
        "kind": "individual",
        "id_number": "092190005678",
        "name": "Trần Văn Bình",
        "phone": "0907654321",
        "address": "5 Lý Tự Trọng, Ninh Kiều",
        "decision": "receive",
    }
    data.update(extra)
    return login(world.desk_officer_a).post("/desk/reception/", data)


def test_procedure_search_is_accent_insensitive(world):
    client = login(world.desk_officer_a)
    page = client.get("/desk/reception/", {"q": "dang ky lai khai sinh"}).content.decode()
    assert f"?procedure={world.procedure.pk}" in page
    partial = client.get("/desk/reception/procedures/", {"q": "KHAI SINH"}).content.decode()
    assert "<html" not in partial and world.procedure.code in partial


def test_receive_with_checklist_and_scan(world):
    first, second = _docs(world)
    response = _post(
        world,
        **{
            f"doc_{first.pk}": "on",
            f"doc_{second.pk}": "on",
            f"file_{first.pk}": SimpleUploadedFile("to-khai.png", make_png()),
        },
    )
    d = Dossier.objects.get(applicant_id_number="092190005678")
    assert response.status_code == 302 and response["Location"] == f"/desk/dossiers/{d.code}/"
    assert d.state == "received" and d.channel == "desk" and d.applicant_user is None
    docs = {doc.name: doc for doc in d.documents.all()}
    assert set(docs) == {first.name, second.name}
    assert docs[first.name].digitised and not docs[second.name].digitised
    assert d.attachments.get().document == docs[first.name]
    assert IssuedForm.objects.filter(dossier=d, form="01").exists()
    assert d.events.filter(action="receive", actor=world.desk_officer_a).exists()


def test_request_completion_lists_unticked_mandatory_documents(world):
    first, second = _docs(world)
    _post(world, decision="request_completion", missing="Ảnh 4x6", **{f"doc_{first.pk}": "on"})
    d = Dossier.objects.get(applicant_id_number="092190005678")
    assert d.state == "completion_requested"
    form = IssuedForm.objects.get(dossier=d, form="02")
    missing = [item["name"] for item in form.snapshot["missing"]]
    assert missing == [second.name, "Ảnh 4x6"]


def test_refusal_needs_a_reason_and_leaves_nothing_behind(world):
    response = _post(world, decision="refuse_reception", reasons="")
    assert response.status_code == 400
    assert "Cần nêu rõ lý do." in response.content.decode()
    assert not Dossier.objects.exists()
    ok = _post(world, decision="refuse_reception", reasons="Không thuộc thẩm quyền của phường")
    assert ok.status_code == 302
    assert Dossier.objects.get().state == "not_received"


def test_bad_applicant_shows_vietnamese_errors_next_to_fields(world):
    response = _post(world, id_number="12345", name="")
    assert response.status_code == 400
    html = response.content.decode()
    assert "id_applicant_name_error" in html
    assert not Dossier.objects.exists()
    engine = _post(world, id_number="999999999999")
    assert engine.status_code == 400
    assert "Số định danh cá nhân phải gồm 12 chữ số" in engine.content.decode()
    assert not Dossier.objects.exists()


def test_bad_scan_rolls_back_the_whole_intake(world):
    first, second = _docs(world)
    response = _post(
        world,
        **{
            f"doc_{first.pk}": "on",
            f"doc_{second.pk}": "on",
            f"file_{first.pk}": SimpleUploadedFile("virus.exe", b"MZ\x90\x00evil"),
        },
    )
    assert response.status_code == 400
    assert "Định dạng tệp không được chấp nhận" in response.content.decode()
    assert not Dossier.objects.exists()


def test_officer_cannot_receive_for_another_agency(world):
    response = _post(world, agency=world.b.pk)
    assert response.status_code == 400
    assert "Vui lòng chọn bộ phận tiếp nhận của bạn." in response.content.decode()
    assert not Dossier.objects.exists()


def test_specialist_without_desk_role_cannot_receive(world):
    page = login(world.specialist_a).get("/desk/reception/").content.decode()
    assert "không thể tiếp nhận hồ sơ" in page


def test_unknown_procedure_is_refused(world):
    response = _post(world, procedure="999999")
    assert response.status_code == 400
    assert "Vui lòng chọn thủ tục." in response.content.decode()
