"""Notifications in a real browser: a citizen chooses e-mail only in the profile; the desk
receives the dossier; the worker (run here) mails the citizen through a real SMTP server;
the officer sees the notification on the dossier's timeline, and the citizen on theirs."""

from __future__ import annotations

import pytest

from motcua.dossiers import services as S
from motcua.jobs.worker import drain
from motcua.notifications.models import Notification, Preference
from tests.dossiers.conftest import make_world
from tests.notifications.fakes import SmsGateway, SmtpSink


@pytest.fixture
def servers(settings):
    smtp, gateway = SmtpSink().start(), SmsGateway().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", smtp.port, False
    settings.MOTCUA_SMS_GATEWAY_URL = f"{gateway.url}/send"
    settings.MOTCUA_SMS_GATEWAY_TOKEN = SmsGateway.TOKEN
    yield smtp, gateway
    smtp.stop()
    gateway.stop()


@pytest.fixture
def world(transactional_db):
    w = make_world()
    w.citizen1.email = "citizen1@example.vn"
    w.citizen1.save()
    return w


def test_a_citizen_chooses_email_and_the_officer_sees_it_on_the_timeline(page, world, servers):
    smtp, gateway = servers
    base = page.base
    page.goto(base + "/dang-nhap/")
    page.get_by_label("Thư điện tử hoặc số điện thoại").fill("citizen1@example.vn")
    page.get_by_label("Mật khẩu").fill("x-Secret-123")
    page.click("#login-button")
    page.goto(base + "/tai-khoan/")
    page.click("#profile-notifications")
    page.wait_for_selector("#notification-preferences")
    assert page.get_by_label("Thư điện tử").is_checked()
    assert page.get_by_label("Tin nhắn SMS").is_checked()  # the default: e-mail and SMS
    page.get_by_label("Tin nhắn SMS").uncheck()
    page.click("#notification-preferences-save")
    page.wait_for_selector("text=Đã lưu kênh nhận thông báo.")
    assert Preference.objects.get(user=world.citizen1).channels() == ["email"]

    applicant = S.ApplicantData(
        name="Lê Văn Tám",
        id_number="092190001234",
        phone="0901234567",
        email="tam@example.vn",
        address="12 Hòa Bình, Cái Khế, Ninh Kiều",
    )
    d = S.submit(
        by=world.citizen1,
        procedure=world.procedure,
        receiving_agency=world.a,
        applicant=applicant,
        channel="city_portal",
        documents=[S.DocumentInput(name="Tờ khai đăng ký lại khai sinh")],
    )
    S.receive(d.pk, by=world.desk_officer_a)  # commits: the job goes to the engine
    drain()  # the worker
    d.refresh_from_db()
    assert [rcpts for rcpts, _ in smtp.messages] == [["tam@example.vn"]]
    assert gateway.received == []  # SMS off
    assert Notification.objects.get(dossier=d).status == "sent"

    page.goto(base + f"/ho-so/{d.code}/")
    citizen_view = page.inner_text("#notifications")
    assert "Hồ sơ đã được tiếp nhận" in citizen_view and "Đã gửi" in citizen_view

    officer = page.context.browser.new_context(locale="vi-VN")
    desk = officer.new_page()
    desk.goto(base + "/desk/login/")
    desk.get_by_label("Tên đăng nhập").fill("desk_officer_a")
    desk.get_by_label("Mật khẩu").fill("x-Secret-123")
    desk.get_by_role("button", name="Đăng nhập").click()
    desk.goto(base + f"/desk/dossiers/{d.code}/")
    item = desk.locator("#notifications li.notification")
    assert item.count() == 1
    text = item.inner_text()
    assert "Hồ sơ đã được tiếp nhận" in text and "Thư điện tử" in text
    assert "t***@example.vn" in text and "Đã gửi" in text
    officer.close()
