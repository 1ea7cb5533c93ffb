"""Dossiers over real HTTP: idempotent submission, validation, scoping, timeline,
attachments and cursor pagination."""

from __future__ import annotations

import base64

from motcua.dossiers.models import Dossier

from .conftest import assert_problem, submission

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_submit_is_idempotent_by_key(world, session_client):
    citizen = session_client(world.citizen1)
    key = {"Idempotency-Key": "portal-7f3a"}
    first = citizen.post("/dossiers", submission(world), headers=key)
    assert first.status == 201, first.raw
    again = citizen.post("/dossiers", submission(world), headers=key)
    assert again.status == 201 and again.headers["idempotent-replayed"] == "true"
    assert again.json["code"] == first.json["code"]
    assert Dossier.objects.count() == 1
    body = first.json
    assert body["state"] == "registered" and body["version"] == 1
    assert body["receiving_agency"] == world.a.code
    assert "receive" in body["next_actions"]
    # someone else reusing the key is a conflict, not their dossier
    other = session_client(world.citizen2).post("/dossiers", submission(world), headers=key)
    assert_problem(other, 409, "conflict")


def test_validation_errors_name_the_fields(world, session_client):
    citizen = session_client(world.citizen1)
    bad = submission(world, applicant={"id_number": "123"})
    body = assert_problem(citizen.post("/dossiers", bad), 422, "validation_error")
    assert [e["field"] for e in body["errors"]] == ["applicant.name"]
    # the service's own checks come back with their Vietnamese messages
    bad = submission(world, applicant={"name": "A", "id_number": "123"}, procedure="0.000000")
    body = assert_problem(citizen.post("/dossiers", bad), 422, "invalid")
    assert {e["field"] for e in body["errors"]} == {"procedure"}
    bad = submission(world, applicant={"name": "A", "id_number": "123"})
    body = assert_problem(citizen.post("/dossiers", bad), 422, "invalid")
    assert [e["field"] for e in body["errors"]] == ["applicant.id_number"]
    assert "12 chữ số" in body["errors"][0]["message"]
    resp = citizen.request(
        "POST", "/dossiers", raw=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert resp.status in (400, 422) and resp.content_type == "application/problem+json"


def test_citizens_see_only_their_own(world, session_client):
    code = session_client(world.citizen1).post("/dossiers", submission(world)).json["code"]
    other = session_client(world.citizen2)
    assert_problem(other.get(f"/dossiers/{code}"), 404, "not_found")
    assert other.get("/dossiers").json == {"items": [], "next_cursor": None}
    mine = session_client(world.citizen1).get(f"/dossiers/{code}/timeline").json
    assert [e["action"] for e in mine] == ["submit"]
    assert mine[0]["actor"] is None  # citizens do not see who acted inside the agency


def test_attachments_upload_and_list(world, session_client, token_client):
    citizen = session_client(world.citizen1)
    code = citizen.post("/dossiers", submission(world)).json["code"]
    boundary = "----motcua"
    form = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.png"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + PNG
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    resp = citizen.request("POST", f"/dossiers/{code}/attachments", raw=form, headers=headers)
    assert resp.status == 201, resp.raw
    assert resp.json["content_type"] == "image/png" and resp.json["name"] == "scan.png"
    officer, _ = token_client(world.a)
    listed = officer.get(f"/dossiers/{code}/attachments").json
    assert [a["sha256"] for a in listed] == [resp.json["sha256"]]
    fake = form.replace(PNG, b"MZ not an image at all")
    resp = citizen.request("POST", f"/dossiers/{code}/attachments", raw=fake, headers=headers)
    body = assert_problem(resp, 422, "invalid")
    assert body["errors"][0]["field"] == "file"


def test_cursor_pagination_is_stable_across_pages(world, session_client, token_client):
    citizen = session_client(world.citizen1)
    codes = {citizen.post("/dossiers", submission(world)).json["code"] for _ in range(7)}
    officer, _ = token_client(world.a)
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = officer.get("/dossiers", params=params).json
        seen += [d["code"] for d in page["items"]]
        pages += 1
        # a dossier submitted meanwhile sorts after the cursor: nothing repeats or is skipped
        if pages == 1:
            codes.add(citizen.post("/dossiers", submission(world)).json["code"])
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 8 and set(seen) == codes
    assert pages == 3
    filtered = officer.get("/dossiers", params={"state": "registered", "applicant": "nhung"}).json
    assert len(filtered["items"]) == 8
    assert officer.get("/dossiers", params={"state": "returned"}).json["items"] == []
    bad = base64.urlsafe_b64encode(b"garbage").decode()
    body = assert_problem(officer.get("/dossiers", params={"cursor": bad}), 422, "invalid_cursor")
    assert body["errors"][0]["field"] == "cursor"
    body = assert_problem(officer.get("/dossiers", params={"limit": 101}), 422, "validation_error")
    assert body["errors"][0]["field"] == "limit"
