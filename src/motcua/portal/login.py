"""Signing in with e-mail or phone and password, with the platform's account lockout.

The password check and the lockout (one count per account, one per IP address) are
``accounts.backends.AccountBackend``'s, shared with the desk and the admin; this only turns a
lock into ``LoginLocked`` for the portal's page.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest

from motcua.accounts.backends import locked_on
from motcua.accounts.models import User


class LoginLocked(Exception):
    def __init__(self, minutes: int, retry_after: int = 60):
        super().__init__(minutes)
        self.minutes = minutes
        self.retry_after = retry_after


def sign_in(request: HttpRequest, identifier: str, password: str) -> User | None:
    """The authenticated user, None on a wrong identifier or password; raises ``LoginLocked``."""
    user = authenticate(request, username=identifier, password=password)
    locked = locked_on(request)
    if locked is not None:
        raise LoginLocked(locked.minutes, locked.retry_after)
    return user
