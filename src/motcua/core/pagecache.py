"""Whole-response cache of the public, anonymous pages and catalogue API answers.

These answers are the same for every anonymous reader of a language (docs/caching.md): the
portal's home and search (``/``), procedure pages (``/thu-tuc/<ref>/``), the catalogue API
(``/api/v1/catalog/procedures``, ``/api/v1/catalog/agencies`` and one procedure or agency)
and Open311's ``services``. ``PublicCacheMiddleware`` sits before sessions, authentication and
CSRF, so that a hit costs one version read and one cache read, nothing else.

Key: the catalogue version, scheme, host, path, the query's (known) parameters in order, the
language (``core.language``'s rule: the cookie, else Vietnamese) and whether htmx asked for
the results fragment. Invalidation is exact: every change of a catalogue row (procedures and
everything shown with them, fields, agencies, Open311 categories) gives the catalogue a new
version (``bump``), read by every worker and server: in Redis when ``REDIS_URL`` is set (where
the pages are cached too), else in the database (``core.CacheVersion``), since ``make run``'s
two gunicorn workers each have their own in-process cache. ``PUBLIC_CACHE_SECONDS`` is only the
safety net (and ``0`` turns the cache off).

Never cached: a request with any cookie but the language and CSRF cookies (a session: logged in
or carrying messages), an ``Authorization`` header, unknown query parameters (no cache
flooding with ``?x=1``, ``?x=2``…), anything but a GET answered 200, and any response that sets
a cookie (a CSRF token or a session used while rendering): so no cached page can hold a token,
a name or a message. Cached responses carry an ``ETag`` (their content's hash) and the
version's ``Last-Modified``, so clients revalidate with a 304.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import parse_qsl

from django.apps import apps as global_apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from motcua.core import ratelimit
from motcua.core.language import chosen_language
from motcua.core.models import CacheVersion

CATALOG = "catalog"
HEADER = "X-Motcua-Cache"  # hit / miss: for operators and the tests

# path → the query parameters its view reads (anything else: not cached)
_HOME = frozenset({"q", "field", "agency", "level", "online", "page"})
_API_LIST = frozenset({"q", "limit", "offset", "level", "online_mode"})
PAGES: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = (
    (re.compile(r"^/$"), _HOME),
    (re.compile(r"^/thu-tuc/[^/]+/$"), frozenset()),
    (re.compile(r"^/api/v1/catalog/(procedures|agencies)$"), _API_LIST),
    (re.compile(r"^/api/v1/catalog/(procedures|agencies)/[^/]+$"), frozenset()),
    (re.compile(r"^/open311/v2/services\.(json|xml)$"), frozenset({"jurisdiction_id"})),
)
THROTTLED_PREFIX = "/api/v1/catalog/"  # its rate limit holds for cached answers too

# what a catalogue change is: a row of these apps or models (docs/caching.md)
WATCHED_APPS = frozenset({"catalog"})
WATCHED_MODELS = frozenset({"agencies.Agency", "feedback.Category"})


@dataclass(frozen=True)
class Version:
    token: str
    changed: float  # seconds since the epoch, 0 when never changed


# -- the version --------------------------------------------------------------------------------


def _shared() -> bool:
    """Is Django's cache shared by every process (Redis)? Then the version lives there too."""
    return bool(getattr(settings, "MOTCUA_REDIS_URL", ""))


def _cache_key(name: str) -> str:
    return f"pagecache:version:{name}"


def _new_value() -> str:
    return f"{time.time():.6f}:{secrets.token_hex(8)}"


def _parse(value: str) -> Version:
    changed, _, token = value.partition(":")
    return Version(token=token or value, changed=float(changed or 0))


def current(name: str = CATALOG) -> Version:
    """The version every worker and server sees now."""
    if _shared():
        value = cache.get(_cache_key(name))
        if value is None:  # never bumped, or evicted: a fresh one (never an old one again)
            cache.add(_cache_key(name), _new_value(), timeout=None)
            value = cache.get(_cache_key(name)) or _new_value()
        return _parse(value)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT token, changed FROM {CacheVersion._meta.db_table} WHERE key = %s",  # noqa: S608
            [name],
        )
        row = cursor.fetchone()
    return Version(row[0], float(row[1])) if row else Version("0", 0.0)


_UPSERT = (
    f"INSERT INTO {CacheVersion._meta.db_table} (key, token, changed) VALUES (%s, %s, %s) "  # noqa: S608
    "ON CONFLICT (key) DO UPDATE SET token = excluded.token, changed = excluded.changed"
)


def _bump_shared(name: str = CATALOG) -> None:
    cache.set(_cache_key(name), _new_value(), timeout=None)


# names bumped inside ``batched()`` (None outside one): bumped once when the batch ends
_batch: ContextVar[set[str] | None] = ContextVar("pagecache_batch", default=None)


@contextmanager
def batched() -> Iterator[None]:
    """Inside a service's transaction that changes many catalogue rows (an import): one
    ``bump`` when the block ends instead of one per saved row (a write each, in the database
    mode). The bump comes at the end even if the block raises (a needless bump is harmless; a
    missing one would serve stale pages)."""
    if _batch.get() is not None:  # nested: the outer batch bumps
        yield
        return
    token = _batch.set(set())
    try:
        yield
    finally:
        names = _batch.get() or set()
        _batch.reset(token)
        for name in sorted(names):
            bump(name)


