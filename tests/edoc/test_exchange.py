"""Two motcua agencies exchange a document and its statuses through the built-in hub, in
edXML that validates against the schema; revoke; the forward hook; scoping of the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import default_storage

from motcua.core.models import ChangeEvent
from motcua.dossiers import services as S
from motcua.edoc import services
from motcua.edoc.edxml import package
from motcua.edoc.edxml.model import Organ
from motcua.edoc.models import Document, HubMessage
from motcua.edoc.rules import BusinessType, Delivery, Direction, DocStatus, EdocError
from tests.dossiers.conftest import submit
from tests.edoc.keys import key_for
from tests.edoc.test_edxml import LEGACY, sample
from tests.helpers import at

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOW = at(2025, 3, 4, 9)


def compose(world, **kw):
    data = services.OutgoingInput(
        recipients=kw.pop("recipients", [world.b.edxml_organ_id]),
        code_notation="UBND-VP",
        subject="Về việc xác minh nơi cư trú",
        signer_name="Nguyễn Văn An",
        signer_position="Chủ tịch",
        promulgation_date=dt.date(2025, 3, 4),
        priority=1,
        due_date=dt.date(2025, 3, 14),
        files=[("cong van.pdf", PDF)],
        **kw,
    )
    return services.compose_outgoing(by=world.leader_a, agency=world.a, data=data, now=NOW)


def test_two_agencies_exchange_a_document_and_its_statuses(world, sending):
    with sending():
        sent = compose(world)
    assert sent.register_number == 1 and sent.direction == Direction.OUT
    recipient = sent.recipients.get()
    assert recipient.delivery == Delivery.SENT and recipient.attempts == 1
    # the package on the hub validates against the schema and carries the signature
    message = HubMessage.objects.get()
    assert package.validate(bytes(message.package)) == []
    assert b"Signature" in bytes(message.package)
    assert message.state == HubMessage.State.DONE  # the receiver pulled it
    got = Document.objects.get(agency=world.b, direction=Direction.IN)
    assert got.status == DocStatus.PENDING and got.counterpart_id == world.a.edxml_organ_id
    assert got.code == "1/UBND-VP" and got.subject == "Về việc xác minh nơi cư trú"
    assert got.priority == 1 and got.due_date == dt.date(2025, 3, 14)
    assert got.document_id == sent.document_id
    att = got.attachments.get()
    assert att.content_type == "application/pdf"
    with default_storage.open(att.file.name, "rb") as fh:
        assert fh.read() == PDF

    # B receives, assigns, processes, finishes: A sees each status
    with sending():
        services.set_status(got.pk, by=world.desk_officer_b, status=DocStatus.RECEIVED)
    recipient.refresh_from_db()
    assert recipient.status_code == "03"
    with sending():
        services.assign(got.pk, by=world.leader_b, assignee=world.specialist_b, note="Xử lý gấp")
    recipient.refresh_from_db()
    assert recipient.status_code == "04" and "specialist_b" in recipient.status_description
    for status, code in ((DocStatus.IN_PROGRESS, "05"), (DocStatus.DONE, "06")):
        with sending():
            services.set_status(got.pk, by=world.specialist_b, status=status)
        recipient.refresh_from_db()
        assert recipient.status_code == code
    assert list(sent.events.values_list("code", flat=True)) == ["03", "04", "05", "06"]
    # every status package validated too
    for m in HubMessage.objects.filter(kind="status"):
        assert package.validate(bytes(m.package)) == []
    actions = set(ChangeEvent.objects.values_list("action", flat=True))
    assert {"edoc.send", "edoc.receive", "edoc.status", "edoc.assign", "edoc.status_in"} <= actions


def test_refusal_needs_a_reason_and_travels_back(world, sending):
    with sending():
        compose(world)
    got = Document.objects.get(agency=world.b, direction=Direction.IN)
    with pytest.raises(EdocError) as exc:
        services.set_status(got.pk, by=world.desk_officer_b, status=DocStatus.REFUSED)
    assert exc.value.fields == {"reason": "required"}
    with sending():
        services.set_status(
            got.pk,
            by=world.desk_officer_b,
            status=DocStatus.REFUSED,
            reason="Không đúng thẩm quyền",
        )
    recipient = Document.objects.get(agency=world.a).recipients.get()
    assert recipient.status_code == "02" and recipient.status_description == "Không đúng thẩm quyền"
    # a refused document cannot be processed further
    with pytest.raises(EdocError):
        services.set_status(got.pk, by=world.desk_officer_b, status=DocStatus.DONE)


def test_revoke_is_labelled_and_acknowledged(world, sending):
    with sending():
        sent = compose(world)
    first = Document.objects.get(agency=world.b, direction=Direction.IN)
    with sending():
        revoke = services.send_business(
            sent.pk,
            by=world.leader_a,
            kind=BusinessType.REVOKE,
            reason="Ban hành nhầm",
            now=at(2025, 3, 5, 9),
        )
    incoming = Document.objects.get(agency=world.b, business_type=BusinessType.REVOKE)
    assert incoming.related_id == first.pk and incoming.business_reason == "Ban hành nhầm"
    first.refresh_from_db()
    assert first.status == DocStatus.PENDING  # the registered copy is not changed for them
    with sending():
        services.set_status(incoming.pk, by=world.desk_officer_b, status=DocStatus.REVOKED)
    assert revoke.recipients.get().status_code == "13"


def test_update_is_accepted_with_15(world, sending):
    with sending():
        sent = compose(world)
        update = services.send_business(
            sent.pk,
            by=world.leader_a,
            kind=BusinessType.UPDATE,
            reason="Sửa hạn xử lý",
            now=at(2025, 3, 5, 9),
        )
    incoming = Document.objects.get(agency=world.b, business_type=BusinessType.UPDATE)
    with sending():
        services.set_status(incoming.pk, by=world.desk_officer_b, status=DocStatus.RECEIVED)
    assert update.recipients.get().status_code == "15"


def test_officers_of_another_agency_cannot_act(world, sending):
    with pytest.raises(EdocError) as exc:
        services.compose_outgoing(
            by=world.leader_b,
            agency=world.a,
            data=services.OutgoingInput(
                recipients=[world.b.edxml_organ_id],
                code_notation="UBND-VP",
                subject="x",
                signer_name="x",
                promulgation_date=dt.date(2025, 3, 4),
            ),
            now=NOW,
        )
    assert exc.value.code == "forbidden"
    with sending():
        compose(world)
    got = Document.objects.get(agency=world.b, direction=Direction.IN)
    with pytest.raises(EdocError):
        services.set_status(got.pk, by=world.desk_officer_a, status=DocStatus.RECEIVED)
    with pytest.raises(EdocError):  # assignee from another agency
        services.set_status(got.pk, by=world.desk_officer_b, status=DocStatus.RECEIVED)
        services.assign(got.pk, by=world.leader_b, assignee=world.specialist_a)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"recipients": []}, "recipients"),
        ({"recipients": ["H13-XYZ"]}, "recipients"),
        ({"subject": "  "}, "subject"),
        ({"subject": "x" * 501}, "subject"),
        ({"type_name": "Thư tình"}, "type_name"),
        ({"promulgation_date": dt.date(2030, 1, 1)}, "promulgation_date"),
        ({"files": [("virus.exe", b"MZ\x90\x00")]}, "files"),
    ],
)
def test_bad_outgoing_input_is_refused_clearly(world, change, field):
    fields = dict(
        recipients=[world.b.edxml_organ_id],
        code_notation="UBND-VP",
        subject="Về việc",
        signer_name="Nguyễn Văn An",
        promulgation_date=dt.date(2025, 3, 4),
    )
    fields.update(change)
    with pytest.raises(EdocError) as exc:
        services.compose_outgoing(
            by=world.leader_a, agency=world.a, data=services.OutgoingInput(**fields), now=NOW
        )
    assert field in exc.value.fields and exc.value.message
    assert not Document.objects.exists()


def test_tampered_package_on_the_hub_is_refused_not_registered(world):
    # A's package reaches the mailbox, someone alters it before B pulls
    sent = compose(world)  # on_commit callbacks not run: still queued
    with default_storage.open(sent.package.name, "rb") as fh:
        data = fh.read()
    tampered = data.replace("xác minh".encode(), "xóa bỏ".encode())
    HubMessage.objects.create(
        kind="edoc",
        sender=world.a.edxml_organ_id,
        recipient=world.b.edxml_organ_id,
        package=tampered,
    )
    assert services.pull_builtin(world.b.edxml_organ_id) == 0
    assert not Document.objects.filter(agency=world.b).exists()
    assert HubMessage.objects.get().state == HubMessage.State.FAIL
    rejected = ChangeEvent.objects.get(action="edoc.reject")
    assert "chữ ký" in rejected.summary.lower()


def test_package_from_an_unknown_sender_is_refused(world):
    stranger = "000.00.09.H13"  # signs with its own key, which nobody registered
    data = package.build_document(
        sample(sender=Organ(stranger), recipients=[Organ(world.b.edxml_organ_id)]),
        key=key_for(stranger),
        now=dt.datetime(2025, 3, 4, 9),
    )
    HubMessage.objects.create(
        kind="edoc", sender=stranger, recipient=world.b.edxml_organ_id, package=data
    )
    assert services.pull_builtin(world.b.edxml_organ_id) == 0
    assert "chứng thư" in ChangeEvent.objects.get(action="edoc.reject").summary


def test_legacy_package_is_registered_and_labelled(world):
    data = LEGACY.replace(b"000.01.21.H13", world.a.edxml_organ_id.encode()).replace(
        b"000.02.21.H13", world.b.edxml_organ_id.encode()
    )
    HubMessage.objects.create(
        kind="edoc", sender=world.a.edxml_organ_id, recipient=world.b.edxml_organ_id, package=data
    )
    assert services.pull_builtin(world.b.edxml_organ_id) == 1
    got = Document.objects.get(agency=world.b)
    assert got.legacy and got.code == "7/UBND-VP" and got.attachments.count() == 1
    # answering a legacy package records the status but sends no package back
    services.set_status(got.pk, by=world.desk_officer_b, status=DocStatus.RECEIVED)
    assert got.events.filter(outbound=True).get().code == "03"
    assert HubMessage.objects.filter(kind="status").count() == 0


def test_forward_sends_the_dossier_as_edxml(world, sending):
    pk = submit(world)
    S.receive(pk, by=world.desk_officer_a, now=at(2025, 1, 24, 9))
    S.hand_over(pk, by=world.desk_officer_a, now=at(2025, 1, 24, 9, 30))
    with sending():
        S.forward(
            pk,
            by=world.specialist_a,
            to_agency=world.b,
            note="Xác minh nơi cư trú",
            now=at(2025, 1, 24, 10),
        )
    out = Document.objects.get(agency=world.a, direction=Direction.OUT)
    assert out.dossier_id == pk and out.code_notation == out.dossier.code
    got = Document.objects.get(agency=world.b, direction=Direction.IN)
    assert got.dossier_id == pk and out.dossier.code in got.subject
    assert package.validate(bytes(HubMessage.objects.get().package)) == []


def test_oversized_package_is_refused(world, settings):
    settings.MOTCUA_MAX_UPLOAD_BYTES = 1024  # limit ≈ 1 MB + 20 × 1.3 kB
    HubMessage.objects.create(
        kind="edoc",
        sender=world.a.edxml_organ_id,
        recipient=world.b.edxml_organ_id,
        package=b"<edXML>" + b" " * (2 * 1024 * 1024) + b"</edXML>",
    )
    assert services.pull_builtin(world.b.edxml_organ_id) == 0
    assert "quá lớn" in ChangeEvent.objects.get(action="edoc.reject").summary
