"""The registers in a real browser: the reform office adds an online meeting through the desk
form and sees the landing page's figure move by one; the pages load nothing from outside."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.registers.conftest import make_world


@pytest.fixture
def world(transactional_db):
    return make_world()


def sign_in_as(page, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base}]
    )


def test_a_new_meeting_moves_the_meetings_figure_by_one(page, world):
    outside = []
    page.on("request", lambda r: None if r.url.startswith(page.base) else outside.append(r.url))
    sign_in_as(page, world.office)
    landing = page.base + "/desk/registers/?from=2021-01-01&to=2021-12-31"
    page.goto(landing)
    total = page.locator("#figure-registersmeetingstotal")
    city = page.locator("#figure-registersmeetingscity")
    assert (total.inner_text(), city.inner_text()) == ("0", "0")
    page.get_by_role("link", name="Hội nghị truyền hình trực tuyến").click()
    page.locator("#entry-new").click()
    form = page.locator("#entry-form")
    form.get_by_label("Ngày").fill("2021-05-12")
    form.get_by_label("Cơ quan chủ trì").select_option(label="Sở Nội vụ")
    form.get_by_label("Cấp").select_option(label="Cấp thành phố")
    form.get_by_label("Nội dung").fill("Họp trực tuyến về phòng, chống dịch COVID-19")
    form.get_by_role("button", name="Lưu").click()
    assert "Đã thêm bản ghi" in page.locator(".messages").inner_text()
    assert "Họp trực tuyến về phòng, chống dịch" in page.locator("#entries").inner_text()
    page.goto(landing)
    assert (total.inner_text(), city.inner_text()) == ("1", "1")
    expect(page.locator("#figure-registersmeetingsdistrict")).to_have_text("0", use_inner_text=True)
    # the figure drills down to the record behind it
    city.click()
    assert page.locator("#entry-count").inner_text().startswith("1 bản ghi")
    assert outside == []


def test_a_bad_date_is_refused_beside_its_field(page, world):
    sign_in_as(page, world.justice_officer)
    page.goto(page.base + "/desk/registers/legal/new/")
    form = page.locator("#entry-form")
    form.get_by_label("Ngày thực hiện").evaluate("e => { e.type = 'text'; e.value = '31/02/2021' }")
    form.get_by_label("Loại công việc").select_option("comment_central")
    form.get_by_label("Tên văn bản").fill("Dự thảo Luật")
    form.get_by_role("button", name="Lưu").click()
    assert page.locator("#id_date-error").count() == 1
    assert "Ngày không hợp lệ" in page.locator("#id_date-error").inner_text()
