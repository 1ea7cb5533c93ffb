"""Notifications end to end through the job engine, on a real SMTP server and a fake SMS
gateway and Zalo server started by the tests."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.dossiers import services as S
from motcua.dossiers.models import Dossier
from motcua.notifications import rules as R
from motcua.notifications.models import Notification, Template
from motcua.notifications.services import deadline_reminders, set_preferences
from tests.notifications.fakes import Zalo

pytestmark = pytest.mark.django_db

APPLICANT = S.ApplicantData(
    name="Nguyễn Thị Hồng Nhung",
    id_number="092190001234",
    phone="0901234567",
    email="nhung@example.vn",
    address="12 Hòa Bình, Cái Khế, Ninh Kiều",
)
PERSONAL = ("Nguyễn", "Nhung", "092190001234", "Hòa Bình", "nhung@")


def received(world, capture, **kw) -> Dossier:
    """A dossier submitted online by citizen1 and received by commune A's desk, now."""
    d = S.submit(
        by=world.citizen1,
        procedure=world.procedure,
        receiving_agency=world.a,
        applicant=kw.pop("applicant", APPLICANT),
        channel="city_portal",
        documents=[S.DocumentInput(name="Tờ khai đăng ký lại khai sinh")],
    )
    with capture(execute=True):
        return S.receive(d.pk, by=world.desk_officer_a)


def mails_to(smtp, address: str) -> list:
    return [msg for rcpts, msg in smtp.messages if address in rcpts]


def test_a_received_dossier_is_mailed_and_texted_to_the_applicant(
    world, channels, settle, django_capture_on_commit_callbacks
):
    smtp, gateway = channels
    d = received(world, django_capture_on_commit_callbacks)
    assert not smtp.messages and not gateway.received  # nothing before the jobs run
    settle()
    (mail,) = mails_to(smtp, "nhung@example.vn")
    assert mail["Subject"].strip() == f"Hồ sơ {d.code} đã được tiếp nhận"
    body = mail.get_content()
    assert "Thủ tục đăng ký lại khai sinh" in body
    assert timezone.localtime(d.effective_due_at).strftime("%d/%m/%Y") in body
    assert f"http://127.0.0.1:8000/ho-so/{d.code}/" in body  # citizen1's own dossier page
    (sms,) = gateway.received
    assert sms["to"] == "84901234567"
    assert sms["text"] == f"Ho so {d.code}: da tiep nhan."
    assert not any(p in sms["text"] for p in PERSONAL)
    sent = Notification.objects.filter(dossier=d).order_by("channel")
    assert [(n.channel, n.status, n.event) for n in sent] == [
        (R.EMAIL, R.SENT, R.RECEIVED),
        (R.SMS, R.SENT, R.RECEIVED),
    ]
    assert json.loads(sent[1].provider_reply)["id"] == "sms-1"
    assert sent[0].template == Template.objects.get(event=R.RECEIVED, channel=R.EMAIL)


def test_a_supplement_request_says_what_is_missing_by_mail_but_not_by_sms(
    world, channels, settle, django_capture_on_commit_callbacks
):
    smtp, gateway = channels
    d = received(world, django_capture_on_commit_callbacks)
    settle()
    smtp.messages.clear()
    gateway.received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        S.request_supplement(
            d.pk,
            by=world.specialist_a,
            missing=[S.MissingItem("Bản sao giấy khai sinh", "bản sao có chứng thực")],
            note="Thiếu giấy tờ gốc",
        )
    settle()
    (mail,) = mails_to(smtp, "nhung@example.vn")
    body = mail.get_content()
    assert "- Bản sao giấy khai sinh: bản sao có chứng thực" in body
    assert "Thiếu giấy tờ gốc" in body
    (sms,) = gateway.received
    assert sms["text"] == f"Ho so {d.code}: can bo sung. Xem chi tiet tren Cong dich vu cong."
    assert "khai sinh" not in sms["text"]


