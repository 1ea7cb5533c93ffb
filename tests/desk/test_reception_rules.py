"""Counter reception keeps the engine's rules: missing mandatory documents need Form 02 or an
audited override reason; the procedure's declaration fields are asked for, checked and kept."""

from __future__ import annotations

from motcua.catalog.models import FormField
from motcua.dossiers.models import AuditEvent, Dossier, IssuedForm

from .conftest import login
from .test_reception import _docs, _post


def test_receive_with_no_document_ticked_is_refused_with_a_way_out(world):
    response = _post(world)  # "receive", nothing ticked
    assert response.status_code == 400
    html = response.content.decode()
    assert "Hồ sơ còn thiếu giấy tờ bắt buộc" in html
    assert "id_override_reason" in html
    assert not Dossier.objects.exists() and not IssuedForm.objects.exists()


def test_missing_documents_go_to_form_02(world):
    first, second = _docs(world)
    response = _post(world, decision="request_completion")
    assert response.status_code == 302
    d = Dossier.objects.get()
    assert d.state == "completion_requested"
    form = IssuedForm.objects.get(dossier=d)
    assert form.form == "02"
    assert [m["name"] for m in form.snapshot["missing"]] == [first.name, second.name]


def test_override_reason_receives_and_is_audited(world):
    first, _ = _docs(world)
    response = _post(
        world, override_reason="Bản sao đã có trong hồ sơ lưu", **{f"doc_{first.pk}": "on"}
    )
    assert response.status_code == 302
    d = Dossier.objects.get()
    assert d.state == "received"
    event = AuditEvent.objects.get(dossier=d, action="receive")
    assert event.reason == "Bản sao đã có trong hồ sơ lưu"
    assert event.data["missing_mandatory"] == ["Bản sao giấy tờ tùy thân"]
    page = login(world.desk_officer_a).get(f"/desk/dossiers/{d.code}/").content.decode()
    assert "Bản sao đã có trong hồ sơ lưu" in page  # the timeline shows the reason


def _birth_fields(world):
    FormField.objects.create(
        procedure=world.procedure, order=1, key="child_name", label_vi="Họ tên người được khai sinh"
    )
    FormField.objects.create(
        procedure=world.procedure,
        order=2,
        key="child_birth_date",
        label_vi="Ngày sinh",
        kind="date",
    )


def _all_docs(world):
    return {f"doc_{doc.pk}": "on" for doc in _docs(world)}


def test_declaration_fields_are_required_and_typed_at_the_counter(world):
    _birth_fields(world)
    page = login(world.desk_officer_a).get(f"/desk/reception/?procedure={world.procedure.pk}")
    html = page.content.decode()
    assert 'name="field-child_name"' in html and 'aria-required="true"' in html
    response = _post(world, **{"field-child_birth_date": "31/02/2025"}, **_all_docs(world))
    assert response.status_code == 400
    assert not Dossier.objects.exists()
    ok = _post(
        world,
        **{"field-child_name": "Trần Gia Hân", "field-child_birth_date": "2025-01-20"},
        **_all_docs(world),
    )
    assert ok.status_code == 302
    d = Dossier.objects.get()
    assert d.field_values == {"child_name": "Trần Gia Hân", "child_birth_date": "2025-01-20"}
    page = login(world.desk_officer_a).get(f"/desk/dossiers/{d.code}/").content.decode()
    assert "Họ tên người được khai sinh" in page and "20/01/2025" in page
