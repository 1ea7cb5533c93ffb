"""One migrated SQLite file per test session, copied for each test that runs real processes.

Tests of the installed entry point (``motcua dossier``, ``motcua workdays``, crash tests, real
workers) need a database file their child processes can open: the SQLite test database lives in
memory, out of a child's reach. Migrating a fresh file costs a child process about 15 s of CPU;
the schema is the same for all of them, so ``motcua migrate`` runs once per session (as the
real entry point, in its own process) and each test gets its own copy of the result.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUFFIXES = ("", "-wal", "-shm")  # WAL files, if the migration left any


def migrate_template(directory: Path) -> Path:
    path = directory / "template.sqlite3"
    env = {
        **os.environ,
        "DEBUG": "1",
        "SECRET_KEY": "migrated-template",
        "DATABASE_URL": f"sqlite:///{path}",
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
    }
    done = subprocess.run(
        [sys.executable, "-m", "motcua", "migrate", "--noinput", "-v0"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return path


def run_motcua(
    database: Path, *args: str, cwd: Path, stdin: str | None = None, timeout: float = 180
) -> subprocess.CompletedProcess:
    """``motcua <args>`` as an operator runs it: the installed entry point in a process of its
    own, on the SQLite file ``database`` (a copy of the template), with a development key
    (``DEBUG``), the tests importable (``PYTHONPATH``)."""
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("SECRET_KEY", None)
    return subprocess.run(
        [sys.executable, "-m", "motcua", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=timeout,
    )


def copy_database(template: Path, target: Path) -> Path:
    """``target``: a private copy of the migrated template (its -wal/-shm files too)."""
    for suffix in SUFFIXES:
        if Path(f"{template}{suffix}").exists():
            shutil.copyfile(f"{template}{suffix}", f"{target}{suffix}")
    return target
