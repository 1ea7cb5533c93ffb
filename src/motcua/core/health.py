"""``/healthz``: a cheap readiness answer for supervisors and load balancers.

Answered by a middleware placed first, before the host check (``ALLOWED_HOSTS``) and the HTTPS
redirect, so that a probe on the loopback address (systemd's ``ExecStartPost``, see
``docs/deployment.md``) gets the real answer whatever host names and TLS the site uses. It
reveals nothing but "the process serves and reaches its database", builds no URL from the
request's host, and touches no session or user.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse

HEALTH_PATH = "/healthz"


def database_reachable() -> bool:
    """One round trip to the database (``SELECT 1``); False when it cannot be reached."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def health_response() -> JsonResponse:
    ok = database_reachable()
    response = JsonResponse(
        {"status": "ok" if ok else "unavailable", "database": "ok" if ok else "unreachable"},
        status=200 if ok else 503,
    )
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """Answers ``GET``/``HEAD /healthz`` itself; every other request passes through."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTH_PATH and request.method in ("GET", "HEAD"):
            return health_response()
        return self.get_response(request)
