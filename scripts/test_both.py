#!/usr/bin/env python3
"""Run the test suite on SQLite and on PostgreSQL at the same time (``make test``).

    python scripts/test_both.py [pytest args...]

The two passes are independent processes, each mostly busy on one core, so running them side
by side roughly halves the wall-clock time on a two-core machine. Each pass gets its own
media directory; only the SQLite pass writes the README's screenshots (docs/screenshots/),
the PostgreSQL pass writes its own into a temporary directory. Each pass's output goes to
``var/test-logs/<pass>.log``, printed whole when the pass ends, with a progress line every
minute meanwhile.

Each test that uses the database runs in both passes. A test that cannot reach the test database
(no django_db mark, no database fixture: pure rules, real-process tests on SQLite files of their
own, nginx/gunicorn/supervisor tests) behaves the same whatever DATABASE_URL says, so it runs in
one pass only: those under ``DATABASE_FREE_ON_POSTGRES`` in the PostgreSQL pass, all others in the
SQLite pass (``MOTCUA_DATABASE_FREE_TESTS``, see tests/conftest.py). The split balances the two
passes; ``pytest`` run by hand still runs everything.

Exit code: non-zero when either pass fails. When no PostgreSQL binaries exist, the SQLite
result decides, with a loud warning (``scripts/with_postgres.py`` exits 97 then).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NO_POSTGRES = 97
PROGRESS = re.compile(rb"\[\s*(\d+)%\]")
# database-free tests run by the PostgreSQL pass (node id prefixes); the SQLite pass runs the rest.
# None for now: the PostgreSQL pass is the longer one on the database tests alone (17:13
# against 14:43 for the SQLite pass with every database-free test, 1/12/2026 03:12), so every
# database-free test goes to the SQLite pass. Move prefixes here if the SQLite pass becomes the
# longer one (e.g. "tests/scale/", "tests/core/test_supervision.py").
DATABASE_FREE_ON_POSTGRES: tuple[str, ...] = ()


def start(name: str, command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    print(f"test: {name}: {' '.join(command)} > {log.relative_to(ROOT)}", flush=True)
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )


def progress(log: Path) -> str:
    try:
        with log.open("rb") as f:
            f.seek(max(0, log.stat().st_size - 4096))
            found = PROGRESS.findall(f.read())
    except OSError:
        return "?"
    return f"{int(found[-1])}%" if found else "starting"


def main(args: list[str]) -> int:
    logs = ROOT / "var" / "test-logs"
    logs.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="motcua-test-"))
    pytest = [str(BIN / "pytest"), "-p", "no:cacheprovider", *args]
    on_postgres = ",".join(DATABASE_FREE_ON_POSTGRES)
    passes = {
        "sqlite": (
            [*pytest, "-m", "not postgres_only"],
            {
                "MEDIA_ROOT": str(scratch / "media-sqlite"),
                "MOTCUA_DATABASE_FREE_TESTS": f"except:{on_postgres}",
            },
        ),
        "postgres": (
            [str(BIN / "python"), str(ROOT / "scripts" / "with_postgres.py"), "--", *pytest],
            {
                "MEDIA_ROOT": str(scratch / "media-postgres"),
                "MOTCUA_SCREENSHOTS_DIR": str(scratch / "screenshots-postgres"),
                "MOTCUA_DATABASE_FREE_TESTS": f"only:{on_postgres}",
            },
        ),
    }
    running = {
        name: (start(name, cmd, dict(os.environ, **extra), logs / f"{name}.log"), time.monotonic())
        for name, (cmd, extra) in passes.items()
    }
    codes: dict[str, int] = {}
    last_report = time.monotonic()
    while len(codes) < len(running):
        time.sleep(1)
        for name, (proc, started) in running.items():
            if name in codes or proc.poll() is None:
                continue
            codes[name] = proc.returncode
            print(
                f"\n===== {name} pass: exit {proc.returncode} after "
                f"{time.monotonic() - started:.0f} s =====",
                flush=True,
            )
            sys.stdout.buffer.write((logs / f"{name}.log").read_bytes())
            sys.stdout.flush()
        if time.monotonic() - last_report >= 60 and len(codes) < len(running):
            last_report = time.monotonic()
            states = ", ".join(
                f"{n}: {'done' if n in codes else progress(logs / f'{n}.log')}" for n in running
            )
            print(f"test: {states}", flush=True)
    shutil.rmtree(scratch, ignore_errors=True)
    if codes["postgres"] == NO_POSTGRES:
        print(
            "!" * 70
            + "\n!!! PostgreSQL binaries (initdb) not found: PostgreSQL tests SKIPPED\n"
            + "!" * 70,
            flush=True,
        )
        return codes["sqlite"]
    return next((code for code in codes.values() if code != 0), 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
