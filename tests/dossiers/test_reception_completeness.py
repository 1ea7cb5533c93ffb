"""Reception with a mandatory document missing: Form 02, or an override with an audited reason
(issue 9 §5: the counter received a dossier with none of its mandatory documents and issued
Form 01 "không có thành phần hồ sơ kèm theo")."""

from __future__ import annotations

import pytest

from motcua.catalog.models import RequiredDocument
from motcua.dossiers import services as S
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.models import AuditEvent, Dossier, IssuedForm
from tests.dossiers.conftest import APPLICANT, at, submit

WHEN = at(2025, 1, 24, 9)


@pytest.fixture
def docs(world):
    def doc(order, name, **kw):
        return RequiredDocument.objects.create(
            procedure=world.procedure, order=order, name=name, **kw
        )

    return [
        doc(1, "Tờ khai đăng ký lại khai sinh"),
        doc(2, "Bản sao giấy tờ tùy thân", originals=0, copies=1),
        doc(3, "Giấy tờ chứng minh nơi cư trú", present_only=True),  # shown, not submitted
        doc(4, "Văn bản ủy quyền", mandatory=False),
    ]


def _at_desk(world, documents=(), **kw):
    return S.receive_at_desk(
        by=world.desk_officer_a,
        procedure=world.procedure,
        receiving_agency=world.a,
        applicant=APPLICANT,
        documents=documents,
        now=WHEN,
        **kw,
    )


def _input(doc):
    return S.DocumentInput(name=doc.name, required_document_id=doc.pk)


def test_counter_reception_without_mandatory_documents_is_refused(world, docs):
    with pytest.raises(InvalidInput) as exc:
        _at_desk(world)
    assert exc.value.fields == {"documents": "missing_mandatory"}
    assert "Tờ khai đăng ký lại khai sinh; Bản sao giấy tờ tùy thân" in exc.value.message
    assert "Mẫu 02" in exc.value.message
    assert not Dossier.objects.exists() and not IssuedForm.objects.exists()


def test_present_only_and_optional_documents_do_not_block(world, docs):
    d = _at_desk(world, [_input(docs[0]), _input(docs[1])])
    assert d.state == "received"
    event = AuditEvent.objects.get(dossier=d, action="receive")
    assert event.reason == "" and "missing_mandatory" not in event.data


def test_override_reason_is_audited_on_the_reception_event(world, docs):
    d = _at_desk(world, [_input(docs[0])], override_reason="Người nộp cam kết nộp bổ sung")
    assert d.state == "received"
    event = AuditEvent.objects.get(dossier=d, action="receive")
    assert event.reason == "Người nộp cam kết nộp bổ sung"
    assert event.data["missing_mandatory"] == ["Bản sao giấy tờ tùy thân"]
    assert event.data["override"] is True
    assert IssuedForm.objects.filter(dossier=d, form="01").exists()


def test_blank_override_reason_does_not_count(world, docs):
    with pytest.raises(InvalidInput):
        _at_desk(world, override_reason="   ")


def test_receiving_a_registered_dossier_checks_its_components(world, docs):
    pk = submit(world)  # its only component has no link to the checklist
    with pytest.raises(InvalidInput) as exc:
        S.receive(pk, by=world.desk_officer_a, now=WHEN)
    assert exc.value.fields == {"documents": "missing_mandatory"}
    assert Dossier.objects.get(pk=pk).state == "registered"
    # the documents brought at reception complete it
    d = S.receive(pk, by=world.desk_officer_a, documents=[_input(docs[0]), _input(docs[1])])
    assert d.state == "received"


def test_receive_with_override_on_a_registered_dossier(world, docs):
    pk = submit(world)
    d = S.receive(
        pk, by=world.desk_officer_a, override_reason="Đối chiếu bản gốc tại quầy", now=WHEN
    )
    event = AuditEvent.objects.get(dossier=d, action="receive")
    assert event.reason == "Đối chiếu bản gốc tại quầy"
    assert event.data["missing_mandatory"] == [docs[0].name, docs[1].name]
