"""National sign-in in a real browser: the portal's VNeID button goes to the identity
provider (the local OIDC provider of the tests), comes back signed in with the VNeID claims,
and signing out also ends the provider's session."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from motcua.accounts.models import User
from tests.accounts.oidc_provider import VNEID_CLAIMS, OIDCProvider
from tests.dossiers.conftest import make_world
from tests.portal.conftest import open_online


@pytest.fixture(scope="module")
def op_server():
    server = OIDCProvider().start()
    yield server
    server.stop()


@pytest.fixture
def op(op_server, settings, transactional_db):
    op_server.reset()
    op_server.user = dict(VNEID_CLAIMS)
    for name, value in op_server.settings().items():
        setattr(settings, name, value)
    settings.OIDC_PROFILE = "vneid"
    settings.AUTHENTICATION_BACKENDS = [
        "motcua.accounts.backends.AccountBackend",
        "motcua.accounts.oidc.CitizenOIDCBackend",
    ]
    open_online(make_world())
    return op_server


def test_sign_in_with_vneid_and_out_again(page, op):
    page.goto(page.base + "/dang-nhap/")
    button = page.locator("#sso-login")
    assert button.inner_text() == "Đăng nhập bằng tài khoản định danh điện tử VNeID"
    button.click()
    page.wait_for_selector("#nav-profile")
    expect(page.locator("#nav-profile")).to_have_text("Trần Thị Bích Ngọc", use_inner_text=True)
    user = User.objects.get(username="oidc:vneid-sub-0001")
    assert user.identity_number == "092190001234" and user.identity_verified_at is not None
    page.locator("#logout").click()
    page.wait_for_selector("#nav-login")
    assert page.url.rstrip("/") == page.base.rstrip("/")
    assert len(op.logouts) == 1
    page.goto(page.base + "/tai-khoan/")
    assert "/dang-nhap/" in page.url
