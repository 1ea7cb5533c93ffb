"""The load-test harness (benchmarks/loadtest.py, issue 11 §1) end to end on a tiny data set:
2,000 generated dossiers, 1 s per scenario, a throw-away load directory. It must prepare the
data (migrate, COPY, the scenarios' world through the services), start Redis and gunicorn with
the production configuration, run pgbench, every wrk scenario and the locust mixed profile, and
write a table with every row: each page answered 200 with its marker (never a login redirect),
each write path (online submission with an upload, receive, hand over, approve, the API's
receive) succeeded.

PostgreSQL only: the harness measures PostgreSQL. It uses this pass's server (``--server``)
instead of starting a cluster of its own, in databases of its own, dropped afterwards. Needs
the apt packages wrk, redis-server and PostgreSQL's pgbench.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest

pytestmark = pytest.mark.postgres_only

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "motcua_loadsmoke_"
PGBENCH_DB = "motcua_loadsmoke_pgbench"
SINGLE = {
    *("home", "search", "procedure", "tracking", "public_stats", "open311", "my_dossiers"),
    *("citizen_dossier", "queue_desk", "queue_desk_filtered", "queue_admin"),
    *("queue_admin_filtered", "desk_dossier", "leader_dashboard", "api_catalog", "api_dossiers"),
}
WRITES = {
    *("submit: start", "submit: upload", "submit: applicant", "submit: send"),
    *("desk: receive", "desk: hand over", "leader: approve", "api: receive"),
}


@pytest.fixture
def server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    assert url.startswith(("postgres://", "postgresql://")), "the PostgreSQL pass sets it"
    return url.replace("postgres://", "postgresql://", 1)


@pytest.fixture
def load_dir():
    path = Path(tempfile.mkdtemp(prefix="motcua-load-"))
    path.chmod(0o711)  # a cluster's files would belong to the postgres user
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _drop_databases(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for (name,) in conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", [PREFIX + "%"]
        ).fetchall():
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_harness_runs_every_scenario_end_to_end(server_url, load_dir):
    for tool in ("wrk", "redis-server"):
        assert shutil.which(tool), f"{tool} is needed (apt package {tool})"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MOTCUA_TEST"))}
    try:
        done = subprocess.run(
            [
                *(sys.executable, str(ROOT / "benchmarks/loadtest.py"), "--sizes", "2k"),
                *("--duration", "1", "--dir", str(load_dir), "--server", server_url),
                *("--db-prefix", PREFIX, "--pgbench-db", PGBENCH_DB, "--pgbench-scale", "1"),
                *("--pool", "4", "--warmup", "0"),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        _drop_databases(server_url)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    (results,) = load_dir.glob("results-2k-*.json")
    (table,) = load_dir.glob("results-2k-*.md")
    rows = {r["name"]: r for r in json.loads(results.read_text())["rows"]}

    # pgbench beside the app's figures
    for name in ("pgbench_select", "pgbench_tpcb"):
        assert rows[name]["rps"] > 0 and rows[name]["errors"] == 0, rows[name]
    # every single-endpoint scenario: its page (checked by hand, then by wrk) and no error
    assert rows.keys() >= SINGLE, SINGLE - rows.keys()
    for name in SINGLE:
        row = rows[name]
        assert row["extra"]["probe"] == "ok", (name, row["extra"]["probe"])
        assert row["errors"] == 0, (name, row["extra"])
    assert rows["rate_limit"]["errors"] == 0, rows["rate_limit"]["note"]
    # the mixed profile, with each write path at least once, all successful
    assert rows["mixed"]["errors"] == 0, rows["mixed"]["extra"]
    written = {name.removeprefix("mixed:") for name in rows if name.startswith("mixed:")}
    assert written >= WRITES, WRITES - written
    for name in WRITES:
        assert rows[f"mixed:{name}"]["errors"] == 0, rows[f"mixed:{name}"]["extra"]
    assert rows["mixed_submission"]["extra"]["requests"] >= 4
    assert rows["mixed_actions"]["extra"]["requests"] >= 4
    # the markdown table has every row, goals judged in it
    text = table.read_text()
    assert text.count("\n| ") >= len(rows) + 1  # header + one line per row
    assert "pgbench select-only" in text and "pgbench TPC-B" in text
    assert "| what | req/s | p50 | p95 | p99 | errors | goal |" in text
