"""The site chrome in a real browser: the 1022 link, the operators' link only for officers, the
favicon, a visible focus outline on the red header, and a small header with a menu button on a
phone (issue 9 §5)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.dossiers.conftest import make_world
from tests.portal.conftest import open_online

PHONE = {"width": 375, "height": 812}

# WCAG relative luminance and contrast ratio of two CSS colours, computed in the page
CONTRAST_JS = """([fg, bg]) => {
  const rgb = (css) => css.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (css) => {
    const [r, g, b] = rgb(css).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


@pytest.fixture
def world(transactional_db):
    return open_online(make_world())


def test_the_portal_header_links_to_the_1022_hub(page, world):
    page.goto(page.base + "/")
    link = page.locator(".site-header").get_by_role("link", name="Phản ánh, kiến nghị (1022)")
    link.click()
    page.wait_for_url("**/feedback/new/")
    expect(page.get_by_role("heading", name="Gửi phản ánh, kiến nghị")).to_be_visible()


def test_the_operators_link_is_only_for_officers(page, world, client):
    worklist = "Xử lý phản ánh"
    page.goto(page.base + "/feedback/new/")
    assert page.get_by_role("link", name=worklist).count() == 0
    # a signed-in citizen cannot use the worklist (403): no link either
    page.context.add_cookies([_session_cookie(client, world.citizen1, page.base)])
    page.goto(page.base + "/feedback/new/")
    assert page.get_by_role("link", name=worklist).count() == 0
    assert page.goto(page.base + "/feedback/desk/").status == 403
    page.context.clear_cookies()
    # an officer can, and gets the link
    page.context.add_cookies([_session_cookie(client, world.desk_officer_a, page.base)])
    page.goto(page.base + "/feedback/new/")
    page.get_by_role("link", name=worklist).click()
    page.wait_for_url("**/feedback/desk/")


def _session_cookie(client, user, base: str) -> dict:
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}


def test_the_favicon_is_linked_and_served_locally(page, world):
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(page.base + "/")
    hrefs = page.locator("link[rel=icon]").evaluate_all("ls => ls.map(l => l.href)")
    assert hrefs and all(h.startswith(page.base + "/static/") for h in hrefs)
    for href in hrefs:
        response = page.request.get(href)
        assert response.status == 200
        assert response.headers["content-type"].startswith(("image/", "application/"))
    # pages that link none (the admin) get the same icon at the conventional address
    response = page.request.get(page.base + "/favicon.ico")
    assert response.status == 200 and response.body()[:4] == b"\x00\x00\x01\x00"
    assert not failed


def test_the_focus_outline_on_the_red_header_has_3_to_1_contrast(page, world):
    page.goto(page.base + "/")
    page.keyboard.press("Tab")  # the skip link (on white)
    page.keyboard.press("Tab")  # the brand, on the red header
    focused = page.evaluate("document.activeElement.className")
    assert focused == "brand"
    outline, width, header = page.evaluate(
        """() => {
          const s = getComputedStyle(document.activeElement);
          const h = getComputedStyle(document.querySelector('.site-header'));
          return [s.outlineColor, s.outlineWidth, h.backgroundColor];
        }"""
    )
    assert float(width.removesuffix("px")) >= 2
    assert page.evaluate(CONTRAST_JS, [outline, header]) >= 3
    # every focusable thing in the header, not just the brand
    for selector in ("#nav-track", "#nav-feedback", "#lang-select"):
        page.focus(selector)
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
        assert page.evaluate(CONTRAST_JS, [outline, header]) >= 3, selector


def test_a_small_header_with_a_menu_button_on_a_phone(browser, live_server, world):
    context = browser.new_context(locale="vi-VN", viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        header = page.locator(".site-header").bounding_box()
        assert header["height"] <= 100  # was 445 of 812 px
        track = page.get_by_role("link", name="Tra cứu hồ sơ")
        expect(track).to_be_hidden()
        button = page.get_by_role("button", name="Danh mục")
        assert button.get_attribute("aria-expanded") == "false"
        button.click()
        assert button.get_attribute("aria-expanded") == "true"
        expect(track).to_be_visible()
        expect(page.get_by_label("Ngôn ngữ")).to_be_visible()
        track.click()
        page.wait_for_url("**/tra-cuu/")
        # Escape closes an open menu and gives the focus back to its button
        button = page.get_by_role("button", name="Danh mục")
        button.click()
        page.keyboard.press("Escape")
        assert button.get_attribute("aria-expanded") == "false"
        assert page.evaluate("document.activeElement.id") == "menu-toggle"
    finally:
        context.close()


def test_the_wide_header_has_no_menu_button(page, world):
    page.goto(page.base + "/")
    expect(page.locator("#menu-toggle")).to_be_hidden()
    expect(page.get_by_role("link", name="Tra cứu hồ sơ")).to_be_visible()


def test_without_javascript_the_phone_menu_stays_open(browser, live_server, world):
    context = browser.new_context(locale="vi-VN", viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        expect(page.get_by_role("link", name="Tra cứu hồ sơ")).to_be_visible()
        expect(page.locator("#menu-toggle")).to_be_hidden()
        # the language menu's own button submits it
        page.get_by_label("Ngôn ngữ").select_option("en")
        page.get_by_role("button", name="Đổi").click()
        page.wait_for_selector("html[lang=en]")
    finally:
        context.close()


def test_the_chrome_has_no_inline_script(page, world):
    """The Content-Security-Policy forbids inline scripts and handlers: the chrome uses none."""
    for path in ("/", "/desk/login/", "/feedback/new/"):
        page.goto(page.base + path)
        inline = page.evaluate(
            """() => [...document.querySelectorAll('script:not([src])')].length
                + [...document.querySelectorAll('*')].filter(
                    (e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length"""
        )
        assert inline == 0, path
