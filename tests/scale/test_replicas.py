"""Read replicas (issue 11 §3) against a REAL streaming replica: the test starts its own
primary (wal_level=replica, a replication role in pg_hba), makes a replica of it with
``pg_basebackup -R`` (standby.signal + primary_conninfo), and runs an app server (gunicorn)
with DATABASE_URL on the primary and DATABASE_REPLICA_URLS on the replica.

Replica lag is made real with ``pg_wal_replay_pause()`` on the replica: a citizen who just
saved their profile still reads it (and everything else) from the primary for the sticky
window, while an anonymous reader gets the replica's older rows; when the window ends the
citizen reads from the replica too, and once replay resumes everyone sees the new rows.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.scale.conftest import AppServer, Browser, Pair, base_env, start_app, stop, wait_until

pytestmark = pytest.mark.postgres_only

STICKY_SECONDS = 6  # long enough for a few requests on a busy test machine
PROCEDURE_PAGE = "/thu-tuc/1.004884/"
OLD_NAME = "Thủ tục đăng ký lại khai sinh"
NEW_NAME = "Thủ tục đăng ký lại việc khai sinh"


@pytest.fixture(scope="module")
def pair(pg_pair: Pair) -> Pair:
    return pg_pair


@pytest.fixture(scope="module")
def app(pair) -> Iterator[AppServer]:
    tmp = Path(tempfile.mkdtemp(prefix="motcua-replica-app-"))
    env = base_env(
        tmp,
        pair.primary.url,
        DATABASE_REPLICA_URLS=pair.replica.url,
        DB_REPLICA_STICKY_SECONDS=str(STICKY_SECONDS),
        # the public page cache renders its misses from the primary (core/pagecache.py) and
        # would hide the router's choice for the anonymous pages this module reads
        PUBLIC_CACHE_SECONDS="0",
    )
    server = start_app(env, tmp)
    try:
        yield server
    finally:
        stop(server.proc)
        shutil.rmtree(tmp, ignore_errors=True)


def _procedure_name(page: str) -> str:
    assert NEW_NAME in page or OLD_NAME in page, page[:500]
    return NEW_NAME if NEW_NAME in page else OLD_NAME


def test_a_writer_reads_its_write_from_the_primary_while_the_replica_lags(pair, app):
    anonymous, citizen = Browser(), Browser()
    name_sql = "SELECT full_name FROM accounts_user WHERE username = 'dan_scale'"
    before = pair.primary.sql(name_sql)
    assert _procedure_name(anonymous.get(app.url + PROCEDURE_PAGE).body) == OLD_NAME
    # the replica stops replaying: from now on it lags behind the primary
    pair.replica.sql("SELECT pg_wal_replay_pause()")
    wait_until(
        lambda: pair.replica.sql("SELECT pg_get_wal_replay_pause_state()") == [("paused",)],
        what="replay to pause",
    )
    try:
        citizen.login(app.url)  # its session row never reaches the replica while paused
        # a write (POST) goes to the primary, and so do the writer's next reads
        saved = citizen.post_form(
            app.url + "/tai-khoan/",
            {"full_name": "Trần Thị Dân Mới", "email": "dan.scale@example.vn", "phone": ""},
        )
        assert saved.status == 200 and saved.url.endswith("/tai-khoan/")
        assert 'value="Trần Thị Dân Mới"' in saved.body, saved.body[:2000]
        assert citizen.cookie("motcua_primary") == "1"
        # the replica really is behind: it still has the old name
        assert pair.replica.sql(name_sql) == before != [("Trần Thị Dân Mới",)]
        assert pair.primary.sql(name_sql) == [("Trần Thị Dân Mới",)]

        # a change the catalog got meanwhile (on the primary)
        pair.primary.sql(
            "UPDATE catalog_procedure SET name_vi = %s WHERE code = '1.004884'", NEW_NAME
        )
        # an anonymous reader is served by the replica (still the old name)...
        assert _procedure_name(anonymous.get(app.url + PROCEDURE_PAGE).body) == OLD_NAME
        # ...the citizen who just wrote by the primary (the new one)
        assert _procedure_name(citizen.get(app.url + PROCEDURE_PAGE).body) == NEW_NAME

        # once the sticky window is over, the citizen reads from the replica again
        wait_until(
            lambda: _procedure_name(citizen.get(app.url + PROCEDURE_PAGE).body) == OLD_NAME,
            seconds=STICKY_SECONDS + 20,
            what="the sticky window to end",
            step=0.5,
        )
        # still logged in: sessions and accounts are always read from the primary (the
        # replica has not replayed the log-in's session row; read from it, Django would take
        # the session for gone and delete the cookie)
        profile = citizen.get(app.url + "/tai-khoan/", follow=False)
        assert profile.status == 200 and 'value="Trần Thị Dân Mới"' in profile.body
    finally:
        pair.replica.sql("SELECT pg_wal_replay_resume()")

    # replay resumed: the replica catches up and everyone sees the new rows
    wait_until(pair.caught_up, what="the replica to catch up")
    assert _procedure_name(anonymous.get(app.url + PROCEDURE_PAGE).body) == NEW_NAME
    profile = citizen.get(app.url + "/tai-khoan/")
    assert 'value="Trần Thị Dân Mới"' in profile.body


def test_the_replica_refuses_writes_and_holds_no_extra_schema(pair, app):
    """What the router relies on: the replica is read-only and identical to the primary."""
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        pair.replica.sql("UPDATE accounts_user SET full_name = 'x'")
    count = "SELECT count(*) FROM django_migrations"
    wait_until(pair.caught_up, what="the replica to catch up")
    assert pair.replica.sql(count) == pair.primary.sql(count)
