"""CSRF for session-authenticated API writes.

Django Ninja views are exempt from Django's CSRF middleware; endpoints declared with
``SessionAuth`` check CSRF themselves, but anonymous-or-signed-in endpoints (the 1022 mobile
API, Open311) read ``request.user`` from the session cookie without any check, so a page
elsewhere could post as the signed-in citizen (``Content-Type: text/plain`` needs no CORS
preflight). Here every unsafe API request that carries an authenticated session and no
``Authorization`` header (a token caller; a cross-site form cannot send that header) must pass
Django's CSRF check, refused with the API's usual 403 problem detail otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware

from motcua.restapi.problems import problem

# URL prefixes of the endpoints that are CSRF-exempt views but may read the session's user
API_PREFIXES = ("/api/", "/open311/")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class _ProblemCsrf(CsrfViewMiddleware):
    def _reject(self, request: HttpRequest, reason: str) -> HttpResponse:
        # the same answer as an endpoint declared with SessionAuth gives
        return problem(403, "forbidden", "Không có quyền (kiểm tra CSRF hoặc quyền).")


def _needs_check(request: HttpRequest) -> None:
    """A stand-in view for the CSRF middleware (not exempt)."""


class ApiSessionCsrfMiddleware:
    """CSRF for unsafe API requests authenticated by the session cookie. Place it after
    ``AuthenticationMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.csrf = _ProblemCsrf(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.method in SAFE_METHODS or not request.path.startswith(API_PREFIXES):
            return None
        if request.META.get("HTTP_AUTHORIZATION"):
            return None  # a token caller: no ambient credential a foreign page could use
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        request.csrf_processing_done = False
        return self.csrf.process_view(request, _needs_check, (), {})
