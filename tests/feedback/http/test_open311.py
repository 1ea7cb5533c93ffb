"""Open311 GeoReport v2 conformance over real HTTP, following the spec's documented examples
(wiki.open311.org/GeoReport_v2): resources, parameters, response fields, errors, formats."""

from __future__ import annotations

import urllib.parse
from xml.etree import ElementTree as ET

import pytest

from motcua.feedback import services as S
from motcua.feedback.models import ApiClient, FeedbackItem
from tests.feedback.conftest import http, new_item, to_published
from tests.helpers import at

REQUEST_FIELDS = {
    "service_request_id", "status", "status_notes", "service_name", "service_code",
    "description", "agency_responsible", "service_notice", "requested_datetime",
    "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
    "long", "media_url",
}  # fmt: skip


@pytest.fixture
def base(live_server):
    return f"{live_server.url}/open311/v2"


@pytest.fixture
def client(world):
    return ApiClient.objects.create(
        name="Ứng dụng Cần Thơ", key="k-1022-test", channel="mobile_app"
    )


def post_form(url: str, fields: dict):
    return http(
        "POST",
        url,
        data=urllib.parse.urlencode(fields).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def test_services_json_and_xml(world, base):
    reply = http("GET", f"{base}/services.json")
    assert reply.status == 200 and reply.headers["Content-Type"].startswith("application/json")
    services = {s["service_code"]: s for s in reply.json()}
    assert len(services) == 7
    assert services["traffic"]["service_name"] == "Giao thông"
    assert set(services["traffic"]) == {
        "service_code", "service_name", "description", "metadata", "type", "keywords", "group"
    }  # fmt: skip
    assert services["traffic"]["metadata"] is False and services["traffic"]["type"] == "realtime"
    xml = http("GET", f"{base}/services.xml")
    assert xml.headers["Content-Type"].startswith("text/xml")
    assert xml.body.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = ET.fromstring(xml.body)
    assert root.tag == "services" and len(root.findall("service")) == 7
    assert root.find("service/metadata").text == "false"


def test_service_definition(world, base):
    reply = http("GET", f"{base}/services/traffic.json")
    assert reply.json() == {"service_code": "traffic", "attributes": []}
    root = ET.fromstring(http("GET", f"{base}/services/traffic.xml").body)
    assert root.tag == "service_definition" and root.find("service_code").text == "traffic"
    missing = http("GET", f"{base}/services/none.json")
    assert missing.status == 404
    assert missing.json() == [{"code": 404, "description": "service_code not found: none"}]


def test_post_request_needs_api_key_and_location(world, client, base):
    fields = {
        "service_code": "environment",
        "lat": "10.0452",
        "long": "105.7469",
        "address_string": "12 Hòa Bình, Ninh Kiều",
        "email": "an.nguyen@example.vn",
        "first_name": "An",
        "last_name": "Nguyễn",
        "phone": "0901234567",
        "description": "Rác tồn đọng nhiều ngày trước nhà, bốc mùi hôi.",
        "media_url": "https://example.vn/anh.jpg",
    }
    assert post_form(f"{base}/requests.json", fields).status == 403
    bad = post_form(f"{base}/requests.xml", {**fields, "api_key": "wrong"})
    assert bad.status == 403
    err = ET.fromstring(bad.body)
    assert err.tag == "errors" and err.find("error/code").text == "403"
    no_location = {k: v for k, v in fields.items() if k not in ("lat", "long", "address_string")}
    assert post_form(f"{base}/requests.json", {**no_location, "api_key": client.key}).status == 400
    outside = post_form(f"{base}/requests.json", {**fields, "lat": "21.0", "api_key": client.key})
    assert outside.status == 400 and "location" in outside.json()[0]["description"]
    reply = post_form(f"{base}/requests.json", {**fields, "api_key": client.key})
    assert reply.status == 201, reply.body
    (row,) = reply.json()
    assert set(row) == {"service_request_id", "service_notice", "account_id"}
    item = FeedbackItem.objects.get(code=row["service_request_id"])
    assert item.channel == "mobile_app" and item.reporter_email == "an.nguyen@example.vn"
    xml = post_form(f"{base}/requests.xml", {**fields, "api_key": client.key})
    root = ET.fromstring(xml.body)
    assert root.tag == "service_requests" and root.find("request/service_request_id").text


def test_get_requests_filters(world, base, settings):
    a = S.submit(new_item(category="traffic"), now=at(2021, 3, 1))
    b = S.submit(new_item(category="environment"), now=at(2021, 3, 10))
    c = S.submit(new_item(category="environment", is_public=False), now=at(2021, 3, 20))
    to_published(world, b.code, start=at(2021, 3, 10, 10))

    def get(**params):
        return http("GET", f"{base}/requests.json?{urllib.parse.urlencode(params)}")

    window = {"start_date": "2021-03-01T00:00:00+07:00", "end_date": "2021-03-31T00:00:00Z"}
    rows = get(**window).json()
    assert [r["service_request_id"] for r in rows] == [c.code, b.code, a.code]
    assert set(rows[0]) == REQUEST_FIELDS
    assert rows[0]["description"] == "" and rows[0]["lat"] is None  # private item
    assert rows[1]["status"] == "closed" and rows[1]["status_notes"].startswith("Đã chỉ đạo")
    assert rows[1]["requested_datetime"] == "2021-03-10T09:00:00+07:00"
    assert [r["service_request_id"] for r in get(**window, status="open").json()] == [
        c.code,
        a.code,
    ]
    assert [r["service_request_id"] for r in get(**window, status="closed").json()] == [b.code]
    assert [r["service_request_id"] for r in get(**window, service_code="traffic").json()] == [
        a.code
    ]
    both = get(**window, service_code="traffic,environment", status="open,closed").json()
    assert len(both) == 3
    narrow = get(start_date="2021-03-05T00:00:00Z", end_date="2021-03-15T00:00:00Z").json()
    assert [r["service_request_id"] for r in narrow] == [b.code]
    # ids are comma-delimited; other parameters are then ignored
    ids = get(service_request_id=f"{a.code},{c.code}", status="closed").json()
    assert {r["service_request_id"] for r in ids} == {a.code, c.code}
    # no dates: the last 90 days only (these are from 2021)
    assert get().json() == []
    assert get(status="pending").status == 400
    assert get(start_date="yesterday").status == 400
    assert get(jurisdiction_id="hanoi.gov.vn").status == 404
    assert get(jurisdiction_id="cantho.gov.vn", **window).status == 200
    xml = http("GET", f"{base}/requests.xml?{urllib.parse.urlencode(window)}")
    root = ET.fromstring(xml.body)
    assert root.tag == "service_requests" and len(root.findall("request")) == 3
    assert {el.tag for el in root.find("request")} == REQUEST_FIELDS


def test_get_one_request_and_token(world, base):
    item = S.submit(new_item())
    reply = http("GET", f"{base}/requests/{item.code}.json")
    (row,) = reply.json()
    assert row["service_request_id"] == item.code and row["status"] == "open"
    assert "0901234567" not in reply.body.decode() and "Nguyễn Văn An" not in reply.body.decode()
    root = ET.fromstring(http("GET", f"{base}/requests/{item.code}.xml").body)
    assert root.find("request/service_request_id").text == item.code
    assert http("GET", f"{base}/requests/PA-000000-0000.json").status == 404
    token = http("GET", f"{base}/tokens/{item.token}.json").json()
    assert token == [{"service_request_id": item.code, "token": str(item.token)}]
    root = ET.fromstring(http("GET", f"{base}/tokens/{item.token}.xml").body)
    assert root.find("request/token").text == str(item.token)
    assert http("GET", f"{base}/tokens/not-a-token.json").status == 404


def test_method_not_allowed(world, base):
    reply = http("POST", f"{base}/services.json", data=b"")
    assert reply.status == 405 and reply.json()[0]["code"] == 405
