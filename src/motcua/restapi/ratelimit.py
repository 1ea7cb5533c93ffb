"""A fixed-window rate limit per client IP for public endpoints, in Django's cache.

The limit is read at request time from ``settings.MOTCUA_API_PUBLIC_RATE`` ("N/seconds",
default "120/60"), so a deployment (or a test) changes it without a code change. The client IP
is REMOTE_ADDR: put the proxy's real-IP handling in front (e.g. the proxy sets REMOTE_ADDR).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

DEFAULT_RATE = "120/60"


def _rate() -> tuple[int, int]:
    count, _, seconds = str(getattr(settings, "MOTCUA_API_PUBLIC_RATE", DEFAULT_RATE)).partition(
        "/"
    )
    return int(count), int(seconds or 60)


class PublicRateLimit(BaseThrottle):
    def __init__(self, bucket: str = "public") -> None:
        self.bucket = bucket
        self._wait: float | None = None

    def allow_request(self, request: HttpRequest) -> bool:
        limit, window = _rate()
        now = time.time()
        start = int(now // window) * window
        key = f"motcua:rl:{self.bucket}:{request.META.get('REMOTE_ADDR', '')}:{start}"
        cache.add(key, 0, timeout=window + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window + 1)
            count = 1
        if count > limit:
            self._wait = max(1.0, start + window - now)
            return False
        return True

    def wait(self) -> float | None:
        return self._wait
