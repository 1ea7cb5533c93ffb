"""The one-stop flows in a real browser (issue 9 §5): counter reception with missing mandatory
documents, declaration fields and required markers on both sides, the supplement exchange and
one due date on the portal and the desk, new dossiers first in the queue, and a kiosk
registered from the desk."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from motcua.catalog.models import FormField
from motcua.dossiers import services as S
from motcua.dossiers.models import AuditEvent, Dossier
from motcua.ratings.models import KioskDevice
from tests.dossiers.conftest import make_world
from tests.portal.conftest import PDF, open_online

from .test_desk_flows import sign_in


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    w = open_online(make_world())
    w.procedure.online_mode = "partial"
    w.procedure.save()
    FormField.objects.create(
        procedure=w.procedure, order=1, key="child_name", label_vi="Họ và tên người được khai sinh"
    )
    FormField.objects.create(
        procedure=w.procedure, order=2, key="child_birth_date", label_vi="Ngày sinh", kind="date"
    )
    return w


def as_user(page, user) -> None:
    """Sign the browser context in as ``user`` (the login pages are tested elsewhere)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": page.base}])


def test_counter_reception_refuses_missing_documents_then_audits_an_override(page, world):
    waiting = S.submit(
        by=world.citizen1,
        procedure=world.procedure,
        receiving_agency=world.a,
        applicant=S.ApplicantData(name="Lê Văn An", id_number="092190001111"),
    )
    sign_in(page, "desk_officer_a")
    assert waiting.code in page.locator("table.queue tbody tr").first.inner_text()
    page.goto(f"{page.base}/desk/reception/?procedure={world.procedure.pk}")
    child = page.get_by_label("Họ và tên người được khai sinh")
    assert child.get_attribute("aria-required") == "true"
    expect(page.locator("label[for=id_field-child_name] .req")).to_have_text(
        "*", use_inner_text=True
    )
    page.get_by_label("Số định danh cá nhân").fill("092190005678")
    page.get_by_label("Họ và tên / tên tổ chức").fill("Trần Văn Bình")
    child.fill("Trần Gia Hân")
    page.fill("#id_field-child_birth_date", "2025-01-20")
    page.get_by_label("Tiếp nhận (in Mẫu 01)").check()
    page.get_by_role("button", name="Ghi nhận").click()
    error = page.locator("#id_override_reason").locator("xpath=..").locator(".field-error")
    assert "Hồ sơ còn thiếu giấy tờ bắt buộc" in error.inner_text()
    assert not Dossier.objects.exclude(pk=waiting.pk).exists()
    page.get_by_label("Lý do vẫn tiếp nhận khi còn thiếu giấy tờ bắt buộc").fill(
        "Người nộp xuất trình bản chính, nộp bản sao sau"
    )
    page.get_by_role("button", name="Ghi nhận").click()
    page.wait_for_url("**/desk/dossiers/**")
    d = Dossier.objects.get(applicant_id_number="092190005678")
    assert d.state == "received" and d.field_values["child_name"] == "Trần Gia Hân"
    event = AuditEvent.objects.get(dossier=d, action="receive")
    assert event.reason == "Người nộp xuất trình bản chính, nộp bản sao sau"
    assert "Trần Gia Hân" in page.inner_text("#declared-fields")
    assert "Người nộp xuất trình bản chính, nộp bản sao sau" in page.inner_text(".timeline")


def test_online_submission_fields_paper_choice_exchange_and_one_due_date(page, world, tmp_path):
    as_user(page, world.citizen1)
    page.goto(f"{page.base}/thu-tuc/{world.procedure.code}/")
    page.click("#submit-online")
    page.wait_for_selector("#applicant-form")
    expect(page.locator("label[for=id_name] .req")).to_be_visible()
    assert page.locator("#id_agency").get_attribute("aria-required") == "true"
    assert page.locator("#id_field-child_name").get_attribute("aria-required") == "true"
    page.get_by_label("Họ tên người nộp hoặc tên tổ chức").fill("Nguyễn Thị Hồng Nhung")
    page.get_by_label("Số định danh cá nhân (CCCD, 12 chữ số)").fill("092190001234")
    page.get_by_label("Số điện thoại").fill("0901234567")
    page.fill("#id_field-child_name", "Trần Gia Hân")
    page.fill("#id_field-child_birth_date", "2025-01-20")
    page.click("#go-review")
    page.wait_for_selector("#on-paper")
    assert "20/01/2025" in page.inner_text("#review-fields")
    page.click("#submit-dossier")  # no file and no paper choice: refused
    page.wait_for_selector("#on-paper")
    assert "Nộp bản giấy" in page.content()
    assert not Dossier.objects.exists()
    page.check("#on-paper-1")
    page.click("#submit-dossier")
    page.wait_for_selector("#dossier-code")
    d = Dossier.objects.get()
    assert d.documents.get(required_document__order=1).on_paper
    assert "Trần Gia Hân" in page.inner_text("#declared-fields")

    d = S.receive(d.pk, by=world.desk_officer_a)
    d = S.hand_over(d.pk, by=world.desk_officer_a)
    S.request_supplement(
        d.pk,
        by=world.specialist_a,
        missing=[S.MissingItem("Giấy chứng sinh", "Bản chụp rõ nét")],
        note="Gửi trong 5 ngày làm việc",
    )
    page.reload()
    assert "Gửi trong 5 ngày làm việc" in page.inner_text("#officer-note")
    scan = tmp_path / "chung-sinh.pdf"
    scan.write_bytes(PDF)
    page.set_input_files("#supplement-form input[type=file]", str(scan))
    page.get_by_label("Ghi chú").fill("Đã gửi bản chụp giấy chứng sinh")
    page.click("#supplement-submit")
    page.wait_for_selector("#exchanges")
    portal_due = page.inner_text("#dossier-due")
    assert "Đã gửi bản chụp giấy chứng sinh" in page.inner_text("#exchanges")

    sign_in(page, "specialist_a")
    page.goto(f"{page.base}/desk/dossiers/{d.code}/")
    exchanges = page.inner_text("#exchanges")
    assert "Gửi trong 5 ngày làm việc" in exchanges
    assert "Đã gửi bản chụp giấy chứng sinh" in exchanges
    assert page.inner_text("#dossier-due") == portal_due  # one due date, with its time
    assert len(portal_due) == len("10/03/2025 17:00")


def test_agency_admin_registers_a_kiosk_from_the_desk(page, world, browser):
    sign_in(page, "admin_d")
    page.goto(page.base + "/desk/kiosk/")  # setting a tablet up: no 403, the devices page
    page.wait_for_url("**/desk/kiosks/")
    page.get_by_label("Cơ quan").select_option(label=world.a.name_vi)
    page.get_by_label("Tên thiết bị / quầy").fill("Quầy số 2")
    page.get_by_role("button", name="Đăng ký thiết bị").click()
    setup_url = page.input_value("#kiosk-setup-url")
    assert KioskDevice.objects.get().name == "Quầy số 2"
    tablet = browser.new_context(locale="vi-VN", viewport={"width": 1024, "height": 768})
    try:
        kiosk = tablet.new_page()
        kiosk.goto(setup_url)
        expect(kiosk.get_by_role("button", name="Rất hài lòng")).to_be_visible()
    finally:
        tablet.close()
    page.reload()  # the token is shown once
    assert page.locator("#kiosk-token").count() == 0
