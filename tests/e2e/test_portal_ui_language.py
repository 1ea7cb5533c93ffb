"""Languages in a real browser: Vietnamese whatever the browser asks for, the language menu
in each language's own name, the choice remembered, and catalog names in English mode on the
portal and the desk (issue 9 §5)."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.dossiers.conftest import make_world
from tests.portal.conftest import dossier_for, open_online


@pytest.fixture
def world(transactional_db):
    w = open_online(make_world())
    w.procedure.name_en = "Re-registration of a birth"
    w.procedure.save()
    for agency, english in (
        (w.a, "Cai Khe Ward People's Committee"),
        (w.b, "An Hoa Ward People's Committee"),
    ):
        agency.name_en = english
        agency.save()
    return w


def choose_english(page) -> None:
    page.get_by_label("Ngôn ngữ").select_option("en")  # submits the form on change
    page.wait_for_selector("html[lang=en]")


def test_an_english_browser_still_gets_vietnamese(browser, live_server, world):
    # a Vietnamese citizen's phone set to English sends Accept-Language: en-US
    context = browser.new_context(locale="en-US", extra_http_headers={"Accept-Language": "en"})
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        assert page.locator("html").get_attribute("lang") == "vi"
        expect(page.get_by_label("Tìm thủ tục")).to_be_visible()
    finally:
        context.close()


def test_the_language_menu_names_each_language_in_its_own_name(page, world):
    page.goto(page.base + "/")
    options = page.locator("#lang-select option")
    assert options.all_inner_texts() == ["Tiếng Việt", "English"]
    assert options.evaluate_all("os => os.map(o => o.lang)") == ["vi", "en"]
    choose_english(page)
    assert page.locator("#lang-select option").all_inner_texts() == ["Tiếng Việt", "English"]


def test_the_choice_is_remembered_beyond_the_browser_session(page, world):
    page.goto(page.base + "/")
    choose_english(page)
    cookie = next(c for c in page.context.cookies() if c["name"] == "django_language")
    assert cookie["value"] == "en"
    # a persistent cookie (a session cookie has expires -1 and is lost when the phone closes
    # the browser): about a year
    assert cookie["expires"] > time.time() + 300 * 24 * 3600
    page.goto(page.base + "/tra-cuu/")
    assert page.locator("html").get_attribute("lang") == "en"


def test_catalog_names_in_english_mode_on_the_portal(page, world):
    page.goto(page.base + "/")
    choose_english(page)
    page.get_by_label("Find a procedure").fill("khai sinh")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Re-registration of a birth").click()
    page.wait_for_selector("#procedure-title")
    assert page.inner_text("#procedure-title") == "Re-registration of a birth"
    assert "Re-registration of a birth" in page.title()
    # the field and the standard steps and fee have no stored English name: the catalog's
    # message entries give one; the agency has its own English name
    assert "Civil status" in page.inner_text(".facts")
    assert page.inner_text("#time-limit") == "5 working days"
    steps = page.locator("ol.steps li").all_inner_texts()
    assert steps[0] == "Receive the dossier" and steps[-1] == "Return the result"
    assert page.inner_text("#fees").startswith("Fee:")
    assert "Cai Khe Ward People's Committee" in page.inner_text("#procedure-action")
    # a name the catalog has only in Vietnamese stays Vietnamese (never blank)
    assert "Tờ khai đăng ký lại khai sinh" in page.inner_text("#documents")
    # the search filters read in English too
    page.goto(page.base + "/")
    assert "Civil status" in page.locator("#id_field").inner_text()


def test_catalog_names_in_english_mode_on_the_desk(page, world):
    d = dossier_for(world)
    page.goto(page.base + "/desk/login/")
    page.get_by_label("Ngôn ngữ").select_option("en")
    page.wait_for_selector("html[lang=en]")
    page.get_by_label("User name").fill("desk_officer_a")
    page.get_by_label("Password").fill("x-Secret-123")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(page.base + "/desk/")
    assert "Re-registration of a birth" in page.inner_text("main")
    page.goto(page.base + f"/desk/dossiers/{d.code}/")
    main = page.inner_text("main")
    assert "Re-registration of a birth" in main
    assert "Cai Khe Ward People's Committee" in main
    assert "Ủy ban nhân dân phường Cái Khế" not in main
