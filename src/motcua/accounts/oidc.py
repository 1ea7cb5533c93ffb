"""Single sign-on through OpenID Connect (e.g. a national identity provider), with
mozilla-django-oidc. Enabled only when the OIDC_* settings are present.

Settings read (environment variables of the same names once declared in config.py):
OIDC_RP_CLIENT_ID, OIDC_RP_CLIENT_SECRET, OIDC_OP_AUTHORIZATION_ENDPOINT,
OIDC_OP_TOKEN_ENDPOINT, OIDC_OP_USER_ENDPOINT, OIDC_OP_JWKS_ENDPOINT, OIDC_RP_SIGN_ALGO,
OIDC_OP_LOGOUT_ENDPOINT, and OIDC_PROFILE: ``generic`` (standard claims) or ``vneid``.

The ``vneid`` profile is the national portal's identity service (VNeID federated behind it,
docs/security.md "National sign-in"): scope ``openid``, ``acr_values=LoA1``; its claims
``SoDinhDanh`` (12 digits), ``HoVaTen``, ``NgayThangNamSinh`` (yyyymmdd), ``loginIdp``
("BCA": signed in with VNeID) fill the citizen's account. An account is found by the
provider's subject, else by the VERIFIED identity number (set only by an earlier VNeID
sign-in, never typed in by a user) — never by e-mail, so an account pre-registered with
someone's e-mail or number cannot capture their national sign-in.

Checks added to the library's: the ID token's audience must be our client id (the library
skips it), and the userinfo ``sub`` must be the ID token's.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

import jwt
import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from motcua.accounts.auth_services import normalise_phone
from motcua.accounts.models import User

REQUIRED = (
    "OIDC_RP_CLIENT_ID",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
)
# loginIdp values meaning "authenticated with VNeID" (the Ministry of Public Security, BCA)
VNEID_IDPS = frozenset({"BCA"})
# session key: this session was opened by a VNeID sign-in (dossiers submitted in it are
# flagged ``applicant_vneid``, which indicator 5.x of the index counts)
SESSION_VNEID = "auth_vneid"
log = logging.getLogger("motcua.accounts.oidc")
IDENTITY_NUMBER = re.compile(r"^\d{12}$")
TAKEN = "identity number already used by another account"


def oidc_enabled() -> bool:
    return all(getattr(settings, name, "") for name in REQUIRED)


def vneid_profile() -> bool:
    return getattr(settings, "OIDC_PROFILE", "generic") == "vneid"


def oidc_setting(attr: str, *args):
    """The library's settings, with this project's defaults (views and backend alike)."""
    defaults = {
        "OIDC_AUTHENTICATION_CALLBACK_URL": "portal:sso_callback",
        "LOGIN_REDIRECT_URL_FAILURE": "/dang-nhap/?sso=failed",
        "OIDC_RP_SCOPES": "openid" if vneid_profile() else "openid email profile phone",
        "OIDC_AUTH_REQUEST_EXTRA_PARAMS": {"acr_values": "LoA1"} if vneid_profile() else {},
        "OIDC_STORE_ID_TOKEN": True,  # the hint of the provider's logout
        "OIDC_TIMEOUT": 10,
    }
    if attr in defaults:
        return getattr(settings, attr, defaults[attr])
    return import_from_settings(attr, *args)


def profile_from_claims(claims: dict) -> dict[str, str]:
    """The account fields an identity provider's claims fill in."""
    name = claims.get("name") or " ".join(
        p for p in (claims.get("family_name"), claims.get("given_name")) if p
    )
    return {
        "email": (claims.get("email") or "").strip().lower(),
        "phone": normalise_phone(claims.get("phone_number") or ""),
        "full_name": (name or "").strip(),
    }


def vneid_from_claims(claims: dict) -> dict:
    """The VNeID profile's account fields; SuspiciousOperation when the identity number is
    missing or malformed (such an answer signs nobody in)."""
    number = str(claims.get("SoDinhDanh") or "").strip()
    if not IDENTITY_NUMBER.match(number):
        raise SuspiciousOperation("SoDinhDanh missing or not 12 digits")
    birth = None
    raw = str(claims.get("NgayThangNamSinh") or "").strip()
    if raw:
        try:
            birth = dt.datetime.strptime(raw, "%Y%m%d").date()
        except ValueError:
            birth = None
    return {
        "identity_number": number,
        "full_name": str(claims.get("HoVaTen") or "").strip(),
        "birth_date": birth,
        "vneid": str(claims.get("loginIdp") or "").strip().upper() in VNEID_IDPS,
    }


class CitizenOIDCBackend(OIDCAuthenticationBackend):
    """Matches the provider's account to a citizen by the subject (stored as user name
    ``oidc:<sub>``) or, with the VNeID profile, by the verified identity number; creates
    the account on first sign-in and refreshes its profile."""

    get_settings = staticmethod(oidc_setting)

    def authenticate(self, request, **kwargs):
        """A forged or mismatched token, or an unreachable provider, signs nobody in: the
        callback then redirects to the login page with "sign-in failed" (never a 400/500)."""
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, requests.RequestException, jwt.PyJWTError) as exc:
            log.warning("OIDC sign-in refused: %s", exc)
            return None

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        aud = payload.get("aud")
        audiences = aud if isinstance(aud, list) else [aud]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token issued for another client")
        self._id_token_sub = payload.get("sub")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        claims = super().get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo subject differs from the ID token's")
        return claims

    def verify_claims(self, claims) -> bool:
        if not claims.get("sub"):
            return False
        if vneid_profile():
            vneid_from_claims(claims)  # raises on a bad identity number
        return True

    def filter_users_by_claims(self, claims):
        sub = claims.get("sub")
        if not sub:
            return self.UserModel.objects.none()
        users = self.UserModel.objects.filter(username=f"oidc:{sub}")
        if users.exists() or not vneid_profile():
            return users
        number = vneid_from_claims(claims)["identity_number"]
        return self.UserModel.objects.filter(
            identity_number=number, identity_verified_at__isnull=False, is_active=True
        )

    def _mark_session(self, claims) -> None:
        if vneid_profile() and getattr(self, "request", None) is not None:
            self.request.vneid_login = vneid_from_claims(claims)["vneid"]

    def create_user(self, claims) -> User:
        if vneid_profile():
            data = vneid_from_claims(claims)
            user = self.UserModel(
                username=f"oidc:{claims['sub']}",
                full_name=data["full_name"],
                birth_date=data["birth_date"],
                identity_number=data["identity_number"],
                identity_verified_at=timezone.now(),
            )
        else:
            user = self.UserModel(username=f"oidc:{claims['sub']}", **profile_from_claims(claims))
        user.set_unusable_password()
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            # the number belongs to an inactive account: no silent merge
            raise SuspiciousOperation(TAKEN) from None
        self._mark_session(claims)
        return user

    def update_user(self, user: User, claims) -> User:
        if vneid_profile():
            data = vneid_from_claims(claims)
            profile = {
                "full_name": data["full_name"],
                "birth_date": data["birth_date"],
                "identity_number": data["identity_number"],
            }
            if user.identity_verified_at is None or user.identity_number != data["identity_number"]:
                profile["identity_verified_at"] = timezone.now()
        else:
            profile = profile_from_claims(claims)
        changed = [k for k, v in profile.items() if v and getattr(user, k) != v]
        for key in changed:
            setattr(user, key, profile[key])
        if changed:
            try:
                with transaction.atomic():
                    user.save(update_fields=changed)
            except IntegrityError:
                raise SuspiciousOperation(
                    "identity number already used by another account"
                ) from None
        self._mark_session(claims)
        return user
