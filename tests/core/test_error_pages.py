"""Issue 9 §4: error pages in the site's layout and in Vietnamese (400, 403, CSRF, 404, 429,
500), problem details for unknown API routes and wrong methods, every 500 logged."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from motcua.core.errors import wait_hint

pytestmark = pytest.mark.django_db
ERROR_URLS = "tests.core.error_urls"


def _client(**kw) -> Client:
    return Client(raise_request_exception=False, **kw)


def _in_layout(response, *texts: str) -> str:
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert 'class="site-header"' in html and 'class="site-footer"' in html, html[:500]
    assert '<html lang="vi">' in html
    for text in texts:
        assert text in html, (text, html[:2000])
    return html


def _problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["code"]) == (status, code)
    assert body["type"] == f"urn:motcua:problem:{code}"
    return body


def test_unknown_page_is_a_vietnamese_404_in_the_layout():
    response = _client().get("/khong-co-trang-nay/")
    assert response.status_code == 404
    _in_layout(response, "Không tìm thấy trang", "Về trang chủ")


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/dossiers/x/y/z/nope", "/api/v2/"])
def test_unknown_api_route_is_a_problem_404(path):
    _problem(_client().get(path), 404, "not_found")


def test_wrong_method_on_the_api_is_a_problem_405():
    response = _client().delete("/api/v1/catalog/procedures")
    body = _problem(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET" and "GET" in body["detail"]


@pytest.mark.urls(ERROR_URLS)
def test_permission_denied_is_a_vietnamese_403_in_the_layout():
    response = _client().get("/test-errors/denied/")
    assert response.status_code == 403
    _in_layout(response, "Không có quyền truy cập")


@pytest.mark.urls(ERROR_URLS)
def test_bad_request_is_a_vietnamese_400_in_the_layout():
    response = _client().get("/test-errors/bad/")
    assert response.status_code == 400
    _in_layout(response, "Yêu cầu không hợp lệ")


@pytest.mark.urls(ERROR_URLS)
def test_crash_is_a_vietnamese_500_in_the_layout():
    response = _client().get("/test-errors/boom/")
    assert response.status_code == 500
    html = _in_layout(response, "Lỗi hệ thống", "thử lại sau")
    assert "deliberate failure" not in html  # no internals shown


def test_csrf_failure_is_a_vietnamese_page_in_the_layout():
    response = _client(enforce_csrf_checks=True).post("/dang-nhap/", {"username": "x"})
    assert response.status_code == 403
    _in_layout(response, "Phiên làm việc đã hết hạn", "cookie")


@pytest.mark.urls(ERROR_URLS)
def test_429_page_has_retry_after_and_a_wait_hint():
    response = _client().get("/test-errors/limited/")
    assert response.status_code == 429
    assert response["Retry-After"] == "125"
    _in_layout(response, "Quá nhiều yêu cầu", "Vui lòng thử lại sau 3 phút.")


@pytest.mark.urls(ERROR_URLS)
def test_429_under_the_api_is_a_problem_with_retry_after():
    response = _client().get("/api/test-errors/limited/")
    body = _problem(response, 429, "rate_limited")
    assert response["Retry-After"] == "125"
    assert "3 phút" in body["detail"]


def test_wait_hint_in_seconds_and_minutes():
    assert wait_hint(1) == "Vui lòng thử lại sau 1 giây."
    assert wait_hint(59) == "Vui lòng thử lại sau 59 giây."
    assert wait_hint(60) == "Vui lòng thử lại sau 1 phút."
    assert wait_hint(3600) == "Vui lòng thử lại sau 60 phút."


def test_error_pages_in_english_when_chosen():
    client = _client()
    client.cookies["django_language"] = "en"
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


SCRIPT = """
import django
django.setup()
from django.test import Client, override_settings
with override_settings(ROOT_URLCONF="tests.core.error_urls", ALLOWED_HOSTS=["testserver"]):
    response = Client(raise_request_exception=False).get("/test-errors/boom/")
print("STATUS", response.status_code)
"""


def test_every_500_is_logged_with_its_traceback_on_stderr():
    """The production settings (DEBUG off, no test overrides) in a fresh process: the 500's
    traceback reaches stderr through the ``django.request`` logger."""
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "SECRET_KEY": "test-only-secret-key-for-the-logging-subprocess",
        "DEBUG": "false",
        "PYTHONPATH": str(root),
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "STATUS 500" in done.stdout, (done.stdout, done.stderr[-2000:])
    assert "ERROR django.request: Internal Server Error: /test-errors/boom/" in done.stderr
    assert "Traceback (most recent call last)" in done.stderr
    assert "RuntimeError: boom: deliberate failure" in done.stderr


def test_api_rate_limit_answers_retry_after_and_a_wait_hint(settings):
    from django.core.cache import cache

    cache.clear()
    settings.MOTCUA_API_PUBLIC_RATE = "1/60"
    client = _client(REMOTE_ADDR="203.0.113.9")
    assert client.get("/api/v1/catalog/procedures").status_code == 200
    response = client.get("/api/v1/catalog/procedures")
    body = _problem(response, 429, "rate_limited")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Vui lòng thử lại sau" in body["detail"]
    cache.clear()
