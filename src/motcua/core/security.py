"""The Content-Security-Policy (and Permissions-Policy) header of every response.

A fixed policy needs no per-request nonce (no template has inline script: scripts are
static files, data goes in ``data-`` attributes or ``<script type="application/json">``), so a
small middleware writing one header is all it takes; django-csp would add a dependency for the
same line. ``frame-ancestors`` mirrors ``X-Frame-Options`` (``'none'`` for DENY, ``'self'`` for
the desk's form previews marked SAMEORIGIN), since browsers that know CSP ignore that header.
Inline *style attributes* stay allowed (``'unsafe-inline'`` in ``style-src`` only): they cannot
run code, and the legal forms' HTML and vendored UIs use them. (CSRF for
session-authenticated API writes is ``restapi.csrf``.)
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

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
