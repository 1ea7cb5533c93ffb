"""``applicant.vneid`` is an attestation (the applicant signed in with VNeID): only a VNeID
browser session or a token granted ``attest:vneid`` by name may make it (real HTTP)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from motcua.accounts.oidc import SESSION_VNEID
from motcua.dossiers.models import Dossier
from tests.restapi.conftest import assert_problem, submission

pytestmark = pytest.mark.django_db(transaction=True)


def _vneid_body(world, **applicant):
    body = submission(world)
    body["applicant"] = {**body["applicant"], "vneid": True, **applicant}
    return body


@pytest.mark.parametrize("permissions", [("*",), ("dossiers:*",), ("dossiers:write",)])
def test_a_token_without_the_named_permission_cannot_attest(world, token_client, permissions):
    client, _ = token_client(world.a, permissions=permissions)
    body = assert_problem(client.post("/dossiers", _vneid_body(world)), 403, "insufficient_scope")
    assert body["errors"] == [{"field": "scope", "message": "attest:vneid"}]
    assert not Dossier.objects.exists()
    # the same token submits fine without the claim
    assert client.post("/dossiers", submission(world)).status == 201
    assert Dossier.objects.get().applicant_vneid is False


def test_a_token_granted_attest_vneid_by_name_marks_the_dossier(world, token_client):
    client, _ = token_client(world.a, permissions=("dossiers:write", "attest:vneid"))
    resp = client.post("/dossiers", _vneid_body(world))
    assert resp.status == 201, resp.raw
    assert Dossier.objects.get().applicant_vneid is True


def test_a_session_without_vneid_sign_in_cannot_attest(world, session_client):
    citizen = session_client(world.citizen1)
    body = assert_problem(citizen.post("/dossiers", _vneid_body(world)), 403, "vneid_not_attested")
    assert "VNeID" in body["detail"]
    assert not Dossier.objects.exists()


def test_a_vneid_session_marks_the_dossier(world, session_client):
    citizen = session_client(world.citizen1)
    key = citizen.cookies[settings.SESSION_COOKIE_NAME]
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")(session_key=key)
    store[SESSION_VNEID] = True  # what the VNeID sign-in callback sets (portal/views/account.py)
    store.save()
    resp = citizen.post("/dossiers", _vneid_body(world))
    assert resp.status == 201, resp.raw
    assert Dossier.objects.get().applicant_vneid is True
