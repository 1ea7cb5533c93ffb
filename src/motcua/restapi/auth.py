"""Who is calling: browser session, API token, or (where configured) an OIDC bearer token.

Every authenticated endpoint receives a ``Caller`` in ``request.auth``. Session and OIDC users
carry no token scopes (their permissions are the services' own checks); token callers are
limited to the token's scopes and act through its service account.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import HttpBearer, SessionAuth

from motcua.accounts.models import User
from motcua.accounts.scope import is_officer
from motcua.restapi import tokens
from motcua.restapi.models import ApiToken
from motcua.restapi.problems import ApiProblem, ProblemDetails
from motcua.restapi.scopes import grants

logger = logging.getLogger("motcua.api")

# Settings that switch OIDC bearer tokens on (read with getattr: all optional).
OIDC_REQUIRED_SETTINGS = (
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_RP_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET",
)


@dataclass(frozen=True)
class Caller:
    user: User
    kind: str  # "session" | "token" | "oidc"
    token: ApiToken | None = None

    @property
    def is_officer(self) -> bool:
        return self.token is not None or is_officer(self.user)

    def require(self, scope: str) -> None:
        """Token callers need ``scope``; people are checked by the services themselves."""
        if self.token is not None and not grants(self.token.permissions, scope):
            raise ApiProblem(
                403, "insufficient_scope", f"Khóa API không có quyền “{scope}”.", {"scope": scope}
            )


def caller(request: HttpRequest) -> Caller:
    return request.auth  # type: ignore[attr-defined]


def oidc_configured() -> bool:
    return all(getattr(settings, name, None) for name in OIDC_REQUIRED_SETTINGS)


class BearerAuth(HttpBearer):
    """``Authorization: Bearer mct_…`` API tokens; other bearer values go to OIDC when set."""

    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        if tokens.looks_like_token(token):
            api_token = tokens.authenticate(token)  # raises TokenError → 401 problem
            return Caller(user=api_token.user, kind="token", token=api_token)
        if oidc_configured():
            user = _oidc_user(token)
            if user is not None:
                return Caller(user=user, kind="oidc")
        raise tokens.TokenError("invalid_token", "Khóa truy cập không hợp lệ.")


def _oidc_user(access_token: str) -> User | None:
    """Validate an access token at the identity provider's userinfo endpoint
    (mozilla-django-oidc's backend, as its DRF integration does)."""
    try:  # the accounts app's backend (citizens matched by subject), else the library's
        from motcua.accounts.oidc import CitizenOIDCBackend as Backend
    except ImportError:  # pragma: no cover - accounts.oidc is optional
        from mozilla_django_oidc.auth import OIDCAuthenticationBackend as Backend

    try:
        user = Backend().get_or_create_user(access_token, None, None)
    except Exception:  # the provider refused the token or could not be reached
        logger.info("OIDC bearer token refused", exc_info=True)
        return None
    return user if user is not None and user.is_active else None


class BrowserSession(SessionAuth):
    """Django's session cookie (with CSRF on unsafe methods)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Caller | None:
        user = super().authenticate(request, key)
        return Caller(user=user, kind="session") if user is not None else None


AUTH = [BearerAuth(), BrowserSession()]

router = Router(tags=["auth"])


class WhoAmI(Schema):
    username: str
    display_name: str
    kind: str
    officer: bool
    token_name: str | None = None
    agency: str | None = None
    permissions: list[str] | None = None
    token_created_at: dt.datetime | None = None
    token_last_used_at: dt.datetime | None = None


@router.get(
    "/whoami",
    response={200: WhoAmI, 401: ProblemDetails, 403: ProblemDetails},
    auth=AUTH,
    summary="The caller: user, authentication kind and, for a token, its scope",
)
def whoami(request: HttpRequest) -> WhoAmI:
    c = caller(request)
    t = c.token
    return WhoAmI(
        username=c.user.username,
        display_name=c.user.display_name(),
        kind=c.kind,
        officer=c.is_officer,
        token_name=t.name if t else None,
        agency=t.agency.code if t else None,
        permissions=list(t.permissions) if t else None,
        token_created_at=t.created_at if t else None,
        token_last_used_at=t.last_used_at if t else None,
    )
