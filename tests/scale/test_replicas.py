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

import contextlib
import ctypes
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tests.scale.conftest import (
    AppServer,
    Browser,
    base_env,
    free_port,
    seed,
    start_app,
    stop,
    wait_until,
    with_postgres,
)

pytestmark = pytest.mark.postgres_only

STICKY_SECONDS = 6  # long enough for a few requests on a busy test machine
PROCEDURE_PAGE = "/thu-tuc/1.004884/"
OLD_NAME = "Thủ tục đăng ký lại khai sinh"
NEW_NAME = "Thủ tục đăng ký lại việc khai sinh"


@dataclass
class Server:
    bindir: Path
    run_as: list[str]
    data: Path
    sock: Path
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"postgres://motcua@127.0.0.1:{self.port}/postgres"

    def start(self, *options: str) -> None:
        done = subprocess.run(
            [
                *(*self.run_as, str(self.bindir / "pg_ctl"), "-D", str(self.data)),
                *("-l", str(self.log), "-w", "-t", "60", "start"),
                *("-o", " ".join([*self.base_options(), *options])),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr + self.log.read_text()[-3000:]

    def base_options(self) -> list[str]:
        return [
            f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1",
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=on",
            "-c max_connections=40",
        ]

    def stop(self) -> None:
        subprocess.run(
            [*self.run_as, str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )

    def sql(self, statement: str, *params) -> list[tuple]:
        with psycopg.connect(self.url, autocommit=True) as conn:
            cursor = conn.execute(statement, params)
            return cursor.fetchall() if cursor.description else []


PR_SET_CHILD_SUBREAPER = 36


@dataclass
class Pair:
    primary: Server
    replica: Server

    def caught_up(self) -> bool:
        (lsn,) = self.primary.sql("SELECT pg_current_wal_lsn()::text")[0]
        (ok,) = self.replica.sql("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", lsn)[0]
        return bool(ok)


@pytest.fixture(scope="module")
def pair() -> Iterator[Pair]:
    bindir = with_postgres.find_bindir()
    assert bindir is not None, "PostgreSQL binaries (initdb) not found"
    as_root = os.geteuid() == 0
    if as_root and subprocess.call(["id", "postgres"], stdout=subprocess.DEVNULL) != 0:
        subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
    run_as = ["runuser", "-u", "postgres", "--"] if as_root else []
    tmp = Path(tempfile.mkdtemp(prefix="motcua-replica-"))
    if as_root:
        shutil.chown(tmp, "postgres")
    # pg_ctl leaves the postmasters orphans: adopt them so that they are reaped when stopped
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    primary = Server(bindir, run_as, tmp / "primary", tmp, free_port(), tmp / "primary.log")
    replica = Server(bindir, run_as, tmp / "replica", tmp, free_port(), tmp / "replica.log")

    def pg(*cmd: str) -> None:
        subprocess.run([*run_as, *cmd], check=True, stdout=subprocess.DEVNULL)

    try:
        pg(
            str(bindir / "initdb"),
            *("-D", str(primary.data), "-U", "motcua", "--auth=trust", "-E", "UTF8"),
            "--locale=C.UTF-8",
        )
        with open(primary.data / "pg_hba.conf", "a") as hba:
            hba.write("host replication replicator 127.0.0.1/32 trust\n")
        primary.start("-c wal_level=replica -c max_wal_senders=4")
        primary.sql("CREATE ROLE replicator WITH REPLICATION LOGIN")
        pg(
            str(bindir / "pg_basebackup"),
            *("-h", "127.0.0.1", "-p", str(primary.port), "-U", "replicator"),
            *("-D", str(replica.data), "-R", "-X", "stream", "-c", "fast"),
        )
        assert (replica.data / "standby.signal").exists()
        assert "primary_conninfo" in (replica.data / "postgresql.auto.conf").read_text()
        replica.start("-c hot_standby=on")
        assert replica.sql("SELECT pg_is_in_recovery()") == [(True,)]
        yield Pair(primary, replica)
    finally:
        replica.stop()
        primary.stop()
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def app(pair) -> Iterator[AppServer]:
    tmp = Path(tempfile.mkdtemp(prefix="motcua-replica-app-"))
    seed(base_env(tmp, pair.primary.url))  # schema and data written on the primary only...
    wait_until(pair.caught_up, what="the replica to replay the seed")  # ...streamed over
    env = base_env(
        tmp,
        pair.primary.url,
        DATABASE_REPLICA_URLS=pair.replica.url,
        DB_REPLICA_STICKY_SECONDS=str(STICKY_SECONDS),
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
        stale = pair.replica.sql("SELECT full_name FROM accounts_user WHERE username='dan_scale'")
        assert stale == [("Trần Thị Dân",)]
        assert pair.primary.sql(
            "SELECT full_name FROM accounts_user WHERE username='dan_scale'"
        ) == [("Trần Thị Dân Mới",)]

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
