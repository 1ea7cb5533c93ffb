"""Real-HTTP fixtures for the REST API: the live server, a tiny stdlib client, API tokens
and browser sessions (a session cookie plus the CSRF double-submit token)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from http.client import HTTPConnection
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.cache import cache
from django.test import Client as DjangoClient
from django.utils.crypto import get_random_string

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.restapi.tokens import create_token
from tests.dossiers.conftest import World, make_world

ALL_ROLES = ("desk_officer", "specialist", "leader")


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    raw: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.raw) if self.raw else None

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0]


@dataclass
class Http:
    """A stdlib HTTP client for the live server; ``token`` or ``session`` authenticate."""

    base: str
    token: str | None = None
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: dict | None = None,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> Response:
        url = urlsplit(self.base)
        conn = HTTPConnection(url.hostname, url.port, timeout=30)
        hdrs = {"Accept": "application/json", **(headers or {})}
        if self.token:
            hdrs["Authorization"] = f"Bearer {self.token}"
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            if "csrftoken" in self.cookies:
                hdrs["X-CSRFToken"] = self.cookies["csrftoken"]
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        target = "/api/v1" + path + (f"?{urlencode(params, doseq=True)}" if params else "")
        try:
            conn.request(method, target, body=data, headers=hdrs)
            resp = conn.getresponse()
            return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
        finally:
            conn.close()

    def get(self, path: str, **kw) -> Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw) -> Response:
        return self.request("POST", path, body=body, **kw)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # rate-limit windows never leak from one test into the next
    yield
    cache.clear()


@pytest.fixture
def world(transactional_db) -> World:
    return make_world()


@pytest.fixture
def anon(live_server) -> Http:
    return Http(live_server.url)


@pytest.fixture
def token_client(live_server):
    """``token_client(agency, permissions, roles)`` → (Http with the token, ApiToken)."""

    def make(
        agency: Agency,
        permissions: tuple[str, ...] = ("dossiers:*", "tasks:*"),
        roles: tuple[str, ...] = ALL_ROLES,
    ):
        issued = create_token(
            name=f"system {uuid.uuid4().hex[:6]}",
            agency=agency,
            permissions=permissions,
            roles=roles,
        )
        return Http(live_server.url, token=issued.secret), issued.token

    return make


@pytest.fixture
def session_client(live_server):
    """``session_client(user)`` → an Http with the user's session cookie and a CSRF token."""

    def make(user: User) -> Http:
        client = DjangoClient()
        client.force_login(user)
        from django.conf import settings

        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        return Http(
            live_server.url,
            cookies={settings.SESSION_COOKIE_NAME: session, "csrftoken": get_random_string(32)},
        )

    return make


def submission(world: World, **overrides) -> dict:
    body = {
        "procedure": world.procedure.code,
        "receiving_agency": world.a.code,
        "channel": "city_portal",
        "applicant": {
            "name": "Nguyễn Thị Hồng Nhung",
            "id_number": "092190001234",
            "phone": "0901234567",
            "address": "12 Hòa Bình, Cái Khế, Ninh Kiều",
        },
        "documents": [{"name": "Tờ khai đăng ký lại khai sinh"}],
    }
    body.update(overrides)
    return body


def assert_problem(resp: Response, status: int, code: str) -> dict:
    assert resp.status == status, (resp.status, resp.raw[:500])
    assert resp.content_type == "application/problem+json"
    body = resp.json
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"urn:motcua:problem:{code}"
    assert body["title"] and body["detail"]
    assert isinstance(body["errors"], list)
    return body
