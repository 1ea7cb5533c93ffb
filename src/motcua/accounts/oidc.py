"""Single sign-on through OpenID Connect (e.g. a national identity provider), with
mozilla-django-oidc. Enabled only when the OIDC_* settings are present.

Settings read (environment variables of the same names once declared in config.py):
OIDC_RP_CLIENT_ID, OIDC_RP_CLIENT_SECRET, OIDC_OP_AUTHORIZATION_ENDPOINT,
OIDC_OP_TOKEN_ENDPOINT, OIDC_OP_USER_ENDPOINT, OIDC_OP_JWKS_ENDPOINT, OIDC_RP_SIGN_ALGO.
"""

from __future__ import annotations

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from motcua.accounts.auth_services import normalise_phone
from motcua.accounts.models import User

REQUIRED = (
    "OIDC_RP_CLIENT_ID",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
)


def oidc_enabled() -> bool:
    return all(getattr(settings, name, "") for name in REQUIRED)


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


class CitizenOIDCBackend(OIDCAuthenticationBackend):
    """Matches the provider's account to a citizen by the subject (stored as user name
    ``oidc:<sub>``), creating the account on first sign-in and refreshing its profile."""

    def filter_users_by_claims(self, claims):
        sub = claims.get("sub")
        if not sub:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(username=f"oidc:{sub}")

    def verify_claims(self, claims) -> bool:
        return bool(claims.get("sub"))

    def create_user(self, claims) -> User:
        profile = profile_from_claims(claims)
        user = self.UserModel(username=f"oidc:{claims['sub']}", **profile)
        user.set_unusable_password()
        user.save()
        return user

    def update_user(self, user: User, claims) -> User:
        profile = profile_from_claims(claims)
        changed = [k for k, v in profile.items() if v and getattr(user, k) != v]
        for key in changed:
            setattr(user, key, profile[key])
        if changed:
            user.save(update_fields=changed)
        return user
