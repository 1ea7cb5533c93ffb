"""/api/v1/stats/…: public aggregates (anonymous, rate limited, no personal data), problem
details with stable codes for bad parameters, the officer-only drill-down, scoped."""

from __future__ import annotations

import pytest

from motcua.accounts.models import Role
from motcua.restapi import tokens
from tests.stats.dash_world import APPLICANT_NAME, MARCH, make_dash

API = "/api/v1/stats"


@pytest.fixture
def dash(db, settings):
    settings.STATS_DESK_CACHE_SECONDS = 0  # each test its own figures
    settings.STATS_PUBLIC_CACHE_SECONDS = 0
    return make_dash()


def test_dossier_figures_anonymous(dash, client):
    response = client.get(f"{API}/dossiers", {"period": MARCH})
    assert response.status_code == 200
    body = response.json()
    assert body["unit"]["code"] == dash.w.province.code
    assert body["period"]["start"] == "2025-03-01" and body["period"]["provisional"] is False
    figures = body["figures"]
    assert figures["received"] == 3 and figures["settled_early"] == 1
    assert figures["received_by_channel"]["post"] == 1
    assert APPLICANT_NAME not in response.content.decode()


def test_breakdown_trend_and_others(dash, client):
    rows = client.get(f"{API}/dossiers/breakdown", {"period": MARCH, "by": "agency"}).json()["rows"]
    assert {r["key"] for r in rows} >= {dash.w.district.code}
    trend = client.get(f"{API}/dossiers/trend", {"period": "2025-Q1"}).json()["months"]
    assert [m["figures"]["received"] for m in trend] == [0, 0, 3]
    sat = client.get(f"{API}/satisfaction", {"period": MARCH}).json()["figures"]
    assert sat["total"] == 1 and sat["satisfied_rate"] == 1.0
    assert client.get(f"{API}/satisfaction/breakdown", {"period": MARCH}).status_code == 200
    assert client.get(f"{API}/feedback", {"period": MARCH}).json()["figures"]["received"] == 0
    assert client.get(f"{API}/feedback/breakdown", {"period": MARCH}).status_code == 200
    officer = client.get(f"{API}/dossiers/breakdown", {"period": MARCH, "by": "officer"})
    assert officer.status_code == 422  # no officer breakdown on the public API


def test_index766_and_peers(dash, client):
    body = client.get(f"{API}/index766", {"period": MARCH}).json()
    assert body["max"] == 100.0 and len(body["groups"]) == 6
    progress = next(g for g in body["groups"] if g["key"] == "progress")
    ind = progress["indicators"][0]
    assert ind["code"] == "2.1" and ind["denominator"] == 3 and ind["numerator"] is not None
    only = client.get(f"{API}/index766", {"period": MARCH, "received_only": "true"}).json()
    assert only["received_only"] is True
    peers = client.get(f"{API}/index766/peers", {"period": MARCH}).json()["peers"]
    assert peers[0]["code"] == dash.w.district.code and peers[0]["rank"] == 1


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"period": "2025-13"}, 400, "invalid_period"),
        ({"period": "9999-01-01..9999-12-31"}, 400, "period_out_of_range"),
        ({"period": "2000-01-01..2025-12-31"}, 400, "range_too_long"),
        ({"agency": "KHONG-CO"}, 400, "unknown_agency"),
        ({"agency": "x" * 61}, 422, "validation_error"),
        ({"subtree": "perhaps"}, 422, "validation_error"),
    ],
)
def test_bad_parameters_are_problem_details(dash, client, params, status, code):
    response = client.get(f"{API}/dossiers", params)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == code


def test_drilldown_needs_an_officer_and_is_scoped(dash, client):
    w = dash.w
    url = f"{API}/index766/2.1/dossiers"
    assert client.get(url, {"period": MARCH}).status_code == 401
    client.force_login(w.citizen1)
    assert client.get(url, {"period": MARCH, "agency": w.a.code}).json()["code"] == "officers_only"
    client.force_login(w.desk_officer_a)
    refused = client.get(url, {"period": MARCH, "agency": w.b.code})
    assert refused.status_code == 403 and refused.json()["code"] == "agency_out_of_scope"
    mine = client.get(url, {"period": MARCH, "agency": w.a.code, "part": "denominator"}).json()
    codes = {item["agency"] for item in mine["items"]}
    assert mine["count"] == 2 and codes == {w.a.code}
    unknown = client.get(f"{API}/index766/9.9/dossiers", {"period": MARCH, "agency": w.a.code})
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_indicator"


def test_drilldown_with_an_api_token(dash, client):
    w = dash.w
    issued = tokens.create_token(
        name="BI", agency=w.district, permissions=["dossiers:read"], roles=[Role.AGENCY_ADMIN]
    )
    url = f"{API}/index766/2.1/dossiers"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issued.secret}"}
    params = {"period": MARCH, "agency": w.district.code, "part": "denominator"}
    response = client.get(url, params, **auth)
    assert response.status_code == 200 and response.json()["count"] == 3
    narrow = tokens.create_token(name="a", agency=w.a, permissions=["dossiers:read"])
    refused = client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {narrow.secret}")
    assert refused.status_code == 403
    unscoped = tokens.create_token(name="w", agency=w.district, permissions=["tasks:receive"])
    refused = client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {unscoped.secret}")
    assert refused.json()["code"] == "insufficient_scope"
