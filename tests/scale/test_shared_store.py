"""Stateless app servers (issue 11 §3): with REDIS_URL, sessions, rate-limit counters and
Django's cache live in Redis, so two app processes (each with its own in-process state) behave
as one. Real redis-server and real gunicorn processes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from motcua.core import ratelimit
from tests.scale.conftest import AppServer, Browser, base_env, start_app, stop

TRACKING_LIMIT = 3


@pytest.fixture(scope="module")
def servers(app_db, redis_server) -> Iterator[tuple[AppServer, AppServer]]:
    env = base_env(
        app_db.tmp,
        app_db.url,
        REDIS_URL=redis_server.url,
        TRACKING_PER_HOUR=str(TRACKING_LIMIT),
    )
    started: list[AppServer] = []
    try:
        started.append(start_app(env, app_db.tmp))
        started.append(start_app(env, app_db.tmp))
        yield started[0], started[1]
    finally:
        stop(*(server.proc for server in started))


def _rows(db_url: str, sql: str) -> list[tuple]:
    path = Path(db_url.removeprefix("sqlite:///"))
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


def test_a_session_opened_on_one_server_is_valid_on_the_other(servers, app_db, redis_server):
    first, second = servers
    browser = Browser()
    browser.login(first.url)
    profile = browser.get(second.url + "/tai-khoan/", follow=False)
    assert profile.status == 200, profile.status
    assert "Trần Thị Dân" in profile.body
    # the session is in Redis, not in the database
    assert _rows(app_db.url, "SELECT count(*) FROM django_session") == [(0,)]
    session_keys = redis_server.client().keys("motcua:*django.contrib.sessions.cache*")
    assert len(session_keys) == 1
    # logging out on the second server ends the session on the first
    browser.post_form(second.url + "/dang-xuat/", {}, form_url=second.url + "/tai-khoan/")
    again = browser.get(first.url + "/tai-khoan/", follow=False)
    assert again.status == 302 and "/dang-nhap/" in again.headers["Location"]


def test_the_tracking_rate_limit_counts_across_servers(servers, app_db, redis_server):
    first, second = servers
    query = "/tra-cuu/?code=000.01.21.H13-250124-0001&digits=0000"
    anonymous = Browser()
    answers = [
        anonymous.get((first if i % 2 == 0 else second).url + query).status
        for i in range(TRACKING_LIMIT + 1)
    ]
    # 3 look-ups allowed for the deployment (2 on one server, 1 on the other), the 4th refused
    assert answers == [200] * TRACKING_LIMIT + [429]
    refused = anonymous.get(first.url + query)
    assert refused.status == 429 and int(refused.headers["Retry-After"]) > 0
    # counted in Redis, not in the database's rate windows
    assert _rows(app_db.url, "SELECT count(*) FROM core_ratewindow") == [(0,)]
    assert redis_server.client().hget("motcua:rate:track:127.0.0.1", "count") == b"5"


def test_the_page_cache_is_shared(servers, redis_server):
    first, second = servers
    client = redis_server.client()
    assert not client.keys("motcua:*stats:public*")
    assert Browser().get(first.url + "/thong-ke/").status == 200
    cached = client.keys("motcua:*stats:public*")
    assert len(cached) == 1  # the figures the first server computed...
    assert Browser().get(second.url + "/thong-ke/").status == 200
    assert client.keys("motcua:*stats:public*") == cached  # ...are the second server's


@pytest.mark.django_db
def test_redis_counters_keep_the_database_counters_window_rule(redis_server, settings):
    """The same window rule as the database upsert: opens at the first event, lasts `seconds`,
    an event after it closed opens a new one; peek does not count; reset forgets."""
    settings.MOTCUA_REDIS_URL = redis_server.url
    key = "test:window-rule"
    ratelimit.reset(key)
    assert ratelimit.hit(key, 60, now=1000.0).count == 1
    assert ratelimit.hit(key, 60, now=1030.0) == ratelimit.Usage(2, 30)
    assert ratelimit.peek(key, 60, now=1059.5) == ratelimit.Usage(2, 1)
    assert ratelimit.allow(key, ratelimit.Rate(2, 60), now=1059.9) is not None  # the 3rd
    assert ratelimit.hit(key, 60, now=1060.0).count == 1  # window closed: a new one
    assert ratelimit.peek(key, 60, now=1130.0) == ratelimit.Usage(0, 0)
    ratelimit.reset(key)
    assert ratelimit.peek(key, 60, now=1061.0) == ratelimit.Usage(0, 0)
    # nothing was written to the database's counters
    from motcua.core.models import RateWindow

    assert not RateWindow.objects.filter(key=key).exists()
