"""The HTTP adapter against a fake national axis over real HTTP: sending with a retry after an
error answer, a refusal kept for a later retry, receiving and answering with statuses, the
directory, signed calls."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.edoc import services
from motcua.edoc.edxml import package
from motcua.edoc.edxml.model import Organ
from motcua.edoc.hub import HubRejected, axis_hub
from motcua.edoc.hub.axis import AxisHub
from motcua.edoc.models import Document, PartnerOrgan
from motcua.edoc.rules import Delivery, Direction, DocStatus
from motcua.jobs import rules as jobrules
from motcua.jobs.models import Job
from tests.edoc.fakeaxis import FakeAxis
from tests.edoc.keys import key_for
from tests.edoc.test_edxml import sample
from tests.helpers import at

OUTSIDE = "000.00.00.G06"  # a ministry, on the axis only


@pytest.fixture(scope="module")
def fake():
    with FakeAxis() as axis:
        yield axis


@pytest.fixture
def axis(fake, settings, world):
    fake.state.messages.clear()
    fake.state.failures.clear()
    fake.state.calls.clear()
    settings.MOTCUA_EDOC_AXIS_URL = fake.url
    settings.MOTCUA_EDOC_AXIS_SYSTEM_ID = "motcua-test"
    settings.MOTCUA_EDOC_AXIS_SECRET = "s3cret"
    settings.MOTCUA_EDOC_AXIS_RETRIES = 2
    settings.MOTCUA_EDOC_AXIS_BACKOFF = 0.0  # retries at once: no sleeping in tests
    fake.state.directory = [
        {
            "organId": OUTSIDE,
            "name": "Bộ Tư pháp",
            "parentId": "",
            "certificate": key_for(OUTSIDE).certificate_pem.decode(),
        }
    ]
    services.sync_directory(axis_hub())
    return fake


def send(world):
    return services.compose_outgoing(
        by=world.leader_a,
        agency=world.a,
        data=services.OutgoingInput(
            recipients=[OUTSIDE],
            code_notation="UBND-TP",
            subject="Báo cáo công tác hộ tịch quý I",
            signer_name="Nguyễn Văn An",
            promulgation_date=dt.date(2025, 3, 4),
        ),
        now=at(2025, 3, 4, 9),
    )


def test_directory_is_read(axis):
    partner = PartnerOrgan.objects.get()
    assert partner.organ_id == OUTSIDE and partner.name == "Bộ Tư pháp"
    assert partner.certificate_pem.startswith("-----BEGIN CERTIFICATE")


def test_send_retries_after_an_error_answer(axis, world, sending):
    axis.state.fail_next(503, "Trục đang bảo trì")
    with sending():
        doc = send(world)
    recipient = doc.recipients.get()
    assert recipient.delivery == Delivery.SENT and recipient.name == "Bộ Tư pháp"
    posts = [c for c in axis.state.calls if c == ("POST", "/api/edocs")]
    assert len(posts) == 2  # the 503, then the retry that went through
    (message,) = axis.state.sent_to(OUTSIDE)
    assert message["from"] == world.a.edxml_organ_id
    assert package.validate(message["package"]) == []
    assert recipient.message_id in axis.state.messages


def test_refusal_is_recorded_and_sent_again_later(axis, world, sending):
    axis.state.fail_next(400, "Mã cơ quan nhận không có trên trục")
    with sending():
        doc = send(world)
    recipient = doc.recipients.get()
    assert recipient.delivery == Delivery.FAILED
    assert "HTTP 400" in recipient.last_error and "không có trên trục" in recipient.last_error
    assert axis.state.sent_to(OUTSIDE) == []
    # the background job failed and is scheduled again with backoff (motcua.jobs)
    job = Job.objects.get(key=f"edoc:document:{doc.pk}")
    assert job.state == jobrules.FAILED and "not reached" in job.last_error
    # a 400 is not retried by the adapter at once; the next sync (or the job's retry) sends it
    assert services.deliver_pending() == 1
    recipient.refresh_from_db()
    assert recipient.delivery == Delivery.SENT and recipient.attempts == 2


def test_persistent_outage_leaves_the_package_queued(axis, world, sending):
    axis.state.fail_next(502, "Bad gateway", times=3)  # first try + 2 retries
    with sending():
        doc = send(world)
    recipient = doc.recipients.get()
    assert recipient.delivery == Delivery.FAILED and "HTTP 502" in recipient.last_error
    assert doc.status == DocStatus.ISSUED  # the registration stands


def test_receive_from_the_axis_and_answer(axis, world, sending):
    data = package.build_document(
        sample(sender=Organ(OUTSIDE, name="Bộ Tư pháp"), recipients=[Organ(world.b.code)]),
        key=key_for(OUTSIDE),
        now=dt.datetime(2025, 3, 4, 9),
    )
    doc_id = axis.state.deposit(data, kind="edoc", sender=OUTSIDE, recipient=world.b.code)
    assert services.pull(world.b.edxml_organ_id, axis_hub()) == 1
    assert axis.state.messages[doc_id]["status"] == "done"
    got = Document.objects.get(agency=world.b, direction=Direction.IN)
    assert got.counterpart_id == OUTSIDE and got.attachments.count() == 1
    with sending():
        services.set_status(got.pk, by=world.desk_officer_b, status=DocStatus.RECEIVED)
    (status,) = axis.state.sent_to(OUTSIDE, kind="status")
    parsed = package.read_verified(status["package"], key_for(world.b.code).certificate_pem)
    assert parsed.status_code == "03" and parsed.response_for.document_id == got.document_id


def test_forged_package_from_the_axis_is_marked_fail(axis, world):
    data = package.build_document(
        sample(sender=Organ(OUTSIDE), recipients=[Organ(world.b.code)]),
        key=key_for("000.00.00.G99"),  # not the key the directory lists for the ministry
        now=dt.datetime(2025, 3, 4, 9),
    )
    doc_id = axis.state.deposit(data, kind="edoc", sender=OUTSIDE, recipient=world.b.code)
    assert services.pull(world.b.edxml_organ_id, axis_hub()) == 0
    assert axis.state.messages[doc_id]["status"] == "fail"
    assert not Document.objects.filter(agency=world.b).exists()


def test_calls_are_signed(fake):
    wrong = AxisHub(fake.url, system_id="motcua-test", secret="wrong", retries=0)
    with pytest.raises(HubRejected) as exc:
        wrong.directory()
    assert "401" in str(exc.value)


def test_sync_command_refreshes_sends_and_takes(axis, world, sending):
    import io

    from django.core.management import call_command

    axis.state.fail_next(400, "Tạm thời từ chối")
    with sending():
        doc = send(world)
    assert doc.recipients.get().delivery == Delivery.FAILED
    data = package.build_document(
        sample(sender=Organ(OUTSIDE, name="Bộ Tư pháp"), recipients=[Organ(world.a.code)]),
        key=key_for(OUTSIDE),
        now=dt.datetime(2025, 3, 4, 9),
    )
    axis.state.deposit(data, kind="edoc", sender=OUTSIDE, recipient=world.a.code)
    out = io.StringIO()
    call_command("edxml", "sync", stdout=out)
    assert "Danh bạ trục: 1 cơ quan" in out.getvalue()
    assert doc.recipients.get().delivery == Delivery.SENT
    assert Document.objects.filter(agency=world.a, direction=Direction.IN).count() == 1
