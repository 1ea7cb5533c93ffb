"""Authentication over real HTTP: API tokens (scope, revocation, last use), sessions, 401s."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from motcua.restapi.models import ApiToken

from .conftest import Http, assert_problem, submission


def test_token_of_agency_a_cannot_see_agency_b_dossiers(world, token_client, session_client):
    citizen = session_client(world.citizen1)
    in_b = citizen.post("/dossiers", submission(world, receiving_agency=world.b.code)).json["code"]
    in_a = citizen.post("/dossiers", submission(world)).json["code"]
    client_a, _ = token_client(world.a)
    assert client_a.get(f"/dossiers/{in_a}").status == 200
    assert_problem(client_a.get(f"/dossiers/{in_b}"), 404, "not_found")
    assert_problem(client_a.get(f"/dossiers/{in_b}/timeline"), 404, "not_found")
    # a task on a dossier out of scope is 404 too, never 403
    resp = client_a.post(f"/dossiers/{in_b}/receive", {"expected_version": 1})
    assert_problem(resp, 404, "not_found")
    assert [d["code"] for d in client_a.get("/dossiers").json["items"]] == [in_a]


def test_revoked_token_is_refused(world, token_client):
    client, token = token_client(world.a)
    assert client.get("/dossiers").status == 200
    out = StringIO()
    call_command("apitoken", "revoke", token.prefix, stdout=out)
    resp = client.get("/dossiers")
    assert_problem(resp, 401, "token_revoked")
    assert resp.headers["www-authenticate"] == "Bearer"


def test_unknown_or_missing_credentials_are_401(world, anon, live_server):
    assert_problem(anon.get("/dossiers"), 401, "not_authenticated")
    forged = Http(live_server.url, token="mct_deadbeef_not-the-secret")
    assert_problem(forged.get("/dossiers"), 401, "invalid_token")
    # without OIDC settings, other bearer values are not accepted either
    assert_problem(Http(live_server.url, token="eyJhbGciOi").get("/dossiers"), 401, "invalid_token")


def test_last_used_at_is_recorded_and_listed(world, token_client):
    client, token = token_client(world.a)
    assert token.last_used_at is None
    who = client.get("/auth/whoami").json
    assert who["kind"] == "token" and who["agency"] == world.a.code and who["officer"]
    token.refresh_from_db()
    assert token.last_used_at is not None
    out = StringIO()
    call_command("apitoken", "list", stdout=out)
    line = next(row for row in out.getvalue().splitlines() if row.startswith(token.prefix))
    assert line.split("\t")[5] != "-"  # last_used column


def test_token_scopes_limit_the_endpoints(world, token_client, session_client):
    code = session_client(world.citizen1).post("/dossiers", submission(world)).json["code"]
    reader, _ = token_client(world.a, permissions=("dossiers:read",))
    assert reader.get(f"/dossiers/{code}").status == 200
    body = assert_problem(
        reader.post(f"/dossiers/{code}/receive", {"expected_version": 1}), 403, "insufficient_scope"
    )
    assert body["errors"] == [{"field": "scope", "message": "tasks:receive"}]
    receiver, _ = token_client(world.a, permissions=("dossiers:read", "tasks:receive"))
    assert receiver.post(f"/dossiers/{code}/receive", {"expected_version": 1}).status == 200


def test_command_creates_a_hashed_token_shown_once(world, live_server):
    out, err = StringIO(), StringIO()
    call_command(
        "apitoken",
        "create",
        "--name",
        "Cổng DVCQG",
        "--agency",
        world.a.code,
        "--permission",
        "dossiers:read",
        stdout=out,
        stderr=err,
    )
    secret = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert secret.startswith(f"mct_{token.prefix}_")
    assert secret not in token.token_hash and len(token.token_hash) == 64
    assert token.user.memberships.get().agency == world.a
    assert Http(live_server.url, token=secret).get("/auth/whoami").json["permissions"] == [
        "dossiers:read"
    ]


def test_command_rejects_unknown_scopes(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="permissions"):
        call_command(
            "apitoken", "create", "--name", "x", "--agency", world.a.code, "--permission", "all"
        )


def test_session_needs_csrf_for_writes(world, session_client):
    citizen = session_client(world.citizen1)
    assert citizen.get("/auth/whoami").json["kind"] == "session"
    no_csrf = Http(citizen.base, cookies={"sessionid": citizen.cookies["sessionid"]})
    assert_problem(no_csrf.post("/dossiers", submission(world)), 403, "forbidden")
