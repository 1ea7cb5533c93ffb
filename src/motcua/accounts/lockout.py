"""Login lockout: one failure count per *account* and one per client IP address.

Every password check goes through ``accounts.backends.AccountBackend`` (the only password
backend in ``AUTHENTICATION_BACKENDS``), which asks this module first, so the portal, the desk,
the admin and anything else calling ``django.contrib.auth.authenticate`` share the same
counts: an account's e-mail, phone and user name are one account with one budget of
``LOGIN_MAX_FAILURES`` within ``LOGIN_LOCKOUT_MINUTES``, and one address gets
``LOGIN_IP_MAX_FAILURES`` failures (over any accounts) in the same window.

While locked, even the right password is refused, so guessing stays slow. An identifier that
matches no account is counted under its own key, so a lock never tells an attacker whether an
account exists. Counters live in the shared store of ``core.ratelimit``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from motcua.accounts.auth_services import find_user, is_phone, normalise_phone
from motcua.accounts.models import User
from motcua.core import ratelimit


def max_failures() -> int:
    return int(getattr(settings, "MOTCUA_LOGIN_MAX_FAILURES", 5))


def ip_max_failures() -> int:
    return int(getattr(settings, "MOTCUA_LOGIN_IP_MAX_FAILURES", 30))


def window_seconds() -> int:
    return 60 * int(getattr(settings, "MOTCUA_LOGIN_LOCKOUT_MINUTES", 15))


class Locked(Exception):
    """Too many failures for this account or from this address."""

    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after

    @property
    def minutes(self) -> int:
        return max(1, -(-self.retry_after // 60))


def _identifier_key(identifier: str) -> str:
    ident = identifier.strip().lower()
    return normalise_phone(ident) if is_phone(ident) else ident


@dataclass
class Attempt:
    """One sign-in attempt: the account it names (if any) and the caller's address."""

    account: User | None
    account_key: str
    ip_key: str

    @classmethod
    def of(cls, identifier: str, ip: str) -> Attempt:
        account = find_user(identifier)
        key = (
            f"login:account:{account.pk}"
            if account is not None
            else f"login:unknown:{_identifier_key(identifier)}"
        )
        return cls(account=account, account_key=key, ip_key=f"login:ip:{ip}")

    def check(self) -> None:
        """Raise ``Locked`` when the account or the address has used its failures."""
        seconds = window_seconds()
        for key, limit in ((self.account_key, max_failures()), (self.ip_key, ip_max_failures())):
            usage = ratelimit.peek(key, seconds)
            if usage.count >= limit:
                raise Locked(usage.retry_after)

    def failed(self) -> None:
        seconds = window_seconds()
        ratelimit.hit(self.account_key, seconds)
        ratelimit.hit(self.ip_key, seconds)

    def succeeded(self) -> None:
        # the address keeps its count: one right password must not reset a spraying budget
        ratelimit.reset(self.account_key)


def ip_locked(ip: str) -> Locked | None:
    """For sign-ins without a password (single sign-on callbacks): the address's lock."""
    usage = ratelimit.peek(f"login:ip:{ip}", window_seconds())
    return Locked(usage.retry_after) if usage.count >= ip_max_failures() else None


def ip_failed(ip: str) -> None:
    ratelimit.hit(f"login:ip:{ip}", window_seconds())
