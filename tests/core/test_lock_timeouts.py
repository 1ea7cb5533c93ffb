"""Locks held by dead or stuck clients: the application's PostgreSQL sessions give up waiting
after ``DB_LOCK_TIMEOUT_MS`` (so a killed client cannot keep the locks it already holds), and a
lock not obtained in time is a 503 "try again" with ``Retry-After``, never a hang or a 500."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.db import DatabaseError, connection, transaction
from django.db.utils import ConnectionHandler
from django.test import RequestFactory

from motcua.agencies.models import Agency
from motcua.core.busy import BusyDatabaseMiddleware, is_busy

ROOT = Path(__file__).resolve().parents[2]


def _raw_connection() -> psycopg.Connection:
    """A second session beside Django's, as another client would have."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    params.pop("server_side_binding", None)
    params.pop("options", None)
    return psycopg.connect(**params, autocommit=False)


@pytest.mark.postgres_only
def test_application_sessions_carry_the_lock_and_idle_timeouts(db, settings):
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == "5s"
        cursor.execute("SHOW idle_in_transaction_session_timeout")
        assert cursor.fetchone()[0] == "1min"


CHILD = """
import os, sys, django
django.setup()
from django.db import transaction
from motcua.agencies.models import Agency
with transaction.atomic():
    Agency.objects.select_for_update().get(code="A")  # this client's own lock
    print("holding A", flush=True)
    Agency.objects.select_for_update().get(code="B")  # waits: another client holds B
"""


@pytest.mark.postgres_only
def test_a_client_killed_while_waiting_releases_its_locks(transactional_db):
    for code in ("A", "B"):
        Agency.objects.create(code=code, name_vi=f"Cơ quan {code}", level="commune")
    other = _raw_connection()
    other.execute("SELECT 1 FROM agencies_agency WHERE code = 'B' FOR UPDATE")
    env = {**os.environ, "DB_LOCK_TIMEOUT_MS": "1000", "SECRET_KEY": "lock-test"}
    env["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
    env["DATABASE_URL"] = _database_url()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        text=True,
    )
    try:
        line = child.stdout.readline().strip()
        assert line == "holding A", child.stderr.read() if child.poll() is not None else line
        time.sleep(0.3)  # now waiting on B
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        probe = _raw_connection()
        started = time.monotonic()
        while True:  # B stays held all along: only the child's lock timeout can free A
            try:
                probe.execute("SELECT 1 FROM agencies_agency WHERE code = 'A' FOR UPDATE NOWAIT")
                break
            except psycopg.errors.LockNotAvailable:
                probe.rollback()
                assert time.monotonic() - started < 10, "A is still locked by a dead client"
                time.sleep(0.1)
        probe.rollback()
        probe.close()
    finally:
        if child.poll() is None:
            child.kill()
        other.rollback()
        other.close()


def _database_url() -> str:
    """The test database, for a child process that configures itself from the environment."""
    d = connection.settings_dict
    return f"postgres://{d['USER']}@{d['HOST']}:{d['PORT']}/{d['NAME']}"


@pytest.mark.postgres_only
def test_a_lock_timeout_is_a_503_try_again(transactional_db):
    Agency.objects.create(code="A", name_vi="Cơ quan A", level="commune")
    other = _raw_connection()
    other.execute("SELECT 1 FROM agencies_agency WHERE code = 'A' FOR UPDATE")
    try:
        with pytest.raises(DatabaseError) as caught, transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = 100")
            Agency.objects.select_for_update().get(code="A")
    finally:
        other.rollback()
        other.close()
    assert is_busy(caught.value)
    response = BusyDatabaseMiddleware(lambda r: None).process_exception(
        RequestFactory().post("/desk/"), caught.value
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert "thử lại" in response.content.decode()


def test_sqlite_busy_is_a_try_again_too(tmp_path, django_db_blocker):
    path = str(tmp_path / "busy.sqlite3")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": path, "OPTIONS": {"timeout": 0}}
    waiter = ConnectionHandler({"default": sqlite})["default"]
    try:
        with django_db_blocker.unblock(), pytest.raises(DatabaseError) as caught:
            waiter.cursor().execute("INSERT INTO t VALUES (1)")
    finally:
        waiter.close()
        holder.execute("ROLLBACK")
    assert is_busy(caught.value)
    assert not is_busy(DatabaseError("no such table: t"))
    assert not is_busy(ValueError("database is locked"))
