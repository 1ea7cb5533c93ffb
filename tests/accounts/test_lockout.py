"""One login lockout per account and per IP address, on every login surface (issue 9 §2).

Before: only the portal counted failures, per identifier (an account's e-mail and phone had 5
tries each), the desk and the admin counted nothing, and the desk let citizens in."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.accounts.models import Membership, Role, User
from motcua.agencies.models import Agency

PASSWORD = "Lua-gao-Can-Tho-2025"


@pytest.fixture
def people(db, settings):
    settings.MOTCUA_LOGIN_MAX_FAILURES = 3
    settings.MOTCUA_LOGIN_IP_MAX_FAILURES = 100
    agency = Agency.objects.create(code="H13.T", name_vi="Phường thử", level="commune")
    citizen = User.objects.create_user(
        "binh@example.vn", email="binh@example.vn", phone="0912345678", password=PASSWORD
    )
    officer = User.objects.create_user("motcua.thu", password=PASSWORD, is_staff=True)
    Membership.objects.create(user=officer, agency=agency, role=Role.DESK_OFFICER)
    admin = User.objects.create_superuser("quantri.thu", password=PASSWORD)
    return {"citizen": citizen, "officer": officer, "admin": admin}


def portal(client: Client, identifier: str, password: str):
    return client.post("/dang-nhap/", {"identifier": identifier, "password": password})


def desk(client: Client, username: str, password: str):
    return client.post("/desk/login/", {"username": username, "password": password})


def admin(client: Client, username: str, password: str):
    return client.post("/admin/login/", {"username": username, "password": password})


def test_email_and_phone_of_one_account_share_one_budget(client, people):
    assert portal(client, "binh@example.vn", "wrong").status_code == 401
    assert portal(client, "0912345678", "wrong").status_code == 401
    assert portal(client, "+84 912 345 678", "wrong").status_code == 401
    for identifier in ("binh@example.vn", "0912345678"):
        response = portal(client, identifier, PASSWORD)  # the right password, refused
        assert response.status_code == 429
        assert "tạm khóa" in response.content.decode()
        assert 1 <= int(response["Retry-After"]) <= 15 * 60
    assert "_auth_user_id" not in client.session


def test_desk_login_counts_failures_and_locks(client, people):
    for _ in range(3):
        assert desk(client, "motcua.thu", "wrong").status_code == 200
    response = desk(client, "motcua.thu", PASSWORD)
    assert response.status_code == 429 and "Retry-After" in response
    assert "tạm khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_admin_login_counts_failures_and_locks(client, people):
    assert admin(Client(), "quantri.thu", PASSWORD).status_code == 302  # the path works
    for _ in range(3):
        admin(client, "quantri.thu", "wrong")
    response = admin(client, "quantri.thu", PASSWORD)
    assert response.status_code == 429 and 1 <= int(response["Retry-After"]) <= 15 * 60
    assert "tạm khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_on_one_surface_lock_the_account_on_all(client, people):
    """An officer's account guessed on the portal is locked on the desk and the admin too."""
    portal(client, "motcua.thu", "wrong")
    desk(client, "motcua.thu", "wrong")
    admin(client, "motcua.thu", "wrong")
    assert portal(client, "motcua.thu", PASSWORD).status_code == 429
    assert desk(client, "motcua.thu", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_success_clears_the_account_count(client, people):
    for _ in range(2):
        portal(client, "binh@example.vn", "wrong")
    assert portal(client, "0912345678", PASSWORD).status_code == 302
    client.post("/dang-xuat/")
    for _ in range(2):
        portal(client, "binh@example.vn", "wrong")
    assert portal(client, "binh@example.vn", PASSWORD).status_code == 302


def test_unknown_identifiers_lock_like_accounts(client, people):
    """A lock must not tell which identifiers have accounts."""
    for _ in range(3):
        assert portal(client, "nobody@example.vn", "wrong").status_code == 401
    assert portal(client, "nobody@example.vn", "wrong").status_code == 429


def test_one_address_gets_a_bounded_number_of_failures_over_all_accounts(people, settings):
    settings.MOTCUA_LOGIN_IP_MAX_FAILURES = 4
    spray = Client(REMOTE_ADDR="198.51.100.7")
    for name in ("a@example.vn", "b@example.vn", "c@example.vn", "d@example.vn"):
        assert portal(spray, name, "wrong").status_code == 401
    # the fifth attempt from that address is refused, even a right password for a fresh account
    assert portal(spray, "binh@example.vn", PASSWORD).status_code == 429
    assert desk(spray, "motcua.thu", PASSWORD).status_code == 429
    # another address is not affected
    assert (
        portal(Client(REMOTE_ADDR="198.51.100.8"), "binh@example.vn", PASSWORD).status_code == 302
    )


def test_desk_refuses_citizens_even_with_the_right_password(client, people):
    response = desk(client, "binh@example.vn", PASSWORD)
    assert response.status_code == 200
    assert "không có quyền làm việc tại bộ phận một cửa" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/ho-so/").status_code == 302  # no portal session either
    # officers and superusers get in
    assert desk(client, "motcua.thu", PASSWORD).status_code == 302
    assert desk(Client(), "quantri.thu", PASSWORD).status_code == 302


OIDC = {
    "OIDC_RP_CLIENT_ID": "motcua-test",
    "OIDC_RP_CLIENT_SECRET": "s3cret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://id.example.vn/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://id.example.vn/token",
    "OIDC_OP_USER_ENDPOINT": "https://id.example.vn/userinfo",
}


def test_failed_sso_callbacks_count_against_the_address(people, settings):
    for key, value in OIDC.items():
        setattr(settings, key, value)
    settings.MOTCUA_LOGIN_IP_MAX_FAILURES = 3
    caller = Client(REMOTE_ADDR="198.51.100.9")
    for _ in range(3):  # forged or failed answers from the provider
        response = caller.get("/dang-nhap/sso/callback/", {"code": "x", "state": "forged"})
        assert response.status_code == 302 and "sso=failed" in response["Location"]
    response = caller.get("/dang-nhap/sso/callback/", {"code": "x", "state": "forged"})
    assert response.status_code == 429 and "Retry-After" in response
    # and the password form from that address is refused as well
    assert portal(caller, "binh@example.vn", PASSWORD).status_code == 429
