"""The one password check of the platform, with the lockout of ``accounts.lockout``.

It replaces Django's ``ModelBackend`` in ``AUTHENTICATION_BACKENDS`` (and inherits its
permission checks), so every login surface (portal, desk, admin, anything calling
``authenticate``) is counted and locked the same way; no surface has a path around it. The
identifier may be an e-mail address, a phone number (any spelling) or a user name.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from motcua.accounts import lockout
from motcua.accounts.models import User
from motcua.core.ratelimit import client_ip

# set on the request when a sign-in was refused because of a lock (forms show the wait)
LOCKED_ATTR = "motcua_login_locked"


def locked_on(request: HttpRequest | None) -> lockout.Locked | None:
    return getattr(request, LOCKED_ATTR, None) if request is not None else None


class AccountBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs,
    ) -> User | None:
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or password is None:
            return None
        attempt = lockout.Attempt.of(str(username), client_ip(request))
        try:
            attempt.check()
        except lockout.Locked as exc:
            if request is not None:
                setattr(request, LOCKED_ATTR, exc)
            # PermissionDenied stops Django from trying other backends
            raise PermissionDenied("login locked") from exc
        user = attempt.account
        if user is None:
            User().set_password(password)  # same hashing time whether or not the account exists
        elif user.check_password(password) and self.user_can_authenticate(user):
            attempt.succeeded()
            return user
        attempt.failed()
        return None
