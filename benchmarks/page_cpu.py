"""CPU per request of signed-in pages, in one process, against the load test's databases.

    .venv/bin/python benchmarks/page_cpu.py --size 10M [--requests 40] WHO=URL [WHO=URL ...]

For each page: a warm-up, then the best of three rounds of ``--requests`` requests through
Django's test client, printing the app process's CPU, its PostgreSQL backend's CPU (read from
``/proc``, so the server must run on this machine) and the wall time, per request. CPU time
does not count waiting for the other processes on the machine, so two versions compare on a
busy machine where wrk's req/s do not (docs/benchmarks.md, "Open work counted once").

WHO is a user of the load test's world file (``desk``, ``admin``, ``leader``, ``citizen``).
Uses the harness's cluster and databases (``make loadtest`` first; the cluster is started if it
is stopped). To measure another version: ``PYTHONPATH=<its checkout>/src``, with the database
migrated to that version's schema (``motcua migrate dossiers <its last migration>``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load.cluster import Cluster
from load.servers import secret_key

ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")


def backend_cpu(pid: int) -> float:
    """Seconds of CPU (user + system) the process ``pid`` has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="1M")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument(
        "--dir", default=os.environ.get("MOTCUA_LOAD_DIR") or str(ROOT / "var" / "loadtest")
    )
    parser.add_argument("--db-prefix", default="motcua_load_")
    parser.add_argument("pages", nargs="+", metavar="WHO=URL")
    args = parser.parse_args()
    load_dir = Path(args.dir).resolve()
    cluster = Cluster(load_dir / "pg")
    cluster.ensure_started()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="motcua.settings",
        DATABASE_URL=cluster.url(f"{args.db_prefix}{args.size.lower()}"),
        SECRET_KEY=secret_key(load_dir),
        DEBUG="false",
        ALLOWED_HOSTS="testserver",
        STATIC_ROOT=str(load_dir / "static"),
    )
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    import motcua
    from motcua.accounts.models import User

    world = json.loads((load_dir / f"world-{args.size.upper()}.json").read_text())
    print(f"code: {Path(motcua.__file__).parent}")
    for page in args.pages:
        who, url = page.split("=", 1)
        client = Client()
        client.force_login(User.objects.get(username=world["users"][who]))
        for _ in range(5):
            status = client.get(url).status_code
            if status != 200:
                raise SystemExit(f"{url} as {who}: HTTP {status}")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        rounds = []
        for _ in range(3):
            db, app, wall = backend_cpu(pid), time.process_time(), time.perf_counter()
            for _ in range(args.requests):
                client.get(url)
            n = args.requests / 1000
            rounds.append(
                (
                    (time.process_time() - app) / n,
                    (backend_cpu(pid) - db) / n,
                    (time.perf_counter() - wall) / n,
                )
            )
        app_ms, db_ms, wall_ms = min(rounds, key=lambda r: r[0] + r[1])
        print(
            f"{args.size} {who:8s} {url:45s} app {app_ms:6.1f} ms  db {db_ms:6.1f} ms  "
            f"wall {wall_ms:6.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
