"""The statistics pages in a real browser (issue 10 §4): the public page draws its charts with
the vendored Chart.js (no CSP violation, nothing from outside) beside their data tables; an
officer of one agency cannot see another's figures; the language switch."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.stats.dash_world import MARCH, make_dash


@pytest.fixture
def dash(transactional_db, settings):
    settings.STATS_PUBLIC_CACHE_SECONDS = 0
    settings.STATS_DESK_CACHE_SECONDS = 0
    return make_dash()


def sign_in_as(page, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base}]
    )


def _watch(page) -> tuple[list[str], list[str]]:
    """Console errors (a CSP violation is one) and requests leaving the server."""
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(page.base) else None)
    return errors, outside


def test_public_page_draws_charts_beside_their_tables(page, dash):
    errors, outside = _watch(page)
    page.goto(f"{page.base}/thong-ke/?period={MARCH}")
    page.wait_for_selector("canvas#chart-trend[data-drawn='1']")
    canvases = page.locator("canvas[data-chart]")
    assert canvases.count() >= 4
    for i in range(canvases.count()):
        canvas = canvases.nth(i)
        assert canvas.get_attribute("role") == "img" and canvas.get_attribute("aria-label")
        assert canvas.get_attribute("data-drawn") == "1"
    # the chart really painted something (a blank canvas has no non-transparent pixel)
    painted = page.evaluate(
        """() => { const c = document.querySelector('#chart-trend');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return true; return false; }"""
    )
    assert painted
    expect(page.locator("#trend-table caption")).to_have_text(
        "Số liệu theo tháng", use_inner_text=True
    )
    assert page.locator("#trend-table tbody tr").count() == 1
    assert page.locator("#peers-table tbody tr").count() == 2
    expect(page.locator("#kpi-on-time")).to_have_text("100,00%", use_inner_text=True)
    assert not errors, errors
    assert not outside, outside


def test_filters_are_shareable_and_bad_ones_explained(page, dash):
    page.goto(f"{page.base}/thong-ke/?period={MARCH}")
    page.get_by_label("Cơ quan, đơn vị", exact=True).select_option("000.00.21.H13")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url("**agency=000.00.21.H13**")
    assert "Ninh Kiều" in page.locator("h2#unit-h").inner_text()
    response = page.goto(f"{page.base}/thong-ke/?period=2025-13")
    assert response.status == 400
    assert "không hợp lệ" in page.locator("#stats-error").inner_text()


def test_an_officer_cannot_see_another_agencys_figures(page, dash):
    w = dash.w
    sign_in_as(page, w.desk_officer_a)
    page.goto(f"{page.base}/desk/")
    page.get_by_role("link", name="Thống kê").click()
    page.wait_for_selector("#unit-name")
    expect(page.locator("#unit-name")).to_have_text(
        "Ủy ban nhân dân phường Cái Khế", use_inner_text=True
    )
    options = page.locator("#f-agency option").all_inner_texts()
    assert options == ["Ủy ban nhân dân phường Cái Khế"]
    assert "An Hòa" not in page.locator("#late-by-agency").inner_text()
    response = page.goto(f"{page.base}/desk/thong-ke/?period={MARCH}&agency={w.b.code}")
    assert response.status == 403
    assert "không có quyền xem số liệu" in page.locator("#stats-error").inner_text()
    assert "An Hòa" not in page.content()


def test_the_language_switch(page, dash):
    page.goto(f"{page.base}/thong-ke/?period={MARCH}")
    page.get_by_label("Ngôn ngữ").select_option("en")  # submits the form on change
    page.wait_for_selector("text=Statistics on administrative procedures")
    assert "period=2025-03" in page.url  # the view (its filters) survives the switch
    expect(page.locator("#trend-table caption")).to_have_text(
        "Figures by month", use_inner_text=True
    )
    expect(page.locator("#kpi-on-time")).to_have_text("100.00%", use_inner_text=True)
    page.get_by_label("Language").select_option("vi")
    page.wait_for_selector("text=Thống kê giải quyết thủ tục hành chính")
