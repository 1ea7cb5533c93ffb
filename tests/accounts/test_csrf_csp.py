"""CSRF on session-authenticated API writes, the Content-Security-Policy and its premise (no
inline script in any template) (issue 9 §2)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory

from motcua.accounts.models import User
from motcua.core.security import ContentSecurityPolicyMiddleware
from motcua.feedback.models import FeedbackItem
from tests.feedback.conftest import make_world

SRC = Path(__file__).resolve().parents[2] / "src" / "motcua"
ITEM = {
    "category": "environment",
    "description": "Rác thải đổ trộm trên đường Trần Hưng Đạo.",
    "reporter_name": "Nguyễn Văn A",
    "reporter_phone": "0912345678",
}


@pytest.fixture
def signed_in(db):
    make_world()
    user = User.objects.create_user("binh@example.vn", email="binh@example.vn", password="x")
    client = Client(enforce_csrf_checks=True)  # as a browser: Django's test client skips CSRF
    client.force_login(user)
    client.get("/dang-nhap/")  # a page with a form sets the csrftoken cookie
    return client


def test_session_api_write_without_csrf_token_is_refused(signed_in):
    """A page elsewhere can post ``text/plain`` with the citizen's cookie (no preflight)."""
    for content_type in ("text/plain", "application/json"):
        response = signed_in.post(
            "/api/v1/feedback/items", json.dumps(ITEM), content_type=content_type
        )
        assert response.status_code == 403
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "forbidden"
    assert not FeedbackItem.objects.exists()


def test_session_api_write_with_csrf_token_passes(signed_in):
    token = signed_in.cookies["csrftoken"].value
    response = signed_in.post(
        "/api/v1/feedback/items",
        json.dumps(ITEM),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 201, response.content
    assert FeedbackItem.objects.get().reporter_user.username == "binh@example.vn"


def test_anonymous_and_token_callers_need_no_csrf_token(db):
    make_world()
    anonymous = Client(enforce_csrf_checks=True)
    response = anonymous.post(
        "/api/v1/feedback/items", json.dumps(ITEM), content_type="application/json"
    )
    assert response.status_code == 201
    # a request carrying an Authorization header (a token caller; a foreign page cannot set
    # that header) is not asked for a CSRF token, whatever cookie it also carries
    user = User.objects.create_user("c@example.vn", password="x")
    with_header = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION="Bearer mct_x")
    with_header.force_login(user)
    response = with_header.post(
        "/api/v1/feedback/items", json.dumps(ITEM), content_type="application/json"
    )
    assert response.status_code == 201


def _directives(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


@pytest.mark.parametrize("url", ["/", "/dang-nhap/", "/desk/login/", "/admin/login/", "/tra-cuu/"])
def test_every_page_has_a_policy_without_inline_script(db, client, url):
    response = client.get(url)
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval', no host
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "http" not in response["Content-Security-Policy"]  # nothing from another server
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]


def test_frame_ancestors_follows_x_frame_options():
    """The desk's form previews (SAMEORIGIN) may be framed by the site itself, nothing else."""
    request = RequestFactory().get("/")
    for xfo, expected in (("SAMEORIGIN", "'self'"), ("DENY", "'none'"), (None, "'none'")):
        response = HttpResponse()
        if xfo:
            response["X-Frame-Options"] = xfo
        mw = ContentSecurityPolicyMiddleware(lambda r, resp=response: resp)
        policy = _directives(mw(request)["Content-Security-Policy"])
        assert policy["frame-ancestors"] == expected


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def test_no_template_has_inline_script_or_event_handlers():
    """The policy forbids them, so the browser would silently drop them."""
    found = []
    for path in sorted(SRC.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JS_URL):
            found += [f"{path.relative_to(SRC)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert found == []
