"""Rate limits counted in one store shared by every worker process (issue 9 §2).

Before: the public API counted in each process's memory (two gunicorn workers allowed twice
the limit), and password reset and registration had no limit at all."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client

from motcua.accounts.models import User
from motcua.core import ratelimit
from motcua.core.models import RateWindow

PROJECT = Path(__file__).resolve().parents[2]

WORKER = textwrap.dedent(
    """
    import sys
    import django
    django.setup()
    from django.db import connection
    from motcua.core import ratelimit
    from motcua.core.models import RateWindow
    if sys.argv[1] == "init":
        with connection.schema_editor() as editor:
            editor.create_model(RateWindow)
    else:
        key, hits, limit = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        rate = ratelimit.Rate(limit, 3600)
        print(sum(ratelimit.allow(key, rate) is None for _ in range(hits)))
    """
)


def _database_url(tmp_path: Path) -> str:
    """The test database on PostgreSQL (the processes commit their own rows); on SQLite,
    whose test database is in memory, a file with the counter table."""
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        return (
            f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or 'localhost'}:"
            f"{s['PORT'] or 5432}/{s['NAME']}"
        )
    return f"sqlite:///{tmp_path / 'counters.sqlite3'}"


def _run(args: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, *args],
        env=env,
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.django_db(transaction=True)
def test_two_processes_share_one_budget(tmp_path):
    """Two OS processes, each with its own database connection, hit the same key at the same
    time: together they are allowed exactly the limit, and every hit is counted once."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "DATABASE_URL": _database_url(tmp_path),
        "SECRET_KEY": "test-only",
        "DB_PREPARED_STATEMENTS": "false",
    }
    if connection.vendor != "postgresql":
        init = _run(["init"], env)
        assert init.wait(120) == 0, init.stderr.read()
    key = f"test:shared:{uuid.uuid4().hex}"
    workers = [_run(["hit", key, "60", "50"], env) for _ in range(2)]
    allowed = []
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
        allowed.append(int(out.strip()))
    assert sum(allowed) == 50  # per process memory would have allowed 2 × 50
    if connection.vendor == "postgresql":
        assert ratelimit.peek(key, 3600).count == 120
        ratelimit.reset(key)


def test_counts_are_atomic_and_windows_restart(db):
    assert [ratelimit.hit("k", 60, now=1000.0).count for _ in range(3)] == [1, 2, 3]
    assert ratelimit.peek("k", 60, now=1030.0) == ratelimit.Usage(3, 30)
    assert ratelimit.peek("k", 60, now=1060.5).count == 0  # the window has closed
    assert ratelimit.hit("k", 60, now=1061.0) == ratelimit.Usage(1, 60)  # a new one opens
    long_key = "reset:email:" + "x" * 300 + "@example.vn"
    assert ratelimit.hit(long_key, 60).count == 1 and ratelimit.hit(long_key + "y", 60).count == 1


@pytest.fixture
def api(db, settings):
    settings.MOTCUA_API_PUBLIC_RATE = "3/60"
    return Client()


def test_public_api_counts_in_the_database_not_in_process_memory(api):
    for _ in range(3):
        assert api.get("/api/v1/catalog/procedures").status_code == 200
    assert RateWindow.objects.get(key="api:catalog:127.0.0.1").count == 3
    cache.clear()  # a per-process cache forgetting changes nothing: the count is shared
    limited = api.get("/api/v1/catalog/procedures")
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60


def test_password_reset_requests_are_limited_per_address_and_per_email(db, settings):
    settings.MOTCUA_PASSWORD_RESET_RATE = "3/3600"
    User.objects.create_user("binh@example.vn", email="binh@example.vn", password="x")
    client = Client(REMOTE_ADDR="203.0.113.1")
    for _ in range(3):
        assert client.post("/quen-mat-khau/", {"email": "binh@example.vn"}).status_code == 302
    limited = client.post("/quen-mat-khau/", {"email": "nobody@example.vn"})
    assert limited.status_code == 429 and 1 <= int(limited["Retry-After"]) <= 3600
    assert "quá nhiều yêu cầu" in limited.content.decode()
    assert len(mail.outbox) == 3
    # the same e-mail from other addresses is limited too (whether or not it has an account)
    for n, email in enumerate(("binh@example.vn", "nobody@example.vn")):
        for i in range(3):
            other = Client(REMOTE_ADDR=f"203.0.113.{10 + 3 * n + i}")
            response = other.post("/quen-mat-khau/", {"email": email})
            assert response.status_code == (429 if email == "binh@example.vn" else 302)
    assert len(mail.outbox) == 3


def test_registration_is_limited_per_address(db, settings):
    settings.MOTCUA_REGISTRATION_RATE = "2/3600"
    client = Client(REMOTE_ADDR="203.0.113.50")
    password = "Lua-gao-Can-Tho-2025"
    for n in range(3):
        response = client.post(
            "/dang-ky/",
            {
                "full_name": "Trần Văn Bình",
                "phone": f"091234567{n}",
                "password1": password,
                "password2": password,
            },
        )
        assert response.status_code == (429 if n == 2 else 302)
    assert "Retry-After" in response and "quá nhiều yêu cầu" in response.content.decode()
    assert User.objects.count() == 2


def test_tracking_limit_answers_with_retry_after(db, settings):
    settings.MOTCUA_TRACKING_PER_HOUR = 1
    client = Client()
    client.get("/tra-cuu/", {"code": "X", "digits": "1234"})
    limited = client.get("/tra-cuu/", {"code": "X", "digits": "1234"})
    assert limited.status_code == 429 and 1 <= int(limited["Retry-After"]) <= 3600
