"""The 1022 feedback hub in a real browser (issue 9): an attached PDF reaches the operator, the
form is the portal's (required marks, opt-in consent, a signed-in citizen pre-filled), the map
picker appears only with a configured tile server and fills the boxes, statistics show labels,
and the whole hub reads in English."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import expect

from motcua.feedback.models import FeedbackItem
from tests.feedback.conftest import make_world

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_FEEDBACK_CENTRE_CODE = "000.00.01.H13"
    settings.MOTCUA_FEEDBACK_MAP_TILES_URL = ""
    return make_world()


def sign_in_as(page, user) -> None:
    """The user's session cookie in the browser (the log-in pages have their own tests)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base}]
    )


def fill_minimal(page) -> None:
    page.get_by_label("Lĩnh vực", exact=False).first.select_option("environment")
    page.get_by_label("Nội dung phản ánh, kiến nghị").fill(
        "Rác tồn đọng nhiều ngày trước nhà số 12 đường Hòa Bình, bốc mùi hôi."
    )


def test_an_attached_pdf_reaches_the_operator(page, world):
    outside = []
    page.on("request", lambda r: None if r.url.startswith(page.base) else outside.append(r.url))
    page.goto(page.base + "/feedback/new/")
    fill_minimal(page)
    page.get_by_label("Số điện thoại", exact=True).fill("0901234567")
    page.get_by_label("Tệp đính kèm").set_input_files(
        files=[{"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Gửi phản ánh").click()
    page.wait_for_url("**/feedback/track/**")
    item = FeedbackItem.objects.get()
    expect(page.get_by_text(f"Đã tiếp nhận phản ánh {item.code}")).to_be_visible()
    sign_in_as(page, world.operator)
    page.goto(page.base + f"/feedback/desk/{item.code}/")
    link = page.get_by_role("link", name="bien-ban.pdf")
    expect(link).to_be_visible()
    served = page.request.get(page.base + link.get_attribute("href"))
    assert served.status == 200 and served.body() == PDF
    assert served.headers["content-type"] == "application/pdf"
    # the statistics name the channel instead of its stored code
    page.goto(page.base + "/feedback/desk/stats/?by=channel")
    table = page.locator("#feedback-stats").inner_text()
    assert "Cổng thông tin 1022" in table and "portal" not in table
    assert outside == []  # nothing loaded from elsewhere (no tile server configured)


def test_the_form_marks_required_fields_asks_consent_and_prefills_a_citizen(page, world):
    citizen = world.citizen
    citizen.full_name, citizen.phone, citizen.email = "Trần Văn Bình", "0912345678", "b@vd.vn"
    citizen.save()
    page.goto(page.base + "/feedback/new/")
    assert page.locator("body.portal").count() == 1  # the portal's layout and styles
    for name in ("Lĩnh vực", "Nội dung phản ánh, kiến nghị"):
        label = page.locator("label", has_text=name).first
        assert label.locator(".req").inner_text() == "*"
    consent = page.get_by_label("Đồng ý công khai nội dung và câu trả lời", exact=False)
    assert not consent.is_checked()
    assert page.locator("#feedback-map").count() == 0  # no tile server: the boxes only
    expect(page.get_by_label("Vĩ độ")).to_be_visible()
    expect(page.get_by_label("Kinh độ")).to_be_visible()
    sign_in_as(page, citizen)
    page.goto(page.base + "/feedback/new/")
    assert page.get_by_label("Họ và tên").input_value() == "Trần Văn Bình"
    assert page.get_by_label("Số điện thoại", exact=True).input_value() == "0912345678"
    assert page.get_by_label("Thư điện tử").input_value() == "b@vd.vn"
    fill_minimal(page)
    page.get_by_role("button", name="Gửi phản ánh").click()
    page.wait_for_url("**/feedback/track/**")
    item = FeedbackItem.objects.get()
    assert item.is_public is False and item.reporter_user == citizen
    assert item.reporter_phone == "0912345678"


def test_the_map_picker_fills_the_boxes_when_a_tile_server_is_configured(
    page, world, settings, live_server
):
    # any local image stands in for the tiles: the picker works with whatever the server sends
    settings.MOTCUA_FEEDBACK_MAP_TILES_URL = (
        live_server.url + "/static/vendor/leaflet/images/layers.png?z={z}&x={x}&y={y}"
    )
    settings.MOTCUA_FEEDBACK_MAP_ATTRIBUTION = "Bản đồ thử nghiệm"
    page.goto(page.base + "/feedback/new/")
    box = page.locator("#feedback-map")
    box.wait_for()
    page.wait_for_function("document.querySelector('#feedback-map.leaflet-container') !== null")
    box.click()  # the centre of the province's bounding box
    lat = float(page.get_by_label("Vĩ độ").input_value())
    lon = float(page.get_by_label("Kinh độ").input_value())
    assert 9.92 <= lat <= 10.33 and 105.22 <= lon <= 105.85
    assert page.locator(".leaflet-marker-icon").count() == 1
    assert "Bản đồ thử nghiệm" in page.locator(".leaflet-control-attribution").inner_text()
    fill_minimal(page)
    page.get_by_label("Số điện thoại", exact=True).fill("0901234567")
    page.get_by_role("button", name="Gửi phản ánh").click()
    page.wait_for_url("**/feedback/track/**")
    item = FeedbackItem.objects.get()
    assert abs(float(item.latitude) - lat) < 1e-6 and abs(float(item.longitude) - lon) < 1e-6


def test_the_hub_reads_in_english(page, world):
    page.goto(page.base + "/feedback/new/")
    page.get_by_label("Ngôn ngữ").select_option("en")
    page.wait_for_selector("html[lang=en]")
    expect(page.get_by_role("heading", name="Send feedback or a request")).to_be_visible()
    expect(page.get_by_label("Your feedback or request")).to_be_visible()
    assert page.get_by_role("option", name="Environment and sanitation").count() == 1
    assert page.get_by_label("I agree that the content and the answer are published", exact=False)
    page.get_by_label("Category").select_option("environment")
    page.get_by_label("Your feedback or request").fill("short")
    page.get_by_label("Phone number", exact=True).fill("0901234567")
    page.get_by_role("button", name="Send feedback").click()  # the service's error, in English
    expect(page.get_by_text("The feedback needs at least 10 characters.")).to_be_visible()
    page.get_by_label("Your feedback or request").fill("Rubbish left for days in front of no. 12.")
    page.get_by_role("button", name="Send feedback").click()
    page.wait_for_url("**/feedback/track/**")
    expect(page.get_by_text("received. Please note the code to track it.")).to_be_visible()
    page.goto(page.base + "/feedback/answers/")
    expect(page.get_by_role("heading", name="Published answers to feedback")).to_be_visible()
    page.goto(page.base + "/feedback/track/")
    expect(page.get_by_role("heading", name="Track feedback by its code")).to_be_visible()
    sign_in_as(page, world.operator)
    page.goto(page.base + "/feedback/desk/")
    expect(page.get_by_role("heading", name="Feedback to handle")).to_be_visible()
    page.goto(page.base + "/feedback/desk/stats/")
    expect(page.get_by_role("heading", name="Feedback statistics")).to_be_visible()
    html = page.content()
    for vietnamese in ("Phản ánh", "Thống kê", "Tiếp nhận", "Trạng thái", "Gửi phản ánh"):
        assert vietnamese not in html, vietnamese
    # the item page: labels, states and the audit trail's actions in English
    code = FeedbackItem.objects.get().code
    page.goto(page.base + f"/feedback/desk/{code}/")
    expect(page.get_by_role("heading", name="Handling log")).to_be_visible()
    log = page.locator("table").last.inner_text()
    assert "Receive feedback" in log and "Received" in log and "submit" not in log
    facts = page.locator("dl.facts").inner_text()
    assert "1022 web portal" in facts and "Environment and sanitation" in facts
