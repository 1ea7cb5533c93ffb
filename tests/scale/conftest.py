"""Real servers for the "past one machine" tests (issue 11 §3): Redis, an S3-compatible server
(moto in server mode), app servers (gunicorn as production starts it), each started on a free
port in a temporary directory and stopped afterwards. Module-scoped: started once per file.

The app servers share one database prepared once per module (``AppDatabase``): a SQLite file
unless a test passes another URL (the replica tests bring their own PostgreSQL pair).
"""

from __future__ import annotations

import contextlib
import ctypes
import http.cookiejar
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from unittest import mock

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("with_postgres", ROOT / "scripts/with_postgres.py")
with_postgres = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(with_postgres)  # type: ignore[union-attr]
free_port = with_postgres.free_port

BOOT_SECONDS = 60
PASSWORD = "x-Secret-123"
CITIZEN_EMAIL = "dan.scale@example.vn"

# Schema and the small world of tests/dossiers (agencies, procedure 1.004884, officers) plus a
# citizen who logs in with an e-mail address.
SEED = f"""
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from tests.dossiers.conftest import make_world
from motcua.accounts.models import User
make_world()
User.objects.create_user(
    username="dan_scale", email={CITIZEN_EMAIL!r}, password={PASSWORD!r}, full_name="Trần Thị Dân"
)
"""


