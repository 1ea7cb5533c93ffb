"""Vietnamese by default, English one click away, in a real browser (portal and desk)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.dossiers.conftest import make_world
from tests.portal.conftest import open_online


@pytest.fixture
def world(transactional_db):
    return open_online(make_world())


def test_switching_the_language_in_the_browser(page, world):
    page.goto(page.base + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    expect(page.get_by_label("Tìm thủ tục")).to_be_visible()
    page.get_by_label("Ngôn ngữ").select_option("en")  # submits the form on change
    page.wait_for_selector("html[lang=en]")
    expect(page.get_by_label("Find a procedure")).to_be_visible()
    expect(page.get_by_role("link", name="Track a dossier")).to_be_visible()
    # the choice follows the user to the officers' desk
    page.goto(page.base + "/desk/login/")
    expect(page.get_by_label("User name")).to_be_visible()
    page.get_by_label("Language").select_option("vi")
    page.wait_for_selector("html[lang=vi]")
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible()