def bump(name: str = CATALOG) -> None:
    """The catalogue changed: every cached page and API answer is stale from now on.

    In the database, the new version is written in the caller's transaction, so it becomes
    visible together with the change it announces. In Redis, it is set once the transaction
    commits (once per transaction however many rows changed): a reader that sees the new
    version then reads the committed rows; one that saw the old version caches under a key
    nobody reads any more.
    """
    pending = _batch.get()
    if pending is not None:
        pending.add(name)
        return
    if not _shared():
        with connection.cursor() as cursor:
            cursor.execute(_UPSERT, [name, secrets.token_hex(8), time.time()])
        return
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        _bump_shared(name)
        return
    if not any(getattr(func, "pagecache_bump", None) == name for _, func, _ in conn.run_on_commit):

        def after_commit() -> None:
            _bump_shared(name)

        after_commit.pagecache_bump = name  # type: ignore[attr-defined]
        transaction.on_commit(after_commit)


def _watched(sender) -> bool:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.apps is not global_apps:  # migrations' historical models
        return False
    return meta.app_label in WATCHED_APPS or meta.label in WATCHED_MODELS


def _on_change(sender, **kwargs) -> None:
    if _watched(sender):
        bump()


def _on_m2m(sender, action: str, instance, **kwargs) -> None:
    # sender: the relation's through model (catalog's procedure–agency links)
    if action.startswith("post_") and (_watched(sender) or _watched(type(instance))):
        bump()


def connect_signals() -> None:
    """Called once from ``CoreConfig.ready``: saves and deletes through the ORM. Services that
    change rows in bulk (``bulk_create``, ``QuerySet.update``) call ``bump`` themselves."""
    post_save.connect(_on_change, dispatch_uid="pagecache-save")
    post_delete.connect(_on_change, dispatch_uid="pagecache-delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="pagecache-m2m")


# -- the middleware ----------------------------------------------------------------------------


def seconds() -> int:
    return int(getattr(settings, "MOTCUA_PUBLIC_CACHE_SECONDS", 0))


def _allowed_cookies() -> frozenset[str]:
    return frozenset({settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME})


def page_key(request: HttpRequest) -> str | None:
    """The request's key without the version, or None when the request is not cacheable."""
    if request.method != "GET" or seconds() <= 0:
        return None
    path = request.path_info
    params = next((known for pattern, known in PAGES if pattern.match(path)), None)
    if params is None:
        return None
    if request.META.get("HTTP_AUTHORIZATION") or not _allowed_cookies().issuperset(request.COOKIES):
        return None
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        return None  # SecurityMiddleware redirects it
    query = parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    if any(name not in params for name, _ in query):
        return None
    parts = [
        request.scheme,
        request.get_host(),  # ALLOWED_HOSTS checked here too (DisallowedHost: a 400)
        path,
        repr(query),
        chosen_language(request),
        request.headers.get("HX-Request", ""),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _storable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "Set-Cookie" not in response
    )


def _throttled(request: HttpRequest) -> bool:
    """The catalogue API's per-IP limit, counted for a cached answer as for a computed one:
    the very counter of ``restapi.ratelimit.PublicRateLimit("catalog")`` (same key, same
    rate; ``tests/core/test_pagecache.py`` counts hits and misses together). Core does not
    import the API layer, hence the key written here."""
    if not request.path_info.startswith(THROTTLED_PREFIX):
        return False
    rate = ratelimit.Rate.parse(getattr(settings, "MOTCUA_API_PUBLIC_RATE", "120/60"))
    return ratelimit.allow(f"api:catalog:{ratelimit.client_ip(request)}", rate) is not None


def _conditional(request: HttpRequest, response: HttpResponse, changed: float) -> HttpResponse:
    return get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=int(changed) if changed else None,
        response=response,
    )


class PublicCacheMiddleware:
    """Serves and stores the cacheable requests of ``page_key``; see the module's docstring."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = page_key(request)
        if key is None:
            return self.get_response(request)
        version = current()
        cache_key = f"pagecache:{version.token}:{key}"
        entry = cache.get(cache_key)
        if entry is not None and not _throttled(request):
            content, headers = entry
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response[HEADER] = "hit"
            return _conditional(request, response, version.changed)
        response = self._render(request)
        if not _storable(response):
            return response
        response["ETag"] = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        if version.changed:
            response["Last-Modified"] = http_date(int(version.changed))
        # clients may keep it, but ask again each time (a 304 while the catalogue is the same)
        response["Cache-Control"] = "no-cache"
        headers = [(k, v) for k, v in response.items() if k != HEADER]
        cache.set(cache_key, (response.content, headers), seconds())
        response[HEADER] = "miss"
        return _conditional(request, response, version.changed)

    def _render(self, request: HttpRequest) -> HttpResponse:
        # from the primary: a lagging replica could otherwise put an old page under the new
        # version for the whole safety-net time
        from motcua.core.replicas import primary

        with primary():
            return self.get_response(request)
