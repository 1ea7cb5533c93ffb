"""The desk's statistics: officers only, scoped to their agencies (an officer never sees
figures of agencies outside their scope), overdue work, the 766 index, exports."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from tests.stats.dash_world import MARCH, make_dash

URL = "/desk/thong-ke/"


@pytest.fixture
def dash(db, settings):
    settings.STATS_DESK_CACHE_SECONDS = 0  # each test its own figures
    settings.STATS_PUBLIC_CACHE_SECONDS = 0
    return make_dash()


def _get(client, user, url=URL, **params):
    client.force_login(user)
    return client.get(url, {"period": MARCH, **params})


def test_login_and_officers_only(dash, client):
    assert client.get(URL).status_code == 302
    client.force_login(dash.w.citizen1)
    assert client.get(URL).status_code == 403


def test_officer_sees_only_their_agency(dash, client):
    w = dash.w
    response = _get(client, w.desk_officer_a)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="unit-name">Ủy ban nhân dân phường Cái Khế<' in html
    assert re.search(r'id="kpi-received">2<', html)  # D1 and D2; not b's D3
    late = html[html.index('id="late-by-agency"') :]
    late = late[: late.index("</table>")]
    assert "Cái Khế" in late and "An Hòa" not in late
    assert re.search(r'id="late-total">1<', html)
    # another agency's figures: refused, whatever the URL says
    for code in (w.b.code, w.district.code, w.province.code):
        refused = _get(client, w.desk_officer_a, agency=code)
        assert refused.status_code == 403
        assert "Bạn không có quyền xem số liệu của cơ quan này." in refused.content.decode()
    assert "An Hòa" not in _get(client, w.desk_officer_a, agency=w.a.code).content.decode()


def test_district_admin_sees_the_pooled_district(dash, client):
    w = dash.w
    html = _get(client, w.admin_d, agency=w.district.code).content.decode()
    assert re.search(r'id="kpi-received">3<', html)
    assert re.search(r'id="late-total">2<', html)
    table = html[html.index('id="agency-table"') :]
    assert "Cái Khế" in table and "An Hòa" in table
    assert _get(client, w.admin_d, agency=w.province.code).status_code == 403


def test_superuser_sees_the_province(dash, client):
    html = _get(client, dash.w.root, agency=dash.w.province.code).content.decode()
    assert re.search(r'id="kpi-received">3<', html)


def test_bad_filters_answer_400(dash, client):
    response = _get(client, dash.w.desk_officer_a, period="2025-99")
    assert response.status_code == 400
    assert 'id="stats-error"' in response.content.decode()
    assert _get(client, dash.w.desk_officer_a, agency="NOPE").status_code == 400


def test_index_page_lists_indicators_with_drilldown_links(dash, client):
    html = _get(client, dash.w.admin_d, URL + "chi-so-766/", agency=dash.w.district.code).content
    html = html.decode()
    assert 'id="index-total"' in html and 'id="ind-2.1"' in html
    row = html[html.index('id="ind-2.1"') :]
    row = row[: row.index("</tr>")]
    assert "/desk/thong-ke/chi-so-766/2.1/?" in row and "part=denominator" in row
    received_only = _get(
        client, dash.w.admin_d, URL + "chi-so-766/", agency=dash.w.district.code, received_only="1"
    )
    assert received_only.status_code == 200


def test_desk_export_xlsx_is_scoped(dash, client):
    w = dash.w
    response = _get(client, w.desk_officer_a, URL + "xuat/form06a.xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "Tổng cộng" in values
    total_row = next(r for r in ws.iter_rows() if r[1].value == "Tổng cộng")
    # a's two dossiers: both newly received (1 online, 1 direct), one settled early, one open
    assert [c.value for c in total_row[2:]] == [2, 1, 1, 0, 0, 1, 1, 0, 0, 1, 0, 1]
    assert (
        _get(client, w.desk_officer_a, URL + "xuat/form06a.xlsx", agency=w.b.code).status_code
        == 403
    )
    assert _get(client, w.desk_officer_a, URL + "xuat/form06a.doc").status_code == 400


def test_desk_satisfaction_by_officer_csv(dash, client):
    response = _get(client, dash.w.desk_officer_a, URL + "xuat/satisfaction.csv", by="officer")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[-1].split(",")[2:] == ["1", "1", "0", "0", "100.00"]


def test_drilldown_lists_the_dossiers_behind_an_indicator(dash, client, monkeypatch):
    from motcua.dossiers.models import Dossier
    from motcua.stats.web import desk

    monkeypatch.setattr(desk, "PAGE_SIZE", 2)
    w = dash.w
    url = URL + "chi-so-766/2.1/"
    response = _get(client, w.admin_d, url, agency=w.district.code, part="denominator")
    html = response.content.decode()
    assert response.status_code == 200
    codes = list(Dossier.objects.order_by("received_at", "pk").values_list("code", flat=True))
    assert f'href="/desk/dossiers/{codes[0]}/"' in html and "3 hồ sơ" in html
    assert 'id="next-page"' in html and codes[2] not in html  # two per page
    page2 = _get(client, w.admin_d, url, agency=w.district.code, part="denominator", page=2)
    assert codes[2] in page2.content.decode()
    # an officer of a: only a's dossiers, and never b's list
    mine = _get(client, w.desk_officer_a, url, part="denominator").content.decode()
    b_code = Dossier.objects.get(pk=dash.d3).code
    assert b_code not in mine
    assert _get(client, w.desk_officer_a, url, agency=w.b.code).status_code == 403
    assert (
        _get(client, w.admin_d, URL + "chi-so-766/1.1/", agency=w.district.code).status_code == 404
    )
    assert _get(client, w.admin_d, url, part="x").status_code == 400


def test_cached_figures_never_cross_the_scope(dash, client, settings):
    from django.core.cache import cache

    settings.STATS_DESK_CACHE_SECONDS = 60
    cache.clear()
    w = dash.w
    pooled = _get(client, w.admin_d, agency=w.district.code).content.decode()
    assert re.search(r'id="kpi-received">3<', pooled)
    # the district's figures are in the cache now: an officer of a still cannot read them
    assert _get(client, w.desk_officer_a, agency=w.district.code).status_code == 403
    mine = _get(client, w.desk_officer_a).content.decode()
    assert re.search(r'id="kpi-received">2<', mine)
    cache.clear()
