"""A commune-level procedure page in a real browser: the "Nộp trực tuyến" action comes first,
the many places to submit are folded behind a summary with a filter (issue 9 §5)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from motcua.agencies.models import Agency
from tests.dossiers.conftest import make_world
from tests.portal.conftest import open_online

COMMUNES = 84  # Cần Thơ's communes and wards in the demo


@pytest.fixture
def world(transactional_db):
    w = open_online(make_world())
    extra = [
        Agency.objects.create(
            code=f"{n + 10:03d}.99.21.H13",
            name_vi=f"Ủy ban nhân dân xã Thới Lai {n:02d}",
            level="commune",
            parent=w.district,
        )
        for n in range(COMMUNES - 2)
    ]
    w.procedure.implementing_agencies.add(w.b, *extra)
    return w


def test_the_action_comes_before_84_communes_on_a_phone(browser, live_server, world):
    context = browser.new_context(locale="vi-VN", viewport={"width": 375, "height": 812})
    try:
        page = context.new_page()
        page.goto(live_server.url + "/thu-tuc/1.004884/")
        page.wait_for_selector("#procedure-title")
        button = page.locator("#submit-online")
        # on the first screen, without scrolling
        box = button.bounding_box()
        assert box["y"] + box["height"] <= 812
        # the agencies come after the action and are folded
        follows = button.evaluate(
            "(b, list) => !!(b.compareDocumentPosition(list) & Node.DOCUMENT_POSITION_FOLLOWING)",
            page.locator("#agency-items").element_handle(),
        )
        assert follows
        details = page.locator("#agency-list")
        assert details.get_attribute("open") is None
        expect(page.get_by_text("Ủy ban nhân dân phường An Hòa")).to_be_hidden()
        page.get_by_text(f"Xem {COMMUNES} nơi nộp hồ sơ").click()
        expect(page.get_by_text("Ủy ban nhân dân phường An Hòa")).to_be_visible()
        # a filter by name, accents ignored
        page.get_by_label("Lọc theo tên").fill("an hoa")
        visible = page.locator("#agency-items li:visible").all_inner_texts()
        assert visible == ["Ủy ban nhân dân phường An Hòa"]
        page.get_by_label("Lọc theo tên").fill("")
        assert page.locator("#agency-items li:visible").count() == COMMUNES
    finally:
        context.close()


def test_few_places_are_listed_openly(page, world):
    world.procedure.implementing_agencies.set([world.a, world.b])
    page.goto(page.base + "/thu-tuc/1.004884/")
    assert page.locator("#agency-list").count() == 0
    expect(page.get_by_text("Ủy ban nhân dân phường Cái Khế")).to_be_visible()
    expect(page.get_by_text("Ủy ban nhân dân phường An Hòa")).to_be_visible()
