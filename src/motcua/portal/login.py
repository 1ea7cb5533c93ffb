"""Signing in with e-mail or phone and password, with a lockout after repeated failures.

Failures are counted per identifier in the database (every server sees them); after
``MAX_FAILURES`` within ``LOCKOUT`` the identifier is refused until the window ends, whether
or not the password is right, so guessing stays slow. A success clears the count.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest

from motcua.accounts.auth_services import find_user, normalise_phone
from motcua.accounts.models import User
from motcua.portal import ratelimit


def max_failures() -> int:
    return int(getattr(settings, "MOTCUA_LOGIN_MAX_FAILURES", 5))


def lockout() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "MOTCUA_LOGIN_LOCKOUT_MINUTES", 15)))


class LoginLocked(Exception):
    def __init__(self, minutes: int):
        super().__init__(minutes)
        self.minutes = minutes


def _key(identifier: str) -> str:
    ident = identifier.strip().lower()
    return f"login:{normalise_phone(ident) if '@' not in ident else ident}"[:200]


def sign_in(request: HttpRequest, identifier: str, password: str) -> User | None:
    """The authenticated user, None on a wrong identifier or password; raises ``LoginLocked``."""
    key = _key(identifier)
    if ratelimit.current(key, window=lockout()) >= max_failures():
        seconds = ratelimit.retry_after(key, window=lockout())
        raise LoginLocked(max(1, -(-seconds // 60)))
    account = find_user(identifier)
    user = None
    if account is not None:
        user = authenticate(request, username=account.username, password=password)
    if user is None:
        ratelimit.hit(key, window=lockout())
        return None
    ratelimit.reset(key)
    return user