def test_citizens_choose_their_channels_and_language(
    world, channels, settle, django_capture_on_commit_callbacks
):
    smtp, gateway = channels
    set_preferences(world.citizen1, channels_on=[R.EMAIL], language="en")
    d = received(world, django_capture_on_commit_callbacks)
    settle()
    (mail,) = mails_to(smtp, "nhung@example.vn")
    assert mail["Subject"].strip() == f"Your dossier {d.code} has been received"
    assert gateway.received == []  # SMS turned off
    set_preferences(world.citizen1, channels_on=[], language="vi")
    d2 = received(world, django_capture_on_commit_callbacks)
    settle()
    assert not Notification.objects.filter(dossier=d2).exists()


def test_an_sms_gateway_outage_is_retried_and_a_refusal_is_recorded(
    world, channels, settle, django_capture_on_commit_callbacks
):
    _, gateway = channels
    gateway.fail_next = 2
    d = received(world, django_capture_on_commit_callbacks)
    settle()
    sms = Notification.objects.get(dossier=d, channel=R.SMS)
    assert (sms.status, sms.attempts) == (R.SENT, 3)
    assert len(gateway.received) == 1  # delivered once, after two 503s

    gateway.reject = True
    d2 = received(world, django_capture_on_commit_callbacks)
    settle()
    refused = Notification.objects.get(dossier=d2, channel=R.SMS)
    assert (refused.status, refused.attempts) == (R.GAVE_UP, 1)
    assert "HTTP 400" in refused.provider_reply and "invalid number" in refused.provider_reply


def test_the_same_event_never_notifies_twice(
    world, channels, settle, django_capture_on_commit_callbacks
):
    from motcua.notifications.services import announce

    smtp, gateway = channels
    d = received(world, django_capture_on_commit_callbacks)
    settle()
    key = {"reason": "", "_key": d.version}
    with django_capture_on_commit_callbacks(execute=True):
        assert announce("dossier", d.pk, R.RECEIVED, key) == 0  # a replayed job
    settle()
    assert len(mails_to(smtp, "nhung@example.vn")) == 1 and len(gateway.received) == 1


