"""The portal's counters (tracking rate limit), on the shared store of ``core.ratelimit``.

Kept as this module's small API (``hit``/``current``/``retry_after``/``reset`` with a
``timedelta`` window) so that its call sites stay as they were.
"""

from __future__ import annotations

import datetime as dt

from motcua.core import ratelimit


def _seconds(window: dt.timedelta) -> int:
    return max(1, int(window.total_seconds()))


def _epoch(now: dt.datetime | None) -> float | None:
    return now.timestamp() if now is not None else None


def hit(key: str, *, window: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Count one event for ``key``; returns the count in the current window (this one included)."""
    return ratelimit.hit(key, _seconds(window), now=_epoch(now)).count


def current(key: str, *, window: dt.timedelta, now: dt.datetime | None = None) -> int:
    """The count in the current window, without counting."""
    return ratelimit.peek(key, _seconds(window), now=_epoch(now)).count


def retry_after(key: str, *, window: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Seconds until the key's window ends (0 when no window is open)."""
    return ratelimit.peek(key, _seconds(window), now=_epoch(now)).retry_after


def reset(key: str) -> None:
    ratelimit.reset(key)
