"""A rate limit per client IP for public endpoints, counted in the shared store of
``core.ratelimit`` (the database), so that all worker processes share one budget.

The limit is read at request time from ``settings.MOTCUA_API_PUBLIC_RATE`` ("N/seconds",
default "120/60"), so a deployment (or a test) changes it without a code change. The client IP
is REMOTE_ADDR: put the proxy's real-IP handling in front (e.g. the proxy sets REMOTE_ADDR).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from motcua.core import ratelimit

DEFAULT_RATE = "120/60"


def _rate() -> ratelimit.Rate:
    return ratelimit.Rate.parse(getattr(settings, "MOTCUA_API_PUBLIC_RATE", DEFAULT_RATE))


class PublicRateLimit(BaseThrottle):
    def __init__(self, bucket: str = "public") -> None:
        self.bucket = bucket
        self._wait: float | None = None

    def allow_request(self, request: HttpRequest) -> bool:
        key = f"api:{self.bucket}:{ratelimit.client_ip(request)}"
        refused = ratelimit.allow(key, _rate())
        if refused is not None:
            self._wait = float(refused.retry_after)
            return False
        return True

    def wait(self) -> float | None:
        return self._wait
