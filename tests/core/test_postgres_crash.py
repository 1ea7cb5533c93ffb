"""PostgreSQL itself killed with ``kill -9`` during counter intake, on a durable cluster.

The suite's own PostgreSQL pass runs with ``fsync=off`` (speed); this test starts its own
throw-away cluster with ``fsync=on``, ``synchronous_commit=on`` and ``full_page_writes=on``,
runs three counter-intake clients (``receive_at_desk`` through the service, as the desk and
``motcua dossier submit --receive`` do), records each dossier code whose call returned, then
SIGKILLs the postmaster and every server process, restarts the cluster (crash recovery from the
WAL) and checks that no acknowledged dossier was lost and none is half-written. (With the
durability settings off for the intake phase, the same test fails: the last acknowledged
dossier is missing after recovery.)
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("with_postgres", ROOT / "scripts/with_postgres.py")
with_postgres = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(with_postgres)  # type: ignore[union-attr]

CLIENTS = 3
WANTED_ACKS = 45  # acknowledged intakes before the kill (about 15 per client)
PREFIX = "000.01.21.H13-250124-"
AUDITED = ("core_changeevent", "dossiers_auditevent", "feedback_feedbackevent")

SEED = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from tests.dossiers.conftest import make_world
make_world()
"""

# One counter-intake client: each line "ACK <code>" is printed only after the service call
# returned, i.e. after its transaction committed; the first failure ends the client.
INTAKE = """
import sys, django
django.setup()
from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.dossiers import services as S
from tests.dossiers.conftest import APPLICANT
from tests.helpers import at
officer = User.objects.get(username="desk_officer_a")
agency = Agency.objects.get(code="000.01.21.H13")
procedure = Procedure.objects.get(code="1.004884")
print("READY", flush=True)
while True:
    try:
        d = S.receive_at_desk(
            by=officer,
            procedure=procedure,
            receiving_agency=agency,
            applicant=APPLICANT,
            documents=[S.DocumentInput(name="Tờ khai đăng ký lại khai sinh")],
            now=at(2025, 1, 24, 9),
        )
    except Exception as exc:
        print("ERR", type(exc).__name__, flush=True)
        sys.exit(0)
    print("ACK", d.code, flush=True)
"""