def wait_until(check, *, seconds: float = 20, what: str = "condition", step: float = 0.05):
    """Poll ``check`` until it returns something truthy (returned), failing after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(step)


def stop(*procs: subprocess.Popen) -> None:
    """SIGTERM to every process at once (each shuts down gracefully in parallel, not one after
    the other), then SIGKILL to any still running 15 s later."""
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    deadline = time.monotonic() + 15
    for proc in procs:
        try:
            proc.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True  # it answered
    except OSError:
        return False


# -- settings.py as the environment builds it ------------------------------------------------
SCALE_VARS = (
    "DATABASE_REPLICA_URLS",
    "DB_POOL_MAX_SIZE",
    "REDIS_URL",
    "S3_BUCKET",
    "S3_ENDPOINT_URL",
    "TRUSTED_PROXIES",
)


def settings_with(**env: str) -> ModuleType:
    """settings.py evaluated afresh with ``env`` (the rest of the environment cleared of the
    variables under test)."""
    clean = {k: v for k, v in os.environ.items() if k not in SCALE_VARS}
    clean.update(SECRET_KEY="x", **env)
    with mock.patch.dict(os.environ, clean, clear=True):
        spec = importlib.util.find_spec("motcua.settings")
        module = importlib.util.module_from_spec(spec)
        with mock.patch.dict(sys.modules):
            spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


# -- Redis ------------------------------------------------------------------------------------
@dataclass
class Redis:
    port: int
    proc: subprocess.Popen

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        import redis

        return redis.Redis.from_url(self.url)


@pytest.fixture(scope="module")
def redis_server() -> Iterator[Redis]:
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    assert Path(binary).exists(), "redis-server not found (apt package redis-server)"
    tmp = Path(tempfile.mkdtemp(prefix="motcua-redis-"))
    port = free_port()
    proc = subprocess.Popen(
        [
            *(binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp)),
            *("--save", "", "--appendonly", "no", "--protected-mode", "yes"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = Redis(port, proc)
    try:
        client = server.client()

        def pong() -> bool:
            assert proc.poll() is None, "redis-server exited"
            with contextlib.suppress(Exception):
                return bool(client.ping())
            return False

        wait_until(pong, what="redis-server")
        yield server
    finally:
        stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)


# -- S3 (moto in server mode) -----------------------------------------------------------------
@dataclass
class S3:
    port: int
    proc: subprocess.Popen
    access_key: str = "motcua-test"
    secret_key: str = "motcua-test-secret"  # a throw-away local server's

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
        )

    def env(self, bucket: str) -> dict[str, str]:
        return {
            "S3_BUCKET": bucket,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": self.access_key,
            "S3_SECRET_ACCESS_KEY": self.secret_key,
        }


@pytest.fixture(scope="module")
def s3_server() -> Iterator[S3]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        server = S3(port, proc)
        wait_until(
            lambda: proc.poll() is None and _answers(server.endpoint + "/"), what="moto server"
        )
        yield server
    finally:
        stop(proc)


# -- the application --------------------------------------------------------------------------
@dataclass
class AppDatabase:
    url: str
    tmp: Path


def seed(env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SEED], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]


def base_env(tmp: Path, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of an app process. DEBUG only so that pages render without a collected
    static manifest (everything this file checks is independent of it)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"MOTCUA_TEST_DB"} and not k.startswith(("S3_", "REDIS_", "DATABASE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="motcua.settings",
        DATABASE_URL=database_url,
        SECRET_KEY="scale-tests-shared-secret",  # the same in every app server, as in production
        DEBUG="1",
        MEDIA_ROOT=str(tmp / "media"),
        STATIC_ROOT=str(tmp / "static"),
        PYTHONPATH=str(ROOT),  # the seed script imports tests.dossiers
        PYTHONUNBUFFERED="1",  # gunicorn's access log reaches its file line by line
    )
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def app_db(migrated_sqlite_template) -> Iterator[AppDatabase]:
    """A SQLite file with the schema and the small world, shared by a module's app servers:
    a copy of the session's migrated file (tests/migrated.py), the world seeded into it (the
    seed's own ``migrate`` then finds nothing to do)."""
    from tests.migrated import copy_database

    tmp = Path(tempfile.mkdtemp(prefix="motcua-scale-"))
    url = f"sqlite:///{copy_database(migrated_sqlite_template, tmp / 'db.sqlite3')}"
    try:
        seed(base_env(tmp, url))
        yield AppDatabase(url, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@dataclass
class AppServer:
    port: int
    proc: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def start_app(env: dict[str, str], tmp: Path, *gunicorn_args: str) -> AppServer:
    """gunicorn with the project's configuration (one worker: each server is one process with
    its own in-process state), waiting for /healthz."""
    port = free_port()
    log = tmp / f"gunicorn-{port}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "--config", "python:motcua.gunicorn_conf"),
                *("--bind", f"127.0.0.1:{port}", "--workers", "1", *gunicorn_args),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = AppServer(port, proc, log)

    def healthy() -> bool:
        assert proc.poll() is None, server.output()
        return _answers(server.url + "/healthz")

    wait_until(healthy, seconds=BOOT_SECONDS, what=f"app server on {port}", step=0.1)
    return server


# -- PostgreSQL: a primary and its streaming replica ------------------------------------------
@dataclass
class PgServer:
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
    primary: PgServer
    replica: PgServer

    def caught_up(self) -> bool:
        (lsn,) = self.primary.sql("SELECT pg_current_wal_lsn()::text")[0]
        (ok,) = self.replica.sql("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", lsn)[0]
        return bool(ok)


@pytest.fixture(scope="session")
def pg_pair() -> Iterator[Pair]:
    """A PostgreSQL primary and a streaming replica of it (pg_basebackup), with the schema and
    the small world written on the primary and replayed by the replica."""
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
    primary = PgServer(bindir, run_as, tmp / "primary", tmp, free_port(), tmp / "primary.log")
    replica = PgServer(bindir, run_as, tmp / "replica", tmp, free_port(), tmp / "replica.log")

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
        pair = Pair(primary, replica)
        seed(base_env(tmp, primary.url))  # schema and data written on the primary only...
        wait_until(pair.caught_up, what="the replica to replay the seed")  # ...streamed over
        yield pair
    finally:
        replica.stop()
        primary.stop()
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        shutil.rmtree(tmp, ignore_errors=True)


# -- an HTTP client keeping cookies, like a browser -------------------------------------------
@dataclass
class Response:
    status: int
    url: str
    body: str
    headers: dict[str, str]


@dataclass
class Browser:
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)
    headers: dict[str, str] = field(default_factory=dict)

    def _opener(self, follow: bool):
        handlers: list = [urllib.request.HTTPCookieProcessor(self.jar)]
        if not follow:
            handlers.append(_NoRedirect())
        return urllib.request.build_opener(*handlers)

    def request(
        self, url: str, data: dict | None = None, *, follow: bool = True, headers=None
    ) -> Response:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(url, data=body, headers={**self.headers, **(headers or {})})
        try:
            with self._opener(follow).open(req, timeout=30) as r:
                return Response(r.status, r.url, r.read().decode(errors="replace"), dict(r.headers))
        except urllib.error.HTTPError as e:
            return Response(e.code, url, e.read().decode(errors="replace"), dict(e.headers))

    def get(self, url: str, **kw) -> Response:
        return self.request(url, **kw)

    def post_form(self, url: str, fields: dict, *, form_url: str | None = None, **kw) -> Response:
        """Fetch the form page for its CSRF token, then post (as a browser submits a form)."""
        page = self.get(form_url or url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        assert token, page.body[:500]
        headers = {"Referer": url, **(kw.pop("headers", None) or {})}
        return self.request(
            url, {"csrfmiddlewaretoken": token.group(1), **fields}, headers=headers, **kw
        )

    def login(self, base: str, email: str = CITIZEN_EMAIL, password: str = PASSWORD) -> Response:
        response = self.post_form(
            base + "/dang-nhap/", {"identifier": email, "password": password}, follow=False
        )
        assert response.status == 302, (response.status, response.body[:800])
        return response

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