def test_officers_and_their_leader_hear_of_overdue_dossiers_once_a_day(
    world, channels, settle, django_capture_on_commit_callbacks
):
    smtp, _ = channels
    for name in ("specialist_a", "leader_a", "desk_officer_a", "specialist_b"):
        user = world.users[name]
        user.email = f"{name}@cantho.gov.vn"
        user.save()
    d = received(world, django_capture_on_commit_callbacks)
    settle()
    Dossier.objects.filter(pk=d.pk).update(effective_due_at=timezone.now() - dt.timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_reminders() == 1
        deadline_reminders()  # the scheduler's next tick, the same day
    settle()
    overdue = Notification.objects.filter(dossier=d, event=R.OVERDUE)
    # the holder of the current step (reception, just after receiving) and the leader
    assert sorted((n.recipient_role, n.address) for n in overdue) == [
        ("leader", "leader_a@cantho.gov.vn"),
        ("officer", "desk_officer_a@cantho.gov.vn"),
    ]
    (mail,) = mails_to(smtp, "leader_a@cantho.gov.vn")
    assert mail["Subject"].strip().startswith(f"Hồ sơ {d.code} đã quá hạn")
    assert f"/desk/dossiers/{d.code}/" in mail.get_content()
    assert not mails_to(smtp, "specialist_b@cantho.gov.vn")  # another commune's officer


def test_administrators_edit_the_wording(
    world, channels, settle, django_capture_on_commit_callbacks
):
    smtp, _ = channels
    Template.objects.filter(event=R.RECEIVED, channel=R.EMAIL).update(
        subject_vi="[UBND phường] Đã nhận hồ sơ {{ code }}", body_vi="Hạn trả: {{ due_date }}"
    )
    d = received(world, django_capture_on_commit_callbacks)
    settle()
    (mail,) = mails_to(smtp, "nhung@example.vn")
    assert mail["Subject"].strip() == f"[UBND phường] Đã nhận hồ sơ {d.code}"


def test_backdated_events_notify_nobody(
    world, channels, settle, django_capture_on_commit_callbacks
):
    """The demo loader and replays record events with past times: history, not news."""
    from tests.helpers import at

    d = S.submit(
        by=world.citizen1,
        procedure=world.procedure,
        receiving_agency=world.a,
        applicant=APPLICANT,
        channel="city_portal",
        documents=[S.DocumentInput(name="Tờ khai")],
        now=at(2025, 1, 24, 9),
    )
    with django_capture_on_commit_callbacks(execute=True):
        S.receive(d.pk, by=world.desk_officer_a, now=at(2025, 1, 24, 10))
    settle()
    assert not Notification.objects.exists()


def test_notifications_list_command(world, channels, settle, django_capture_on_commit_callbacks):
    d = received(world, django_capture_on_commit_callbacks)
    settle()
    out = io.StringIO()
    call_command("notifications", "list", "--dossier", d.code, "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())
    assert {(r["channel"], r["status"], r["recipient"]) for r in rows} == {
        ("email", "sent", "n***@example.vn"),
        ("sms", "sent", "849****567"),
    }
    table = io.StringIO()
    call_command("notifications", "list", stdout=table)
    assert "received" in table.getvalue() and d.code in table.getvalue()
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Không tìm thấy hồ sơ"):
        call_command("notifications", "list", "--dossier", "NOPE")


def test_zalo_zns_refreshes_its_rotating_token_when_it_expires(
    world, channels, settle, settings, django_capture_on_commit_callbacks
):
    from tests.notifications.conftest import use_zalo

    zalo = Zalo().start()
    try:
        use_zalo(settings, zalo)
        Template.objects.filter(event=R.RECEIVED, channel=R.ZALO).update(zns_template_id="2301")
        set_preferences(world.citizen1, channels_on=[R.ZALO])
        d = received(world, django_capture_on_commit_callbacks)
        settle()
        (first,) = zalo.sent
        assert first == {
            "phone": "84901234567",
            "template_id": "2301",
            "template_data": {"code": d.code, "status": "da tiep nhan"},
            "tracking_id": first["tracking_id"],
        }
        assert zalo.refresh_calls == ["refresh-0"]
        zalo.expire_access_token()  # Zalo revoked it early: the next send gets -124
        d2 = received(world, django_capture_on_commit_callbacks)
        settle()
        assert len(zalo.sent) == 2 and zalo.sent[1]["template_data"]["code"] == d2.code
        assert zalo.refresh_calls == ["refresh-0", "refresh-1"]  # each token used once
        assert zalo.refused_refreshes == []
        from motcua.notifications.models import ZaloToken

        assert ZaloToken.objects.get().refresh_token == "refresh-2"
        assert Notification.objects.get(dossier=d2, channel=R.ZALO).status == R.SENT
    finally:
        zalo.stop()


def test_queuing_costs_the_intake_transaction_one_statement(
    world, django_capture_on_commit_callbacks
):
    """Nothing is looked up or sent inside the engine's transaction: one job row is written
    (INSERT … ON CONFLICT DO NOTHING), the rest happens after commit and in the worker."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    d = S.submit(
        by=world.citizen1,
        procedure=world.procedure,
        receiving_agency=world.a,
        applicant=APPLICANT,
        channel="city_portal",
        documents=[S.DocumentInput(name="Tờ khai đăng ký lại khai sinh")],
    )
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        CaptureQueriesContext(connection) as ctx,
    ):
        S.receive(d.pk, by=world.desk_officer_a)
    touching = [q["sql"] for q in ctx.captured_queries if "jobs_job" in q["sql"]]
    assert len(touching) == 1 and touching[0].startswith("INSERT INTO")
    assert not [q for q in ctx.captured_queries if "notifications_" in q["sql"]]
    assert len(callbacks) == 1  # the hand-over to the engine, after commit
