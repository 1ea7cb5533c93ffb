"""Rate limits and lockouts shared by every worker process: counters in the database.

A counter is a key (``"api:public:203.0.113.9"``, ``"login:account:42"``) with a window that
opens at its first event and lasts ``seconds``; an event after the window closed opens a new
one. Counting is one upsert statement (``INSERT … ON CONFLICT DO UPDATE … RETURNING``, as in
``core.counters``), atomic on PostgreSQL and SQLite alike, so two gunicorn workers (or two
servers) hitting the same key never both see the count they had before: a limit of 120 means
120 for the whole deployment, not 120 per process.

With ``REDIS_URL`` set, the counters live in Redis instead (one Lua script per event, atomic
on the server: the same window rule), shared by every app server without a database write per
look-up; an unreachable Redis fails the request (a 500), never lets it through uncounted.

Callers: the portal's login lockout and tracking limit (``portal.ratelimit``), the public REST
API throttle (``restapi.ratelimit``), the account lockout (``accounts.lockout``), password
reset and registration (``portal.views.account``).
"""

from __future__ import annotations

import hashlib
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from motcua.core.models import RateWindow

TABLE = RateWindow._meta.db_table
# Windows longer than this are not used; rows idle for longer are deleted now and then.
PURGE_AFTER = 2 * 86_400

_UPSERT = (
    f"INSERT INTO {TABLE} (key, started, count) VALUES (%s, %s, 1) "  # noqa: S608 - constant
    f"ON CONFLICT (key) DO UPDATE SET "
    f"count = CASE WHEN {TABLE}.started > %s THEN {TABLE}.count + 1 ELSE 1 END, "
    f"started = CASE WHEN {TABLE}.started > %s THEN {TABLE}.started ELSE excluded.started END "
    f"RETURNING count, started"
)


@dataclass(frozen=True)
class Rate:
    """``count`` events per ``seconds``; parsed from settings written ``"N/SECONDS"``."""

    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str, default: str = "60/60") -> Rate:
        count, _, seconds = str(text or default).partition("/")
        return cls(int(count), int(seconds or 60))


@dataclass(frozen=True)
class Usage:
    """A key's count in its open window and the seconds until that window closes."""

    count: int
    retry_after: int

    def over(self, limit: int) -> bool:
        return self.count > limit


def _key(key: str) -> str:
    # the column is 200 characters: keep long keys (e-mail addresses...) distinct by hashing
    if len(key) <= 200:
        return key
    return key[:150] + ":" + hashlib.sha256(key.encode()).hexdigest()[:40]


def _wait(started: float, seconds: int, now: float) -> int:
    return max(1, int(-(-(started + seconds - now) // 1)))


# KEYS[1]: the counter (a hash: count, started); ARGV: now, seconds. Same rule as _UPSERT.
_REDIS_HIT = """
local started = tonumber(redis.call('HGET', KEYS[1], 'started'))
local now, seconds = tonumber(ARGV[1]), tonumber(ARGV[2])
if started and started > now - seconds then
  local count = redis.call('HINCRBY', KEYS[1], 'count', 1)
  return {count, tostring(started)}
end
redis.call('HSET', KEYS[1], 'count', 1, 'started', ARGV[1])
redis.call('EXPIRE', KEYS[1], math.ceil(seconds) + 1)
return {1, ARGV[1]}
"""
_redis_client = None


def _redis():
    """The process's Redis client when REDIS_URL is set, else None (counters in the database)."""
    global _redis_client
    url = settings.MOTCUA_REDIS_URL
    if not url:
        return None
    if _redis_client is None or _redis_client[0] != url:
        import redis

        client = redis.Redis.from_url(url)
        _redis_client = (url, client, client.register_script(_REDIS_HIT))
    return _redis_client


def _redis_key(key: str) -> str:
    return "motcua:rate:" + _key(key)


def hit(key: str, seconds: int, *, now: float | None = None) -> Usage:
    """Count one event for ``key``; its count (this event included) and the wait."""
    now = time.time() if now is None else now
    shared = _redis()
    if shared is not None:
        count, started = shared[2](keys=[_redis_key(key)], args=[repr(now), seconds])
        return Usage(int(count), _wait(float(started), seconds, now))
    threshold = now - seconds
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [_key(key), now, threshold, threshold])
        count, started = cursor.fetchone()
    if random.random() < 0.001:  # noqa: S311 - housekeeping, not security
        purge(now=now)
    return Usage(int(count), _wait(float(started), seconds, now))


def peek(key: str, seconds: int, *, now: float | None = None) -> Usage:
    """The count in ``key``'s open window, without counting (0 when none is open)."""
    now = time.time() if now is None else now
    shared = _redis()
    if shared is not None:
        count, started = shared[1].hmget(_redis_key(key), "count", "started")
        if started is None or float(started) <= now - seconds:
            return Usage(0, 0)
        return Usage(int(count), _wait(float(started), seconds, now))
    row = RateWindow.objects.filter(key=_key(key), started__gt=now - seconds).first()
    if row is None:
        return Usage(0, 0)
    return Usage(row.count, _wait(row.started, seconds, now))


def allow(key: str, rate: Rate, *, now: float | None = None) -> Usage | None:
    """Count an event; None when it is within ``rate``, else the usage (for Retry-After)."""
    usage = hit(key, rate.seconds, now=now)
    return usage if usage.over(rate.count) else None


def reset(key: str) -> None:
    shared = _redis()
    if shared is not None:
        shared[1].delete(_redis_key(key))
        return
    RateWindow.objects.filter(key=_key(key)).delete()


def purge(*, now: float | None = None) -> int:
    """Delete counters idle for longer than any window; returns how many."""
    now = time.time() if now is None else now
    deleted, _ = RateWindow.objects.filter(started__lt=now - PURGE_AFTER).delete()
    return deleted


def client_ip(request) -> str:
    """The address a limit is keyed on: REMOTE_ADDR, except for a request from a proxy named in
    TRUSTED_PROXIES, where it is the last ``X-Forwarded-For`` address that is not a trusted
    proxy (the one the outermost trusted proxy saw; addresses further left are whatever the
    client wrote and are ignored). Without TRUSTED_PROXIES, X-Forwarded-For is never read."""
    if request is None:
        return "local"
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    trusted = settings.MOTCUA_TRUSTED_PROXIES
    if not trusted or remote not in trusted:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([h for h in hops if h]):
        if hop not in trusted:
            return hop
    return remote
