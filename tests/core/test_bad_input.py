"""Issue 9 §4: each of these requests answered HTTP 500; each now answers a clear 400/422
(problem details on the API, a Vietnamese message in the UI)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils import timezone

from motcua.dossiers.models import IssuedForm
from tests.dossiers.conftest import make_world as make_dossier_world
from tests.feedback.conftest import make_world as make_feedback_world

EXTREME_DATETIMES = [
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00+00:00",
    "9999-12-31T23:59:59+00:00",
]


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)  # a crash is a 500, as a browser sees it
    if user is not None:
        client.force_login(user)
    return client


def _problem(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["code"] and body["detail"]
    return body


@pytest.fixture
def feedback_world(db, settings):
    settings.MOTCUA_FEEDBACK_CENTRE_CODE = "000.00.01.H13"
    return make_feedback_world()


@pytest.fixture
def dossier_world(db):
    return make_dossier_world()


@pytest.mark.parametrize(
    "query",
    [
        "end_date=0001-01-01T00:00:00+00:00",
        "start_date=9999-12-31T23:59:59-14:00",
        "start_date=0001-01-01T00:00:00+14:00",
        "end_date=9999-12-31T23:59:59-14:00",
        "start_date=2000-01-01T00:00:00Z&end_date=2100-12-31T00:00:00Z",  # 100 years
    ],
)
def test_open311_extreme_dates_are_a_400(feedback_world, query):
    name = query.split("=", 1)[0]
    url = "/open311/v2/requests.json?" + "&".join(
        f"{p.split('=', 1)[0]}={quote(p.split('=', 1)[1])}" for p in query.split("&")
    )
    response = _client().get(url)
    assert response.status_code == 400, response.content[:300]
    assert response.json()[0]["code"] == 400
    assert name in response.json()[0]["description"]


def test_open311_sane_window_still_answers(feedback_world):
    response = _client().get(
        "/open311/v2/requests.json?start_date=2025-01-01T00:00:00%2B07:00"
        "&end_date=2025-03-01T00:00:00%2B07:00"
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "offset=9223372036854775808",
        "offset=-1",
        "limit=9223372036854775808",
        "limit=99999999999999999999999999",
        "offset=1" + "0" * 40,
        "limit=0",
    ],
)
def test_feedback_answers_paging_beyond_64_bits_is_a_422(feedback_world, query):
    body = _problem(_client().get(f"/api/v1/feedback/answers?{query}"), 422)
    assert body["code"] == "validation_error"
    assert body["errors"][0]["field"] == query.split("=")[0]


def test_feedback_answers_sane_paging_still_answers(feedback_world):
    assert _client().get("/api/v1/feedback/answers?offset=0&limit=100").status_code == 200


@pytest.mark.parametrize("value", [*EXTREME_DATETIMES, "2101-01-01T00:00:00+07:00"])
def test_dossiers_due_before_out_of_bounds_is_a_422(dossier_world, value):
    client = _client(dossier_world.desk_officer_a)
    body = _problem(client.get(f"/api/v1/dossiers?due_before={quote(value)}"), 422)
    assert body["code"] == "validation_error"
    assert body["errors"][0]["field"] == "due_before"
    assert "2000" in body["errors"][0]["message"]


def test_dossiers_due_before_in_bounds_still_answers(dossier_world):
    client = _client(dossier_world.desk_officer_a)
    response = client.get(f"/api/v1/dossiers?due_before={quote('2030-01-01T00:00:00+07:00')}")
    assert response.status_code == 200


@pytest.mark.parametrize("value", EXTREME_DATETIMES)
def test_dossiers_cursor_with_an_extreme_date_is_a_422(dossier_world, value):
    raw = json.dumps([value, "X"]).encode()
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    client = _client(dossier_world.desk_officer_a)
    body = _problem(client.get(f"/api/v1/dossiers?cursor={cursor}"), 422)
    assert body["code"] == "invalid_cursor"


@pytest.mark.parametrize(
    "query",
    ["start=0001-01-01", "end=9999-12-31", "start=2000-01-01&end=2100-12-31", "start=31/12/2024"],
)
def test_feedback_stats_extreme_dates_are_a_400_with_a_message(feedback_world, query):
    response = _client(feedback_world.operator).get(f"/feedback/desk/stats/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert any(
        text in html
        for text in ("từ năm 2000 đến năm 2100", "Khoảng thời gian dài nhất", "Ngày không hợp lệ")
    ), html[:2000]


def test_feedback_stats_default_period_still_answers(feedback_world):
    assert _client(feedback_world.operator).get("/feedback/desk/stats/").status_code == 200


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("0001-01-01", None, "từ năm 2000 đến năm 2100"),
        (None, "9999-12-31", "từ năm 2000 đến năm 2100"),
        ("2000-01-01", "2199-12-31", "từ năm 2000 đến năm 2100"),
        ("2000-01-01", "2100-12-31", "Khoảng thời gian dài nhất là 5 năm"),  # Form 07 of 100 years
    ],
)
def test_desk_log_extreme_dates_are_a_400_with_a_message(dossier_world, start, end, message):
    today = timezone.localdate().isoformat()
    response = _client(dossier_world.desk_officer_a).post(
        "/desk/log/", {"agency": dossier_world.a.pk, "start": start or today, "end": end or today}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not IssuedForm.objects.filter(form="07").exists()


def test_form_07_service_refuses_two_centuries(dossier_world):
    from motcua.dossiers import services as S
    from motcua.dossiers.errors import InvalidInput

    with pytest.raises(InvalidInput, match="5 năm"):
        S.issue_dossier_log(
            dossier_world.a,
            by=dossier_world.desk_officer_a,
            start=dt.date(2000, 1, 1),
            end=dt.date(2099, 12, 31),
        )


@pytest.mark.parametrize(
    "new_due_at", ["9999-12-31T23:59:59-14:00", "2101-01-01T00:00:00+07:00", "2030-01-01T08:00:00"]
)
def test_api_apology_with_an_extreme_or_naive_new_date_is_a_422(dossier_world, new_due_at):
    from tests.desk.conftest import new_dossier

    d = new_dossier(dossier_world, state="in_process")
    client = _client(dossier_world.desk_officer_a)
    response = client.post(
        f"/api/v1/dossiers/{d.code}/apologise",
        {"expected_version": d.version, "reason": "Cần xác minh", "new_due_at": new_due_at},
        content_type="application/json",
    )
    body = _problem(response, 422)
    assert {e["field"] for e in body["errors"]} == {"new_due_at"}
    d.refresh_from_db()
    assert d.extended_due_at is None


def test_desk_apology_with_year_9999_is_refused_with_a_message(dossier_world):
    from tests.desk.conftest import new_dossier

    d = new_dossier(dossier_world, state="received")
    response = _client(dossier_world.leader_a).post(
        f"/desk/dossiers/{d.code}/actions/apologise/",
        {"expected_version": d.version, "reason": "Cần xác minh", "new_due_at": "9999-12-31T23:59"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_apologise_new_due_at_error"' in html
    assert "từ năm 2000 đến năm 2100" in html
    d.refresh_from_db()
    assert d.extended_due_at is None


@pytest.mark.parametrize(
    "url",
    [
        "/ho-so/%00/",
        "/?q=khai%00sinh",
        "/feedback/answers/?q=%00",
        "/thu-tuc/%00/",
        "/open311/v2/requests.json?service_request_id=%00",
    ],
)
def test_nul_characters_are_a_400_on_every_database(dossier_world, url):
    # PostgreSQL text cannot hold NUL: these answered 500 there (DataError), 404/200 on SQLite
    response = _client(dossier_world.citizen1).get(url)
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_nul_in_a_form_encoded_post_is_a_400(dossier_world):
    response = _client().post(
        "/dang-nhap/",
        "username=a%00b&password=x",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
