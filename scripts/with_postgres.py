#!/usr/bin/env python3
"""Run a command against a throw-away PostgreSQL server.

    python scripts/with_postgres.py -- pytest ...

Creates a cluster in a temporary directory, starts it on a free port (Unix socket in the same
directory, no TCP exposure beyond loopback), exports ``DATABASE_URL`` for the command, and
removes everything afterwards. PostgreSQL refuses to run as root, so as root the server runs as
the ``postgres`` system user (created by Debian's package) through ``runuser``.

Exit code: the command's; 97 when no PostgreSQL binaries are found (the caller decides
what to do).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

NO_POSTGRES = 97  # distinct from every pytest exit code


def find_bindir() -> Path | None:
    initdb = shutil.which("initdb")
    if initdb:
        return Path(os.path.realpath(initdb)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    bindir = find_bindir()
    if bindir is None:
        return NO_POSTGRES
    as_root = os.geteuid() == 0
    if as_root and subprocess.call(["id", "postgres"], stdout=subprocess.DEVNULL) != 0:
        subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
    run_as: list[str] = ["runuser", "-u", "postgres", "--"] if as_root else []
    tmp = Path(tempfile.mkdtemp(prefix="motcua-pg-"))
    data, sock = tmp / "data", tmp
    if as_root:
        shutil.chown(tmp, "postgres")
    port = free_port()
    log = tmp / "server.log"

    def pg(*cmd: str) -> None:
        subprocess.run([*run_as, *cmd], check=True, stdout=subprocess.DEVNULL)

    try:
        pg(
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "motcua",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        pg(
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(log),
            "-w",
            "start",
            "-o",
            f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
            # No autovacuum: its ANALYZE of a test's uncommitted rows made plans depend on when
            # it woke up (docs/testing.md, "Plans that do not depend on when a test runs").
            "-c autovacuum=off",
        )
        env = dict(
            os.environ,
            DATABASE_URL=f"postgres://motcua@127.0.0.1:{port}/postgres",
            MOTCUA_TEST_DB="postgresql",
        )
        return subprocess.call(argv, env=env)
    finally:
        subprocess.run(
            [*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
