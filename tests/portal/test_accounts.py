"""Registration, sign-in by e-mail or phone, lockout, password reset, profile, SSO."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from motcua.accounts.models import User
from motcua.accounts.oidc import CitizenOIDCBackend, profile_from_claims

PASSWORD = "Lua-gao-Can-Tho-2025"

OIDC = {
    "OIDC_RP_CLIENT_ID": "motcua-test",
    "OIDC_RP_CLIENT_SECRET": "s3cret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://id.example.vn/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://id.example.vn/token",
    "OIDC_OP_USER_ENDPOINT": "https://id.example.vn/userinfo",
}


def register(client, **kw):
    data = {
        "full_name": "Trần Văn Bình",
        "email": "binh@example.vn",
        "phone": "0912345678",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **kw,
    }
    return client.post("/dang-ky/", data)


@pytest.mark.django_db
def test_register_then_sign_in_with_phone_or_email(client):
    response = register(client)
    assert response.status_code == 302
    user = User.objects.get(email="binh@example.vn")
    assert user.phone == "0912345678" and user.full_name == "Trần Văn Bình"
    assert not user.memberships.exists()
    client.post("/dang-xuat/")
    for identifier in ("0912345678", "+84 912 345 678", "BINH@example.vn"):
        response = client.post("/dang-nhap/", {"identifier": identifier, "password": PASSWORD})
        assert response.status_code == 302, identifier
        client.post("/dang-xuat/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "", "phone": ""}, "Vui lòng nhập thư điện tử hoặc số điện thoại."),
        ({"phone": "12ab"}, "Số điện thoại không hợp lệ"),
        ({"password2": "other-Password-1"}, "Hai mật khẩu không khớp."),
        ({"password1": "123", "password2": "123"}, "Mật khẩu này hoàn toàn là số."),
        ({"email": "not-an-email"}, "Nhập địa chỉ email."),
    ],
)
def test_register_bad_input_is_shown_next_to_the_field(client, data, message):
    response = register(client, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_taken_email_or_phone_gets_the_new_account_answer_and_the_owner_is_told(client):
    """Registration does not tell whether an e-mail or phone has an account (issue 9 §2): a
    taken one gets exactly the answer of a new account, nothing is created, the owner gets an
    e-mail; the page never says "already used"."""
    fresh = register(client, email="moi@example.vn", phone="0977777777")
    register(client)
    mail.outbox.clear()
    for taken in ({"phone": "0987654321"}, {"email": "other@example.vn"}):
        response = register(client, **taken)
        assert (response.status_code, response["Location"]) == (
            fresh.status_code,
            fresh["Location"],
        )
        page = client.get(response["Location"]).content.decode()
        assert "Đã nhận đăng ký" in page and "đã được dùng" not in page
    assert User.objects.count() == 2
    assert [m.to for m in mail.outbox] == [["binh@example.vn"], ["binh@example.vn"]]
    assert "/quen-mat-khau/" in mail.outbox[0].body
    # registering signs nobody in: the citizen signs in with the new account's password
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_after_repeated_failures_refuses_even_the_right_password(client, settings):
    settings.MOTCUA_LOGIN_MAX_FAILURES = 3
    register(client)
    client.post("/dang-xuat/")
    for _ in range(3):
        response = client.post("/dang-nhap/", {"identifier": "0912345678", "password": "wrong"})
        assert response.status_code == 401
        assert "không đúng" in response.content.decode()
    response = client.post("/dang-nhap/", {"identifier": "0912345678", "password": PASSWORD})
    assert response.status_code == 429
    assert "tạm khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # the same number written another way is the same account, so it is locked too
    response = client.post("/dang-nhap/", {"identifier": "+84912345678", "password": PASSWORD})
    assert response.status_code == 429


@pytest.mark.django_db
def test_success_resets_the_failure_count(client, settings):
    settings.MOTCUA_LOGIN_MAX_FAILURES = 3
    register(client)
    client.post("/dang-xuat/")
    for _ in range(2):
        client.post("/dang-nhap/", {"identifier": "binh@example.vn", "password": "wrong"})
    assert (
        client.post(
            "/dang-nhap/", {"identifier": "binh@example.vn", "password": PASSWORD}
        ).status_code
        == 302
    )
    client.post("/dang-xuat/")
    for _ in range(2):
        client.post("/dang-nhap/", {"identifier": "binh@example.vn", "password": "wrong"})
    assert (
        client.post(
            "/dang-nhap/", {"identifier": "binh@example.vn", "password": PASSWORD}
        ).status_code
        == 302
    )


@pytest.mark.django_db
def test_login_redirect_only_to_this_site(client):
    register(client)
    client.post("/dang-xuat/")
    response = client.post(
        "/dang-nhap/",
        {"identifier": "binh@example.vn", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_password_reset_by_email(client):
    register(client)
    client.post("/dang-xuat/")
    response = client.post("/quen-mat-khau/", {"email": "binh@example.vn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/dat-lai-mat-khau/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    new = "Song-Hau-Moi-2026"
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert (
        client.post("/dang-nhap/", {"identifier": "binh@example.vn", "password": new}).status_code
        == 302
    )


@pytest.mark.django_db
def test_profile_edit_and_validation(client):
    register(client)
    client.post("/dang-nhap/", {"identifier": "binh@example.vn", "password": PASSWORD})
    User.objects.create_user("other", email="x@example.vn", phone="0933333333", password="x")
    response = client.post(
        "/tai-khoan/", {"full_name": "Trần Bình", "email": "x@example.vn", "phone": ""}
    )
    assert "đã được dùng" in response.content.decode()
    response = client.post(
        "/tai-khoan/", {"full_name": "Trần Bình", "email": "b@example.vn", "phone": "0911111111"}
    )
    assert response.status_code == 302
    user = User.objects.get(full_name="Trần Bình")
    assert (user.email, user.phone) == ("b@example.vn", "0911111111")


@pytest.mark.django_db
def test_pages_needing_login_redirect_to_the_login_page(client):
    for url in ("/ho-so/", "/tai-khoan/", "/nop-ho-so/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


@pytest.mark.django_db
def test_sso_is_off_unless_configured(client):
    assert client.get("/dang-nhap/sso/").status_code == 404
    assert 'id="sso-login"' not in client.get("/dang-nhap/").content.decode()


@pytest.mark.django_db
def test_sso_redirects_to_the_identity_provider_when_configured(client, settings):
    for key, value in OIDC.items():
        setattr(settings, key, value)
    assert 'id="sso-login"' in client.get("/dang-nhap/").content.decode()
    response = client.get("/dang-nhap/sso/")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("https://id.example.vn/authorize?")
    assert "client_id=motcua-test" in location
    assert "redirect_uri=http%3A%2F%2Ftestserver%2Fdang-nhap%2Fsso%2Fcallback%2F" in location


@pytest.mark.django_db
def test_sso_backend_creates_and_refreshes_the_citizen(settings):
    for key, value in OIDC.items():
        setattr(settings, key, value)
    claims = {
        "sub": "079200001234",
        "email": "Lan@Example.vn",
        "name": "Lê Thị Lan",
        "phone_number": "+84901112222",
    }
    assert profile_from_claims(claims) == {
        "email": "lan@example.vn",
        "phone": "0901112222",
        "full_name": "Lê Thị Lan",
    }
    backend = CitizenOIDCBackend()
    user = backend.create_user(claims)
    assert user.username == "oidc:079200001234" and not user.has_usable_password()
    assert list(backend.filter_users_by_claims(claims)) == [user]
    backend.update_user(user, {**claims, "name": "Lê Thị Lan Anh"})
    user.refresh_from_db()
    assert user.full_name == "Lê Thị Lan Anh"
    assert not backend.verify_claims({"email": "x@example.vn"})
