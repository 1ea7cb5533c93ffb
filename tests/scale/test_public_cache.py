"""The public page cache across processes (core/pagecache.py, docs/caching.md): two real
gunicorn servers, each with its own process state. With REDIS_URL they share the cached pages
and the catalogue version; without it (``make run``: in-process caches) each caches for itself
but both read the version from the database. Either way a catalogue change written by a third
process shows on both servers at the next request."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.scale.conftest import ROOT, AppServer, Browser, base_env, start_app, stop

RENAME = """
import sys, django
django.setup()
from motcua.catalog.models import Field
field = Field.objects.get(name_vi__startswith="Hộ tịch")
field.name_vi = sys.argv[1]
field.save()
"""


def _pair(env, tmp) -> Iterator[tuple[AppServer, AppServer]]:
    first = start_app(env, tmp)
    try:
        second = start_app(env, tmp)
        try:
            yield first, second
        finally:
            stop(second.proc)
    finally:
        stop(first.proc)


@pytest.fixture(scope="module", params=["redis", "database"])
def servers(request, app_db, redis_server) -> Iterator[tuple[str, dict, AppServer, AppServer]]:
    extra = {"REDIS_URL": redis_server.url} if request.param == "redis" else {}
    env = base_env(app_db.tmp, app_db.url, PUBLIC_CACHE_SECONDS="300", **extra)
    for first, second in _pair(env, app_db.tmp):
        yield request.param, env, first, second


def get(server: AppServer, path: str):
    return Browser().get(server.url + path, headers={"Host": "127.0.0.1"})


def _rename(env: dict, name: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", RENAME, name], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]


def test_a_catalogue_change_shows_on_every_server_at_once(servers, redis_server):
    store, env, first, second = servers
    name = f"Hộ tịch ({store})"
    # the host is part of the key: the same name for both, as behind a reverse proxy
    pages = [get(server, "/") for server in (first, second, first, second)]
    assert all(p.status == 200 for p in pages)
    caches = [p.headers["X-Motcua-Cache"] for p in pages]
    if store == "redis":  # one cache for both servers: the second server's first answer hits
        assert caches == ["miss", "hit", "hit", "hit"]
        assert redis_server.client().keys("motcua:*pagecache:*")
    else:  # one cache per process, the version in the database
        assert caches == ["miss", "miss", "hit", "hit"]
    assert len({p.body for p in pages}) == 1
    assert not any("Set-Cookie" in p.headers for p in pages)
    _rename(env, name)
    after = [get(server, "/") for server in (second, first)]
    assert all(name in page.body for page in after)
    shared = store == "redis"  # the second server's fresh page is the first one's too
    assert [p.headers["X-Motcua-Cache"] for p in after] == ["miss", "hit" if shared else "miss"]
