"""National sign-in (VNeID through the national portal's identity provider), end to end over
real HTTP against the local OIDC provider (tests/accounts/oidc_provider.py): redirect, code
exchange, RS256 ID token checked against the JWKS, claims mapping, account linking by
verified identity number only, the VNeID flag on dossiers, logout at the provider."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

from motcua.accounts.models import User
from motcua.accounts.oidc import SESSION_VNEID
from motcua.dossiers.models import Dossier
from tests.accounts.oidc_provider import CLIENT_ID, VNEID_CLAIMS, OIDCProvider
from tests.portal.conftest import open_online, pdf_upload
from tests.portal.test_submission import GOOD


@pytest.fixture(scope="module")
def op_server():
    server = OIDCProvider().start()
    yield server
    server.stop()


@pytest.fixture
def op(op_server, settings):
    op_server.reset()
    op_server.user = dict(VNEID_CLAIMS)
    for name, value in op_server.settings().items():
        setattr(settings, name, value)
    settings.OIDC_PROFILE = "vneid"
    settings.AUTHENTICATION_BACKENDS = [
        "motcua.accounts.backends.AccountBackend",
        "motcua.accounts.oidc.CitizenOIDCBackend",
    ]
    return op_server


def sign_in(client, op) -> object:
    """Start at the portal, follow the provider's redirect, come back with the code."""
    start = client.get("/dang-nhap/sso/?next=/ho-so/")
    assert start.status_code == 302
    authorize = urlparse(start["Location"])
    assert start["Location"].startswith(op.url + "/authorize")
    query = parse_qs(authorize.query)
    assert query["scope"] == ["openid"] and query["acr_values"] == ["LoA1"]
    assert query["client_id"] == [CLIENT_ID]
    answer = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    back = urlparse(answer.headers["Location"])
    assert back.path == "/dang-nhap/sso/callback/"
    return client.get(f"{back.path}?{back.query}")


def test_first_sign_in_creates_a_verified_citizen(client, db, op):
    response = sign_in(client, op)
    assert response.status_code == 302 and response["Location"] == "/ho-so/"
    user = User.objects.get(username="oidc:vneid-sub-0001")
    assert user.full_name == "Trần Thị Bích Ngọc"
    assert user.identity_number == "092190001234" and user.identity_verified_at
    assert str(user.birth_date) == "1990-02-15"
    assert not user.has_usable_password()
    assert client.session[SESSION_VNEID] is True
    assert int(client.session["_auth_user_id"]) == user.pk


def test_links_to_the_account_with_the_same_verified_number(client, db, op):
    verified = User.objects.create_user(
        "citizen-old", identity_number="092190001234", identity_verified_at="2025-01-01T00:00Z"
    )
    sign_in(client, op)  # another subject (e.g. a new provider account), same person
    assert int(client.session["_auth_user_id"]) == verified.pk
    assert User.objects.filter(identity_number="092190001234").count() == 1


def test_never_links_by_email_alone(client, db, op):
    squatter = User.objects.create_user("squatter", email="ngoc@example.vn", password="x-Secret-1")
    op.user = {**VNEID_CLAIMS, "email": "ngoc@example.vn"}
    sign_in(client, op)
    assert int(client.session["_auth_user_id"]) != squatter.pk


def test_unverified_or_inactive_holder_of_the_number_is_not_linked(client, db, op):
    User.objects.create_user(
        "blocked",
        identity_number="092190001234",
        identity_verified_at="2025-01-01T00:00Z",
        is_active=False,
    )
    response = sign_in(client, op)
    assert response["Location"] == "/dang-nhap/?sso=failed"
    assert "_auth_user_id" not in client.session


def test_other_identity_providers_do_not_set_the_vneid_flag(client, db, op):
    op.user = {**VNEID_CLAIMS, "loginIdp": "DVCQG"}
    sign_in(client, op)
    assert "_auth_user_id" in client.session
    assert not client.session.get(SESSION_VNEID)


@pytest.mark.parametrize(
    "tamper",
    ["forged_signature", "other_audience", "userinfo_other_sub", "bad_identity_number"],
)
def test_tampered_answers_sign_nobody_in(client, db, op, tamper):
    if tamper == "forged_signature":
        op.sign_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    elif tamper == "other_audience":
        op.id_token_audience = "another-relying-party"
    elif tamper == "userinfo_other_sub":
        op.userinfo_sub = "someone-else"
    else:
        op.user = {**VNEID_CLAIMS, "SoDinhDanh": "12345"}
    response = sign_in(client, op)
    assert response["Location"] == "/dang-nhap/?sso=failed"
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(username__startswith="oidc:").exists()


def test_logout_ends_the_provider_session(client, db, op):
    sign_in(client, op)
    response = client.post("/dang-xuat/")
    assert response.status_code == 302 and response["Location"].startswith(op.url + "/logout")
    query = parse_qs(urlparse(response["Location"]).query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/"]
    assert query["id_token_hint"][0].count(".") == 2
    assert "_auth_user_id" not in client.session
    requests.get(response["Location"], allow_redirects=False, timeout=5)
    assert op.logouts and op.logouts[0]["client_id"] == CLIENT_ID


def test_dossier_submitted_in_a_vneid_session_is_flagged(client, db, op):
    from tests.dossiers.conftest import make_world

    world = open_online(make_world())
    sign_in(client, op)
    client.post("/thu-tuc/1.004884/nop/")
    from motcua.portal.models import Draft

    draft = Draft.objects.get()
    doc = world.procedure.required_documents.get(order=1)
    client.post(f"/nop-ho-so/{draft.key}/", {**GOOD, "save": "1", "agency": world.a.pk})
    client.post(f"/nop-ho-so/{draft.key}/tep/", {"document": doc.pk, "file": pdf_upload()})
    response = client.post(f"/nop-ho-so/{draft.key}/nop/")
    assert response.status_code == 302, response
    dossier = Dossier.objects.get()
    assert dossier.applicant_vneid is True
    # a password session of the same kind of citizen: not flagged
    client.logout()
    client.force_login(world.citizen1)
    client.post("/thu-tuc/1.004884/nop/")
    draft = Draft.objects.get()
    client.post(f"/nop-ho-so/{draft.key}/", {**GOOD, "save": "1", "agency": world.a.pk})
    client.post(f"/nop-ho-so/{draft.key}/tep/", {"document": doc.pk, "file": pdf_upload()})
    client.post(f"/nop-ho-so/{draft.key}/nop/")
    assert Dossier.objects.exclude(pk=dossier.pk).get().applicant_vneid is False
