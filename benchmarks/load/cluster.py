"""The load test's PostgreSQL cluster: created once in ``<load dir>/pg``, kept between runs
(the generated dossiers live in it, one database per size), started on a free port of
127.0.0.1 and stopped at the end of a run (``--keep-server`` leaves it running; the next run
finds it through ``postmaster.pid`` and reuses it).

Reuses ``scripts/with_postgres.py``'s helpers (binaries, free port) and, as root, runs the
server as the ``postgres`` system user, as that script does. The configuration is written to
``load.conf`` (included by ``postgresql.conf``) at every start, so a changed setting applies to
an existing cluster.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("with_postgres", ROOT / "scripts/with_postgres.py")
with_postgres = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(with_postgres)  # type: ignore[union-attr]
free_port = with_postgres.free_port

USER = "motcua"


def settings(shared_buffers: str) -> dict[str, str]:
    """A production-like configuration for a 24 GiB, 2-core machine that also runs the app:
    durable (fsync, synchronous commit and full-page writes on, the defaults), 2 GB of shared
    buffers (modest: the app, Redis and the load generator share the memory), planner costs of
    an SSD, WAL room for the bulk loads, JIT off (it only adds compile time to OLTP queries)."""
    return {
        "listen_addresses": "'127.0.0.1'",
        "max_connections": "100",
        "shared_buffers": f"'{shared_buffers}'",
        "effective_cache_size": "'8GB'",
        "work_mem": "'16MB'",
        "maintenance_work_mem": "'512MB'",
        "fsync": "on",
        "synchronous_commit": "on",
        "full_page_writes": "on",
        "wal_compression": "on",
        "max_wal_size": "'8GB'",
        "checkpoint_timeout": "'15min'",
        "random_page_cost": "1.1",
        "effective_io_concurrency": "200",
        "jit": "off",
        "log_min_duration_statement": "1000",  # the slow statements, in server.log
    }


@dataclass
class Cluster:
    base: Path  # <load dir>/pg: data directory, socket, log
    shared_buffers: str = "2GB"
    port: int = 0
    started_here: bool = False
    # --server: an existing PostgreSQL server (its URL) instead of the harness's own cluster
    external: str = ""
    host: str = "127.0.0.1"
    user: str = USER

    @property
    def data(self) -> Path:
        return self.base / "data"

    @property
    def log(self) -> Path:
        return self.base / "server.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{database}"

    # -- running commands as the server's owner ---------------------------------------------
    @property
    def run_as(self) -> list[str]:
        return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _pg(self, *cmd: str, check: bool = True) -> subprocess.CompletedProcess:
        bindir = with_postgres.find_bindir()
        if bindir is None:
            raise SystemExit("PostgreSQL binaries (initdb) not found: apt install postgresql")
        return subprocess.run(
            [*self.run_as, str(bindir / cmd[0]), *cmd[1:]],
            check=check,
            capture_output=True,
            text=True,
        )

    def bin(self, name: str) -> str:
        bindir = with_postgres.find_bindir()
        assert bindir is not None
        found = bindir / name
        return str(found) if found.exists() else (shutil.which(name) or name)

    # -- life cycle ---------------------------------------------------------------------------
    def ensure_started(self) -> None:
        """Create the cluster if missing, then start it, or reuse it if it is running."""
        if self.external:
            from urllib.parse import urlsplit

            parts = urlsplit(self.external)
            self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 5432
            self.user = parts.username or USER
            return
        self.base.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            if subprocess.call(["id", "postgres"], stdout=subprocess.DEVNULL) != 0:
                subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
            shutil.chown(self.base, "postgres")
        if not (self.data / "PG_VERSION").exists():
            self._pg(
                *("initdb", "-D", str(self.data), "-U", USER, "--auth=trust", "-E", "UTF8"),
                "--locale=C.UTF-8",
            )
            with open(self.data / "postgresql.conf", "a") as conf:
                conf.write("\ninclude_if_exists = 'load.conf'\n")
        running = self.running_port()
        if running:
            self.port = running
            return
        conf = self.data / "load.conf"
        conf.write_text("".join(f"{k} = {v}\n" for k, v in settings(self.shared_buffers).items()))
        if os.geteuid() == 0:
            shutil.chown(conf, "postgres")
        self.port = free_port()
        done = self._pg(
            *("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "120", "start"),
            *("-o", f"-p {self.port} -k {self.base}"),
            check=False,
        )
        if done.returncode != 0:
            tail = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise SystemExit(f"PostgreSQL did not start:\n{done.stderr}\n{tail}")
        self.started_here = True

    def running_port(self) -> int | None:
        """The port of a server already running on this data directory (postmaster.pid)."""
        pid_file = self.data / "postmaster.pid"
        if not pid_file.exists():
            return None
        if self._pg("pg_ctl", "-D", str(self.data), "status", check=False).returncode != 0:
            return None
        lines = pid_file.read_text().splitlines()
        return int(lines[3]) if len(lines) > 3 and lines[3].strip().isdigit() else None

    def stop(self) -> None:
        if self.external:
            return
        self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def ensure_database(self, name: str, *, fresh: bool = False, template: str = "") -> None:
        """Create ``name`` if missing: empty, or a copy of ``template`` (a migrated database:
        the smoke test's shortcut past the migrations)."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as c:
            if fresh:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                copy = f' TEMPLATE "{template}"' if template else ""
                c.execute(f'CREATE DATABASE "{name}"{copy}')

    def database_size(self, name: str) -> int:
        import psycopg

        with psycopg.connect(self.url(name)) as c:
            return c.execute("SELECT pg_database_size(current_database())").fetchone()[0]
