"""How many feedback items one client may send: a per-IP hourly limit on the portal form and
the mobile API (operators entering calls are not limited).

It slows down anyone guessing dossier codes and digits through the form (dossier_link) and
flooding the hotline's queue. The counter is the project's shared one (``portal.ratelimit``,
a database row every worker sees): swap this one call when a shared limiter replaces it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest

from motcua.portal import ratelimit

WINDOW = dt.timedelta(hours=1)


def limit() -> int:
    return int(getattr(settings, "MOTCUA_FEEDBACK_PER_HOUR", 20))


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by whoever asks, so it cannot key a limit
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def refused(request: HttpRequest) -> int | None:
    """Count one submission; None when allowed, else the seconds to wait (Retry-After)."""
    key = f"feedback:{client_ip(request)}"
    if ratelimit.hit(key, window=WINDOW) <= limit():
        return None
    return max(1, ratelimit.retry_after(key, window=WINDOW))
