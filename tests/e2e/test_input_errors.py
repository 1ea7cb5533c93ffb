"""Bad input in a real browser: the 404 page in the site's frame, a Form 07 range of a century
refused with a Vietnamese message (issue 9 §4)."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from tests.dossiers.conftest import make_world


@pytest.fixture
def world(transactional_db):
    return make_world()


def _signed_in(page, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": page.base}]  # type: ignore[attr-defined]
    )


def test_unknown_page_shows_the_vietnamese_404_in_the_site_frame(page, world):
    response = page.goto(page.base + "/khong-co-trang-nay/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Không tìm thấy trang")).to_be_visible()
    expect(page.locator("header.site-header")).to_be_visible()
    expect(page.locator("footer.site-footer")).to_be_visible()
    page.get_by_role("link", name="Về trang chủ").click()
    page.wait_for_url(page.base + "/")


def test_form_07_for_a_century_is_refused_with_a_message(page, world):
    _signed_in(page, world.desk_officer_a)
    page.goto(page.base + "/desk/log/")
    page.get_by_label("Bộ phận tiếp nhận").select_option(str(world.a.pk))
    page.get_by_label("Từ ngày").fill("2000-01-01")
    page.get_by_label("Đến ngày").fill("2100-12-31")
    page.locator("main form[method=post] [type=submit]").first.click()
    message = page.get_by_text("Khoảng thời gian dài nhất là 5 năm; hãy chọn khoảng ngắn hơn.")
    message.wait_for()
    expect(message).to_be_visible()
