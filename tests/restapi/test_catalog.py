"""The public catalog over real HTTP: search without diacritics, details, 404, rate limit."""

from __future__ import annotations

from motcua.catalog.models import Procedure, RequiredDocument

from .conftest import assert_problem


def test_search_is_accent_and_case_insensitive(world, anon):
    Procedure.objects.create(
        code="1.000001",
        name_vi="Cấp giấy phép xây dựng",
        field=world.procedure.field,
        at_province=True,
        processing_amount=15,
    )
    for text in ("dang ky lai khai sinh", "ĐĂNG KÝ LẠI", "khai  sinh", "1.004884"):
        resp = anon.get("/catalog/procedures", params={"q": text})
        assert resp.status == 200, resp.raw
        codes = [p["code"] for p in resp.json["items"]]
        assert codes == ["1.004884"], (text, codes)
    resp = anon.get("/catalog/procedures", params={"q": "giay phep xay dung"})
    assert [p["name"] for p in resp.json["items"]] == ["Cấp giấy phép xây dựng"]
    assert resp.json["count"] == 1
    everything = anon.get("/catalog/procedures", params={"limit": 1}).json
    assert everything["count"] == 2 and len(everything["items"]) == 1


def test_procedure_detail_has_documents_fees_and_workflow(world, anon):
    RequiredDocument.objects.create(procedure=world.procedure, order=1, name="Tờ khai")
    resp = anon.get(f"/catalog/procedures/{world.procedure.code}")
    assert resp.status == 200
    body = resp.json
    assert body["name"] == "Thủ tục đăng ký lại khai sinh"
    assert body["documents"][0]["name"] == "Tờ khai"
    assert body["fees"] == [
        {"name": "Lệ phí", "amount_vnd": 8000, "unconfirmed": False, "note": ""}
    ]
    roles = [s["role"] for s in body["workflow"]["steps"]]
    assert roles == ["reception", "specialist", "leader", "return"]
    assert body["legal_time"]


def test_agencies_search_and_detail(world, anon):
    resp = anon.get("/catalog/agencies", params={"q": "cai khe"})
    assert [a["code"] for a in resp.json["items"]] == [world.a.code]
    detail = anon.get(f"/catalog/agencies/{world.a.code}").json
    assert detail["parent"] == world.district.code
    assert_problem(anon.get("/catalog/agencies/NOPE"), 404, "not_found")
    assert_problem(anon.get("/catalog/procedures/9.999999"), 404, "not_found")


def test_validation_error_names_the_query_field(world, anon):
    body = assert_problem(
        anon.get("/catalog/procedures", params={"limit": 500}), 422, "validation_error"
    )
    assert [e["field"] for e in body["errors"]] == ["limit"]


def test_public_endpoints_are_rate_limited_per_ip(world, anon, settings):
    settings.MOTCUA_API_PUBLIC_RATE = "3/60"
    for _ in range(3):
        assert anon.get("/catalog/procedures").status == 200
    resp = anon.get("/catalog/agencies")
    assert_problem(resp, 429, "rate_limited")
    assert 1 <= int(resp.headers["retry-after"]) <= 60


def test_nul_characters_never_cause_a_server_error(world, anon, session_client):
    resp = anon.get("/catalog/procedures", params={"q": "khai\x00sinh"})
    assert resp.status in (200, 400), resp.raw  # PostgreSQL text cannot hold NUL: 400
    if resp.status == 400:
        assert_problem(resp, 400, "bad_request")
    citizen = session_client(world.citizen1)
    body = {
        "procedure": world.procedure.code,
        "receiving_agency": world.a.code,
        "applicant": {"name": "Nguyễn\x00", "id_number": "092190001234"},
    }
    assert citizen.post("/dossiers", body).status in (201, 400)
