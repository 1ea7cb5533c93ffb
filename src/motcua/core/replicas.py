"""Read replicas: read-only requests read from a streaming replica, everything else from the
primary (``DATABASE_URL``). On only when ``DATABASE_REPLICA_URLS`` names replicas.

Which requests are read-only is decided per request by ``ReplicaMiddleware``, not per view:
a GET or HEAD (queue lists, dashboards, public pages, API reads) from a client that has not
written recently. Everything else reads from the primary:

- a non-safe method (POST, PUT, PATCH, DELETE): the request may read what it then writes;
- a client that wrote within ``DB_REPLICA_STICKY_SECONDS`` (read-after-write: the replica may
  not have replayed that write yet). A write marks the client in two ways: a cookie
  (``motcua_primary``, lasting the window: browsers, whatever server answers next) and, in
  Django's cache (shared through Redis by every app server), the hash of its session cookie and
  of its ``Authorization`` header (API clients that keep no cookies);
- from the moment a request writes through the ORM, its later reads (a GET that records
  something, then shows it);
- inside a transaction on the primary (``transaction.atomic``: a service function reads the
  rows it is about to change from the database it changes them in);
- sessions and user accounts: a request's identity is always the primary's, so that a lagging
  replica can never log anyone out (a session row it has not replayed yet looks like no
  session at all, and Django then deletes the cookie; an account whose password just changed
  would fail the session's hash check);
- a view decorated with ``@primary()`` (or code under ``with primary():``), for pages that must be
  exact even for a client that did not write (none needs it today).

Writes always go to the primary (``db_for_write``), and raw SQL through
``django.db.connection`` (counters, rate limits, health check) is the primary's by
construction. Migrations run on the primary only; replicas get them by streaming.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

COOKIE = "motcua_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class _State:
    read_only: bool = False  # this request may read from a replica
    wrote: bool = False  # it has written: its later reads go to the primary
    replica: str | None = None  # the one replica this request reads from


_IDENTITY_MODELS = frozenset({"sessions.Session", settings.AUTH_USER_MODEL})
_state: contextvars.ContextVar[_State | None] = contextvars.ContextVar("replicas", default=None)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias != DEFAULT_DB_ALIAS]


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry (settings.py adds it when replicas are configured)."""

    def db_for_read(self, model, **hints) -> str:
        state = _state.get()
        if state is None or not state.read_only or state.wrote:
            return DEFAULT_DB_ALIAS
        if model._meta.label in _IDENTITY_MODELS:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        if state.replica is None:
            aliases = replica_aliases()
            if not aliases:
                return DEFAULT_DB_ALIAS
            # one replica for the whole request: replicas lag by different amounts, and a
            # page's count and its list must come from the same moment
            state.replica = random.choice(aliases)  # noqa: S311 - spreading load
        return state.replica

    def db_for_write(self, model, **hints) -> str:
        state = _state.get()
        if state is not None:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replicas hold the primary's very rows

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS


@contextlib.contextmanager
def primary() -> Iterator[None]:
    """Read from the primary inside this block; also a view decorator: ``@primary()``."""
    token = _state.set(_State(read_only=False))
    try:
        yield
    finally:
        _state.reset(token)


def _identities(request: HttpRequest) -> list[str]:
    """Hashes of what identifies the client across requests and servers."""
    found = []
    session = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if session:
        found.append("s:" + session)
    authorization = request.META.get("HTTP_AUTHORIZATION")
    if authorization:
        found.append("a:" + authorization)
    return [_key(value) for value in found]


def _key(value: str) -> str:
    return "replicas:wrote:" + hashlib.sha256(value.encode()).hexdigest()[:32]


def _wrote_recently(request: HttpRequest) -> bool:
    if request.COOKIES.get(COOKIE):
        return True
    keys = _identities(request)
    return bool(keys) and bool(cache.get_many(keys))


class ReplicaMiddleware:
    """Marks read-only requests (see the module's docstring) and remembers who wrote."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        if not replica_aliases():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        read_only = request.method in SAFE_METHODS and not _wrote_recently(request)
        state = _State(read_only=read_only)
        token = _state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if request.method not in SAFE_METHODS or state.wrote:
            self._remember(request, response)
        return response

    @staticmethod
    def _remember(request: HttpRequest, response: HttpResponse) -> None:
        seconds = settings.MOTCUA_REPLICA_STICKY_SECONDS
        if seconds <= 0:
            return
        response.set_cookie(
            COOKIE,
            "1",
            max_age=seconds,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
        # the session cookie as it leaves (a log-in rotates it) and as it came
        keys = set(_identities(request))
        session = response.cookies.get(settings.SESSION_COOKIE_NAME)
        if session is not None and session.value:
            keys.add(_key("s:" + session.value))
        if keys:
            cache.set_many(dict.fromkeys(keys, 1), timeout=seconds)