@dataclass
class Cluster:
    bindir: Path
    run_as: list[str]
    tmp: Path
    port: int

    @property
    def data(self) -> Path:
        return self.tmp / "data"

    @property
    def log(self) -> Path:
        return self.tmp / "server.log"

    @property
    def url(self) -> str:
        return f"postgres://motcua@127.0.0.1:{self.port}/postgres"

    def pg(self, *cmd: str) -> None:
        subprocess.run([*self.run_as, *cmd], check=True, stdout=subprocess.DEVNULL)

    def start(self, *, durable: bool) -> None:
        switch = "on" if durable else "off"
        started = subprocess.run(
            [
                *self.run_as,
                str(self.bindir / "pg_ctl"),
                *("-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start"),
                "-o",
                f"-p {self.port} -k {self.tmp} -c listen_addresses=127.0.0.1 -c max_connections=20 "
                f"-c fsync={switch} -c synchronous_commit={switch} -c full_page_writes={switch}",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert started.returncode == 0, started.stderr + self.log.read_text()[-3000:]

    def stop(self) -> None:
        subprocess.run(
            [*self.run_as, str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(self.url, autocommit=True)

    def kill_server(self) -> int:
        """SIGKILL the postmaster, then every process it had started: a crash of the server."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = [pid for pid in _pids() if _ppid(pid) == postmaster]
        os.kill(postmaster, signal.SIGKILL)
        for pid in children:
            with contextlib.suppress(ProcessLookupError):  # already gone
                os.kill(pid, signal.SIGKILL)
        for pid in [postmaster, *children]:
            _reap(pid)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in [postmaster, *children]):
            assert time.monotonic() < deadline, "the server processes outlived SIGKILL"
            time.sleep(0.05)
        return len(children)


PR_SET_CHILD_SUBREAPER = 36


def _subreaper(on: bool) -> None:
    """Adopt orphaned descendants. pg_ctl leaves the postmaster an orphan; where nobody reaps
    orphans (a container without an init) a killed postmaster would stay a zombie, which the
    next start takes for a live server still holding the data directory's lock file."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, int(on), 0, 0, 0)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):  # not ours: its own parent reaps it
        os.waitpid(pid, 0)


def _pids() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def _ppid(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    bindir = with_postgres.find_bindir()
    if bindir is None:
        pytest.fail("PostgreSQL binaries (initdb) not found")
    as_root = os.geteuid() == 0
    if as_root and subprocess.call(["id", "postgres"], stdout=subprocess.DEVNULL) != 0:
        subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
    tmp = Path(tempfile.mkdtemp(prefix="motcua-crash-"))
    if as_root:
        shutil.chown(tmp, "postgres")
    c = Cluster(bindir, ["runuser", "-u", "postgres", "--"] if as_root else [], tmp, 0)
    c.port = with_postgres.free_port()
    _subreaper(True)
    try:
        c.pg(
            str(bindir / "initdb"),
            *("-D", str(c.data), "-U", "motcua", "--auth=trust", "-E", "UTF8"),
            "--locale=C.UTF-8",
        )
        yield c
    finally:
        pid_file = c.data / "postmaster.pid"
        postmaster = int(pid_file.read_text().split()[0]) if pid_file.exists() else None
        c.stop()
        if postmaster:
            _reap(postmaster)
        _subreaper(False)
        shutil.rmtree(tmp, ignore_errors=True)


def _env(cluster: Cluster, media: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "DATABASE_URL": cluster.url,
        "MEDIA_ROOT": str(media),
        "SECRET_KEY": "crash-test",
    }


class Client:
    """One intake process and the codes it was told were saved."""

    def __init__(self, env: dict[str, str]):
        self.acked: list[str] = []
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", INTAKE],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:  # type: ignore[union-attr]
            self.lines.append(line.strip())
            if line.startswith("READY"):
                self.ready.set()
            elif line.startswith("ACK "):
                self.acked.append(line.split()[1])

    def finish(self) -> None:
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(5)


def _rows(conn: psycopg.Connection, sql: str, *params) -> list[tuple]:
    return conn.execute(sql, params).fetchall()


@pytest.mark.postgres_only
def test_acknowledged_intake_survives_kill_9_of_postgres(cluster, tmp_path):
    # schema and seed data on a fast cluster, then a clean restart with full durability
    env = _env(cluster, tmp_path / "media")
    cluster.start(durable=False)
    seeded = subprocess.run(
        [sys.executable, "-c", SEED], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert seeded.returncode == 0, seeded.stderr
    cluster.stop()
    cluster.start(durable=True)
    with cluster.connect() as conn:
        for name in ("fsync", "synchronous_commit", "full_page_writes"):
            assert _rows(conn, f"SHOW {name}") == [("on",)], name
        triggers_before = _rows(
            conn, "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname"
        )

    clients = [Client(env) for _ in range(CLIENTS)]
    try:
        for client in clients:
            assert client.ready.wait(30), client.proc.stderr.read()  # type: ignore[union-attr]
        deadline = time.monotonic() + 30
        while sum(len(c.acked) for c in clients) < WANTED_ACKS:
            assert time.monotonic() < deadline, [c.lines[-3:] for c in clients]
            assert all(c.proc.poll() is None for c in clients), [c.lines[-3:] for c in clients]
            time.sleep(0.02)
        killed_backends = cluster.kill_server()
    finally:
        for client in clients:
            client.finish()
    acked = {code for c in clients for code in c.acked}
    assert killed_backends >= CLIENTS  # the clients' sessions died with the server
    assert len(acked) == sum(len(c.acked) for c in clients)  # codes are never handed out twice
    # every client was cut off mid-intake by the crash, none stopped for another reason
    for client in clients:
        assert client.lines[-1].startswith("ERR"), client.lines[-3:]

    cluster.start(durable=True)  # crash recovery: replays the WAL
    assert "not properly shut down" in cluster.log.read_text()

    with cluster.connect() as conn:
        dossiers = dict(
            _rows(conn, "SELECT code, id FROM dossiers_dossier WHERE code LIKE %s", PREFIX + "%")
        )
        assert acked <= set(dossiers), f"lost after the crash: {sorted(acked - set(dossiers))}"
        # codes without gaps: the counter and the dossier commit together or not at all, so
        # an intake cut off by the crash leaves neither a row nor a used number
        numbers = sorted(int(code.rsplit("-", 1)[1]) for code in dossiers)
        assert numbers == list(range(1, len(numbers) + 1))
        counters = dict(_rows(conn, "SELECT key, last FROM dossiers_counter"))
        code_counter = next(v for k, v in counters.items() if k.startswith("dossier:"))
        form_counter = next(v for k, v in counters.items() if k.startswith("form01:"))
        assert code_counter >= numbers[-1]
        # nothing half-written: each dossier has its submit and receive events, its document,
        # its steps and its Form 01 (receipt), each with a number the counter handed out
        incomplete = _rows(
            conn,
            """
            SELECT d.code,
                   (SELECT string_agg(e.action, ',') FROM dossiers_auditevent e
                    WHERE e.dossier_id = d.id),
                   (SELECT count(*) FROM dossiers_dossierdocument x WHERE x.dossier_id = d.id),
                   (SELECT count(*) FROM dossiers_dossierstep s WHERE s.dossier_id = d.id),
                   (SELECT count(*) FROM dossiers_issuedform f
                    WHERE f.dossier_id = d.id AND f.form = '01')
            FROM dossiers_dossier d WHERE d.state <> 'received'
               OR (SELECT count(DISTINCT e.action) FROM dossiers_auditevent e
                   WHERE e.dossier_id = d.id AND e.action IN ('submit', 'receive')) <> 2
               OR NOT EXISTS (SELECT 1 FROM dossiers_dossierdocument x WHERE x.dossier_id = d.id)
               OR NOT EXISTS (SELECT 1 FROM dossiers_dossierstep s WHERE s.dossier_id = d.id)
               OR (SELECT count(*) FROM dossiers_issuedform f
                   WHERE f.dossier_id = d.id AND f.form = '01') <> 1
            """,
        )
        assert incomplete == []
        form_numbers = sorted(
            int(n.split("/")[0])
            for (n,) in _rows(conn, "SELECT number FROM dossiers_issuedform WHERE form = '01'")
        )
        assert form_numbers == list(range(1, len(dossiers) + 1))
        assert form_counter >= form_numbers[-1]
        orphans = _rows(
            conn,
            "SELECT count(*) FROM dossiers_auditevent e WHERE e.dossier_id IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM dossiers_dossier d WHERE d.id = e.dossier_id)",
        )
        assert orphans == [(0,)]

        # the append-only triggers survived the crash and still refuse edits
        triggers_after = _rows(
            conn, "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname"
        )
        assert triggers_after == triggers_before
        assert {f"{t}_append_only" for t in AUDITED} <= {name for (name,) in triggers_after}
        for statement in (
            "UPDATE dossiers_auditevent SET reason = reason",
            "DELETE FROM dossiers_auditevent",
            "TRUNCATE dossiers_auditevent CASCADE",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                conn.execute(statement)

    # and intake goes on where it stopped
    env_after = subprocess.run(
        [sys.executable, "-c", INTAKE.replace("while True:", "for _ in range(1):")],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert re.search(rf"ACK {re.escape(PREFIX)}{len(numbers) + 1:04d}\b", env_after.stdout), (
        env_after.stdout + env_after.stderr
    )
