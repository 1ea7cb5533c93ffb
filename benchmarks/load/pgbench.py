"""pgbench on the load test's own server, in the same run: select-only and TPC-B, 8 clients,
the scenarios' duration, in a database of its own (``pgbench``, initialised once at scale 10:
1,000,000 accounts, about 160 MB). Its figures put the app's numbers in proportion: compare
machines by the ratios, not the absolute figures."""

from __future__ import annotations

import re
import subprocess

import psycopg

from .cluster import Cluster

DATABASE = "pgbench"


def ensure_initialised(cluster: Cluster, scale: int, database: str = DATABASE) -> None:
    cluster.ensure_database(database)
    with psycopg.connect(cluster.url(database)) as conn:
        found = conn.execute(
            "SELECT count(*) FROM pgbench_branches"
            if conn.execute("SELECT to_regclass('pgbench_branches')").fetchone()[0]
            else "SELECT 0"
        ).fetchone()[0]
    if found != scale:
        _pgbench(cluster, database, "-i", "-q", "-s", str(scale))


def _pgbench(cluster: Cluster, database: str, *args: str, timeout: float = 600) -> str:
    done = subprocess.run(
        [
            *(cluster.bin("pgbench"), "-h", cluster.host, "-p", str(cluster.port)),
            *("-U", cluster.user),
            *args,
            database,
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"pgbench {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def run(
    cluster: Cluster, database: str, *, duration: float, clients: int = 8, select_only: bool
) -> dict:
    seconds = max(1, round(duration))
    args = ["-c", str(clients), "-j", "2", "-T", str(seconds), "-n"]
    if select_only:
        args.insert(0, "-S")
    out = _pgbench(cluster, database, *args, timeout=seconds + 120)
    tps = re.search(r"tps = ([\d.]+)", out)
    latency = re.search(r"latency average = ([\d.]+) ms", out)
    failed = re.search(r"number of failed transactions: (\d+)", out)
    return {
        "tps": float(tps.group(1)) if tps else 0.0,
        "latency_avg": float(latency.group(1)) if latency else 0.0,
        "errors": int(failed.group(1)) if failed else 0,
        "tool": f"pgbench {'-S ' if select_only else ''}-c {clients} -j 2 -T {seconds}",
    }
