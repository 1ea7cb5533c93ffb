"""The Content-Security-Policy in a real browser: pages work with no inline script (the
language menu still switches on change), the browser reports no violation, and the desk's
sign-in refuses a citizen and shows the lockout (issue 9 §2)."""

from __future__ import annotations

import pytest

from motcua.accounts.models import User
from tests.dossiers.conftest import make_world
from tests.portal.conftest import open_online


@pytest.fixture
def world(transactional_db, settings):
    settings.MOTCUA_LOGIN_MAX_FAILURES = 2
    return open_online(make_world())


def _watch_violations(page) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda msg: seen.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return seen


def test_pages_run_under_the_policy_without_violations(page, world):
    violations = _watch_violations(page)
    response = page.goto(page.base + "/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.get_by_label("Ngôn ngữ").select_option("en")  # static JS, not onchange="…"
    page.wait_for_selector("html[lang=en]")
    page.get_by_label("Language").select_option("vi")
    page.wait_for_selector("html[lang=vi]")
    for path in ("/tra-cuu/", "/dang-nhap/", "/dang-ky/", "/desk/login/", "/admin/login/"):
        page.goto(page.base + path)
    # an officer's desk and the admin (its own scripts) load under the same policy
    page.goto(page.base + "/desk/login/")
    page.get_by_label("Tên đăng nhập").fill("desk_officer_a")
    page.get_by_label("Mật khẩu").fill("x-Secret-123")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/desk/")
    page.goto(page.base + "/admin/login/")
    page.goto(page.base + "/dang-nhap/")
    assert violations == []


def test_desk_refuses_a_citizen_and_shows_the_lockout(page, world):
    User.objects.create_user("tu@example.vn", email="tu@example.vn", password="Cai-Khe-2025")
    page.goto(page.base + "/desk/login/")
    page.get_by_label("Tên đăng nhập").fill("tu@example.vn")
    page.get_by_label("Mật khẩu").fill("Cai-Khe-2025")
    page.get_by_role("button", name="Đăng nhập").click()
    assert page.get_by_role("alert").inner_text().startswith("Tài khoản này không có quyền")
    for _ in range(2):
        page.get_by_label("Tên đăng nhập").fill("desk_officer_a")
        page.get_by_label("Mật khẩu").fill("wrong-password")
        page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_label("Tên đăng nhập").fill("desk_officer_a")
    page.get_by_label("Mật khẩu").fill("x-Secret-123")
    page.get_by_role("button", name="Đăng nhập").click()
    assert "tạm khóa" in page.get_by_role("alert").inner_text()
    assert "/desk/login/" in page.url
