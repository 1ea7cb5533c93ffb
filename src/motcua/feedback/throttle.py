"""How many feedback items one client may send: a per-IP hourly limit on the portal form and
the mobile API (operators entering calls are not limited).

It slows down anyone guessing dossier codes and digits through the form (dossier_link) and
flooding the hotline's queue. The counter is the project's shared one (``core.ratelimit``, a
database row every worker sees), keyed like every other limit by ``core.ratelimit.client_ip``.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from motcua.core import ratelimit

WINDOW_SECONDS = 3600


def limit() -> int:
    return int(getattr(settings, "MOTCUA_FEEDBACK_PER_HOUR", 20))


def refused(request: HttpRequest) -> int | None:
    """Count one submission; None when allowed, else the seconds to wait (Retry-After)."""
    key = f"feedback:{ratelimit.client_ip(request)}"
    over = ratelimit.allow(key, ratelimit.Rate(limit(), WINDOW_SECONDS))
    return None if over is None else max(1, over.retry_after)
