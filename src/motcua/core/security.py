"""Security middleware: the Content-Security-Policy header and CSRF for session-authenticated
API requests.

**CSP.** A fixed policy needs no per-request nonce (no template has inline script: scripts are
static files, data goes in ``data-`` attributes or ``<script type="application/json">``), so a
small middleware writing one header is all it takes; django-csp would add a dependency for the
same line. ``frame-ancestors`` mirrors ``X-Frame-Options`` (``'none'`` for DENY, ``'self'`` for
the desk's form previews marked SAMEORIGIN), since browsers that know CSP ignore that header.
Inline *style attributes* stay allowed (``'unsafe-inline'`` in ``style-src`` only): they cannot
run code, and templates and vendored UIs use them.

**API CSRF.** Django Ninja views are exempt from Django's CSRF middleware; endpoints declared
with ``SessionAuth`` check CSRF themselves, but anonymous-or-signed-in endpoints (the 1022
mobile API, Open311) read ``request.user`` from the session cookie without any check, so a
page elsewhere could post as the signed-in citizen (``Content-Type: text/plain`` needs no
preflight). Here every unsafe API request that carries an authenticated session and no
``Authorization`` header (a token caller, which a cross-site form cannot send) must pass
Django's CSRF check, answered with a problem detail when it does not.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware

DEFAULT_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-src": "'self'",
}
PERMISSIONS_POLICY = "camera=(), microphone=(), payment=(), usb=(), geolocation=(self)"

# URL prefixes of the endpoints that are CSRF-exempt views but may read the session's user
API_PREFIXES = ("/api/", "/open311/")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def policy() -> dict[str, str]:
    """The policy: ``DEFAULT_POLICY`` with ``settings.MOTCUA_CSP`` (a dict) on top."""
    return {**DEFAULT_POLICY, **getattr(settings, "MOTCUA_CSP", {})}


def header_value(frame_ancestors: str) -> str:
    directives = {**policy(), "frame-ancestors": frame_ancestors}
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    """Adds ``Content-Security-Policy`` and ``Permissions-Policy`` to every response. Place it
    before ``XFrameOptionsMiddleware`` so that it sees that header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            xfo = (response.get("X-Frame-Options") or "DENY").upper()
            ancestors = "'self'" if xfo == "SAMEORIGIN" else "'none'"
            response["Content-Security-Policy"] = header_value(ancestors)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class _ProblemCsrf(CsrfViewMiddleware):
    def _reject(self, request: HttpRequest, reason: str) -> HttpResponse:
        return JsonResponse(
            {
                "type": "about:blank",
                "title": "Forbidden",
                "status": 403,
                "code": "csrf_failed",
                "detail": "Thiếu hoặc sai mã CSRF cho yêu cầu dùng phiên đăng nhập "
                "(gửi tiêu đề X-CSRFToken, hoặc dùng khóa API).",
            },
            status=403,
            content_type="application/problem+json",
        )


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
