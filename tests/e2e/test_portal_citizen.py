"""The citizen portal in a real browser: register, search, submit online with an upload, find
the dossier in "My dossiers"; public tracking on a phone-sized screen. Screenshots go to
docs/screenshots/portal-*.png."""

from __future__ import annotations

import re

import pytest

from motcua.dossiers.models import Attachment, Dossier
from tests.dossiers.conftest import make_world
from tests.portal.conftest import PDF, dossier_for, open_online

from .conftest import screenshot


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return open_online(make_world())


def test_register_search_submit_online_and_see_it_in_my_dossiers(page, world, tmp_path):
    base = page.base
    page.goto(base + "/")
    screenshot(page, "portal-home")
    page.get_by_label("Tìm thủ tục").fill("dang ky lai khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.get_by_role("link", name="Thủ tục đăng ký lại khai sinh").click()
    page.wait_for_selector("#procedure-title")
    assert "8.000 đ" in page.inner_text("#fees")
    screenshot(page, "portal-procedure")

    page.click("#submit-online")  # not signed in: to the login page, then register
    page.click("text=Chưa có tài khoản? Đăng ký")
    page.get_by_label("Họ và tên").fill("Phạm Thị Thu")
    page.get_by_label("Số điện thoại").fill("0939123456")
    page.fill("#id_password1", "Ninh-Kieu-2025")
    page.fill("#id_password2", "Ninh-Kieu-2025")
    page.click("#register-button")
    # registration answers neutrally (issue 9 §2): the citizen then signs in, and goes on
    page.get_by_label("Thư điện tử hoặc số điện thoại").fill("0939123456")
    page.get_by_label("Mật khẩu").fill("Ninh-Kieu-2025")
    page.click("#login-button")
    page.wait_for_selector("#procedure-title")  # back where the citizen was going
    page.click("#submit-online")

    page.wait_for_selector("#applicant-form")
    assert page.input_value("#id_phone") == "0939123456"  # prefilled from the profile
    page.get_by_label("Số định danh cá nhân (CCCD, 12 chữ số)").fill("092190005678")
    page.get_by_label("Địa chỉ").fill("5 Mậu Thân, An Hòa, Ninh Kiều")
    scan = tmp_path / "to-khai.pdf"
    scan.write_bytes(PDF)
    first_doc = world.procedure.required_documents.get(order=1)
    page.set_input_files(f"#file-{first_doc.pk}", str(scan))
    page.locator("#doc-1 .upload-form button").click()
    page.wait_for_selector("#doc-1 .files li")  # HTMX replaced the list with the new file
    assert "to-khai.pdf" in page.inner_text("#doc-1")
    screenshot(page, "portal-submission")

    page.click("#go-review")
    page.wait_for_selector("#submit-dossier")
    page.click("#submit-dossier")
    page.wait_for_selector("#dossier-code")
    code = page.inner_text("#dossier-code")
    assert re.fullmatch(r"000\.01\.21\.H13-\d{6}-0001", code)
    dossier = Dossier.objects.get(code=code)
    assert dossier.applicant_user.phone == "0939123456"
    assert Attachment.objects.filter(dossier=dossier, original_name="to-khai.pdf").exists()

    page.click("#nav-my-dossiers")
    page.wait_for_selector("#my-dossiers")
    assert code in page.inner_text("#my-dossiers")
    assert "Mới đăng ký" in page.inner_text("#my-dossiers")
    screenshot(page, "portal-my-dossiers")


def test_public_tracking_on_a_phone(browser, live_server, world):
    dossier = dossier_for(world)
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/tra-cuu/")
        page.get_by_label("Mã hồ sơ").fill(dossier.code)
        page.get_by_label("4 số cuối điện thoại hoặc số CCCD của người nộp").fill("4567")
        page.keyboard.press("Enter")
        page.wait_for_selector("#track-found")
        assert "Mới đăng ký" in page.inner_text("#track-state")
        assert "Nguyễn Thị Hồng Nhung" not in page.content()
        screenshot(page, "portal-tracking")
        page.get_by_label("4 số cuối điện thoại hoặc số CCCD của người nộp").fill("0000")
        page.keyboard.press("Enter")
        page.wait_for_selector("#track-not-found")
    finally:
        context.close()
