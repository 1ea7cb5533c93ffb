"""/thong-ke/: the public figures with charts and their tables, shareable filters, 400 for bad
filters, no personal data, English labels, the brief cache."""

from __future__ import annotations

import re

import pytest

from tests.stats.dash_world import APPLICANT_NAME, MARCH, make_dash


@pytest.fixture
def dash(db, settings):
    settings.STATS_PUBLIC_CACHE_SECONDS = 0
    return make_dash()


def test_public_page_shows_figures_charts_and_tables(dash, client):
    response = client.get("/thong-ke/", {"period": MARCH})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Thống kê giải quyết thủ tục hành chính" in html
    # one settled (early) of one: 100 % on time; 1 of 3 received online
    assert re.search(r'id="kpi-on-time">100,00%<', html)
    assert re.search(r'id="kpi-online">33,33%<', html)
    assert re.search(r'id="kpi-satisfaction">100,00%<', html)
    assert 'id="kpi-766">' in html and 'id="kpi-received">3<' in html
    # every chart is an image with a name, its numbers in a table with a caption beside it
    canvases = re.findall(r"<canvas [^>]*>", html)
    assert canvases and all('role="img"' in c and "aria-label=" in c for c in canvases)
    assert html.count("<caption>") >= 2
    assert 'id="chart-data-trend" type="application/json"' in html
    # the peers (the province's two districts) ranked, each linking to its own view
    peers = html[html.index('id="peers-table"') :]
    assert "Ủy ban nhân dân quận Ninh Kiều" in peers and "Ủy ban nhân dân quận Bình Thủy" in peers
    assert "agency=000.00.21.H13" in peers
    assert 'class="band-good"' in html  # the tree coloured by on-time rate
    assert APPLICANT_NAME not in html


def test_no_inline_script(dash, client):
    html = client.get("/thong-ke/", {"period": MARCH}).content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "vendor/chartjs/4.5.1/chart.umd.min.js" in html


def test_filters_in_the_url_select_an_agency(dash, client):
    html = client.get("/thong-ke/", {"period": MARCH, "agency": "000.02.21.H13"}).content.decode()
    assert "Ủy ban nhân dân phường An Hòa" in html
    assert re.search(r'id="kpi-received">1<', html)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "2025-13"}, "Kỳ báo cáo"),
        ({"period": "9999"}, "năm"),
        ({"period": "0001-01-01..2025-01-01"}, ""),
        ({"period": "2025-01-01..2024-01-01"}, ""),
        ({"period": "x" * 500}, ""),
        ({"agency": "KHONG-CO"}, "Không tìm thấy cơ quan"),
        ({"subtree": "maybe"}, "subtree"),
    ],
)
def test_bad_filters_answer_400_in_vietnamese(dash, client, params, message):
    response = client.get("/thong-ke/", params)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="stats-error"' in html and message in html


def test_english_labels(dash, client):
    client.cookies["django_language"] = "en"
    html = client.get("/thong-ke/", {"period": MARCH}).content.decode()
    assert "Statistics on administrative procedures" in html
    assert "On-time rate" in html


def test_public_figures_are_cached_briefly(dash, client, settings):
    from tests.helpers import at
    from tests.stats.engine_world import received

    settings.STATS_PUBLIC_CACHE_SECONDS = 300
    from django.core.cache import cache

    cache.clear()
    first = client.get("/thong-ke/", {"period": MARCH}).content.decode()
    assert re.search(r'id="kpi-received">3<', first)
    received(dash.w, at(2025, 3, 12))
    cached = client.get("/thong-ke/", {"period": MARCH}).content.decode()
    assert re.search(r'id="kpi-received">3<', cached)  # the cached figures
    other = client.get("/thong-ke/", {"period": "2025-Q1"}).content.decode()
    assert re.search(r'id="kpi-received">4<', other)  # another filter, another key
    cache.clear()


def test_public_exports(dash, client):
    import io

    from openpyxl import load_workbook

    response = client.get("/thong-ke/xuat/form06a.xlsx", {"period": MARCH})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "Biểu số 06a/VPCP/KSTT" in values and "Tổng cộng" in values
    officer = client.get("/thong-ke/xuat/satisfaction.csv", {"period": MARCH, "by": "officer"})
    assert officer.status_code == 400  # no officer names on public pages
    assert client.get("/thong-ke/xuat/nope.xlsx").status_code == 400
