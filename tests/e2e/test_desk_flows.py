"""The desk in a real browser: counter reception with checklist and scan, the queue's deadline
colours with HTMX filtering, and the kiosk rating flow. Screenshots go to docs/screenshots/."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from motcua.catalog.models import RequiredDocument
from motcua.dossiers.models import Dossier
from motcua.ratings.models import Rating
from motcua.ratings.services import register_kiosk
from tests.desk.conftest import make_png, new_dossier
from tests.dossiers.conftest import at, make_world

from .conftest import screenshot


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    w = make_world()
    for order, name in enumerate(
        ("Tờ khai đăng ký lại khai sinh", "Bản sao giấy tờ tùy thân"), start=1
    ):
        RequiredDocument.objects.create(procedure=w.procedure, order=order, name=name)
    return w


def sign_in(page, username: str) -> None:
    page.goto(page.base + "/desk/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("x-Secret-123")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(page.base + "/desk/")


def test_counter_reception_with_checklist_upload_and_form_01(page, world, tmp_path):
    sign_in(page, "desk_officer_a")
    page.get_by_role("link", name="Tiếp nhận tại quầy").click()
    page.get_by_label("Tên hoặc mã thủ tục").fill("dang ky lai khai")  # no diacritics, via HTMX
    page.get_by_role("link", name="Thủ tục đăng ký lại khai sinh").click()
    page.get_by_label("Số định danh cá nhân").fill("092190005678")
    page.get_by_label("Họ và tên / tên tổ chức").fill("Trần Văn Bình")
    page.get_by_label("Số điện thoại").fill("0907654321")
    page.get_by_label("Địa chỉ").fill("5 Lý Tự Trọng, Ninh Kiều, Cần Thơ")
    page.get_by_label("Tờ khai đăng ký lại khai sinh").check()
    page.get_by_label("Bản sao giấy tờ tùy thân").check()
    scan = tmp_path / "to-khai.png"
    scan.write_bytes(make_png(240, 160))
    page.locator("input[type=file]").first.set_input_files(str(scan))
    page.get_by_label("Tiếp nhận (in Mẫu 01)").check()
    screenshot(page, "desk-reception")
    page.get_by_role("button", name="Ghi nhận").click()
    page.wait_for_url("**/desk/dossiers/**")
    d = Dossier.objects.get(applicant_id_number="092190005678")
    assert d.state == "received" and d.channel == "desk"
    expect(page.get_by_text(f"Hồ sơ {d.code}: Đã tiếp nhận.")).to_be_visible()
    assert page.locator("figure.attachment img").evaluate("img => img.naturalWidth") == 240
    screenshot(page, "desk-dossier")
    pdf_link = page.get_by_role("link", name="In (PDF)").first
    response = page.request.get(page.base + pdf_link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_queue_colours_and_htmx_filter(page, world):
    overdue = new_dossier(world, when=at(2025, 1, 24))
    fresh = new_dossier(world, when=timezone.now())
    waiting = new_dossier(world, state="registered")
    sign_in(page, "desk_officer_a")
    rows = page.locator("table.queue tbody tr")
    assert rows.count() == 3
    late_row = page.locator("tr.row-overdue")
    expect(late_row.get_by_text("Quá hạn")).to_be_visible()
    assert overdue.code in late_row.inner_text()
    colours = {
        status: page.locator(f"tr.row-{status} .deadline").evaluate(
            "el => getComputedStyle(el).color"
        )
        for status in ("overdue", "on_time")
    }
    assert colours["overdue"] != colours["on_time"]
    assert fresh.code in page.locator("tr.row-on_time").inner_text()
    screenshot(page, "desk-queue")
    page.get_by_label("Trạng thái", exact=True).select_option(
        "registered"
    )  # HTMX swaps only the table
    # a function, not a string: the page's Content-Security-Policy forbids eval
    page.wait_for_function("() => document.querySelectorAll('table.queue tbody tr').length === 1")
    assert waiting.code in rows.first.inner_text()
    assert "state=registered" in page.url


def test_kiosk_rating_flow(page, world):
    device, token = register_kiosk(world.a, "Quầy số 1")
    page.set_viewport_size({"width": 1024, "height": 768})  # a counter tablet
    page.goto(f"{page.base}/desk/kiosk/{token}/")
    expect(page.get_by_role("button", name="Rất hài lòng")).to_be_visible()
    page.get_by_label("Cán bộ phục vụ").select_option(label="desk_officer_a")
    screenshot(page, "desk-kiosk")
    page.get_by_role("button", name="Hài lòng", exact=True).click()
    page.get_by_role("heading", name="Xin cảm ơn ông/bà đã đánh giá!").wait_for()
    rating = Rating.objects.get()
    assert (rating.level, rating.officer, rating.device) == (
        "satisfied",
        world.desk_officer_a,
        device,
    )
    page.get_by_role("link", name="Về màn hình đánh giá").click()
    expect(page.get_by_role("button", name="Không hài lòng")).to_be_visible()
