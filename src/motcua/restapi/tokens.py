"""Services for API tokens: create (the secret is returned once), revoke, authenticate."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import Membership, Role, User
from motcua.accounts.scope import role_in
from motcua.agencies.models import Agency
from motcua.dossiers.errors import InvalidInput, NotAllowed
from motcua.restapi.models import ApiToken
from motcua.restapi.scopes import unknown_scopes

TOKEN_PREFIX = "mct"  # noqa: S105 - a public marker, not a secret
# last_used_at is written at most once per this interval per token (no write per request)
LAST_USED_RESOLUTION = dt.timedelta(seconds=60)


class TokenError(Exception):
    """The bearer token is unknown, malformed or revoked (an HTTP 401)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # the full bearer value; shown once, never stored


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def looks_like_token(value: str) -> bool:
    return value.startswith(f"{TOKEN_PREFIX}_")


@transaction.atomic
def create_token(
    *,
    name: str,
    agency: Agency,
    permissions: Iterable[str],
    roles: Iterable[str] = (Role.DESK_OFFICER,),
    by: User | None = None,
) -> IssuedToken:
    """Create a token and its service account (with a membership per role in ``agency``).

    ``by`` is None for the operator's command line; otherwise an administrator of the agency.
    """
    if by is not None and not (
        by.is_superuser or role_in(by, agency.pk, {Role.AGENCY_ADMIN, Role.PROVINCE_ADMIN})
    ):
        raise NotAllowed("Bạn không có quyền tạo khóa API cho cơ quan này.")
    permissions = sorted(set(permissions))
    roles = sorted(set(roles))
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Vui lòng đặt tên cho khóa API."
    if not permissions:
        errors["permissions"] = "Cần ít nhất một quyền."
    elif bad := unknown_scopes(permissions):
        errors["permissions"] = f"Quyền không hợp lệ: {', '.join(bad)}."
    if bad_roles := [r for r in roles if r not in Role.values]:
        errors["roles"] = f"Vai trò không hợp lệ: {', '.join(bad_roles)}."
    if errors:
        raise InvalidInput("Khóa API chưa hợp lệ.", fields=errors)
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():  # pragma: no cover - 2^32 space
        prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    user = User(username=f"api.{prefix}", full_name=f"API: {name.strip()}"[:255])
    user.set_unusable_password()
    user.save()
    Membership.objects.bulk_create(
        Membership(user=user, agency=agency, role=role) for role in roles
    )
    token = ApiToken.objects.create(
        name=name.strip(),
        agency=agency,
        permissions=permissions,
        prefix=prefix,
        token_hash=hash_secret(secret),
        user=user,
        created_by=by,
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def revoke_token(token: ApiToken, *, by: User | None = None, now: dt.datetime | None = None):
    """Revoke for good: the token stops working and its service account is deactivated."""
    if by is not None and not (
        by.is_superuser or role_in(by, token.agency_id, {Role.AGENCY_ADMIN, Role.PROVINCE_ADMIN})
    ):
        raise NotAllowed("Bạn không có quyền thu hồi khóa API này.")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
        User.objects.filter(pk=token.user_id).update(is_active=False)
    return token


def authenticate(secret: str, *, now: dt.datetime | None = None) -> ApiToken:
    """The active token for a bearer value, with ``last_used_at`` refreshed; else TokenError."""
    parts = secret.split("_")
    if len(parts) < 3 or parts[0] != TOKEN_PREFIX:
        raise TokenError("invalid_token", "Khóa API không hợp lệ.")
    token = ApiToken.objects.select_related("user", "agency").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.token_hash, hash_secret(secret)):
        raise TokenError("invalid_token", "Khóa API không hợp lệ.")
    if token.revoked_at is not None or not token.user.is_active:
        raise TokenError("token_revoked", "Khóa API đã bị thu hồi.")
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
