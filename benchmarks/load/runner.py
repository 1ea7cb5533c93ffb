"""``make loadtest``: the whole run, from an empty directory to the results table.

    .venv/bin/python benchmarks/loadtest.py [--sizes 1M,10M] [--duration 15] [--only NAME ...]
        [--fresh] [--keep-server] [--docs] [--dir DIR]

For each size: its database in the harness's PostgreSQL cluster (generated once, reused;
``--fresh`` regenerates), migrated, the scenarios' world topped up (``gen_dossiers.py
--world``); Redis flushed; gunicorn started on it as production runs it; pgbench select-only
and TPC-B; every single-endpoint scenario (a probe request checked first, then wrk); the mixed
profile (locust); the table printed and written. Exit code 0 when everything ran (missed goals
are in the table), 1 when a step could not run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from . import mixed, pgbench, report, scenarios, servers, wrk
from .cluster import ROOT, Cluster
from .report import Row

GEN = ROOT / "benchmarks" / "gen_dossiers.py"
ONLY_CHOICES = ("pgbench", scenarios.MIXED_NAME, "rate_limit")


def parse_size(text: str) -> tuple[str, int]:
    """``1M`` → ("1M", 1_000_000); ``2k`` → ("2k", 2000); ``5000`` → ("5000", 5000)."""
    t = text.strip()
    factor = {"k": 1_000, "m": 1_000_000}.get(t[-1:].lower(), 1)
    number = float(t[:-1] if factor > 1 else t.replace("_", "").replace(",", ""))
    return t, int(number * factor)


STARTED = time.monotonic()


def say(text: str) -> None:
    """A progress line, with the seconds since the run started (where the time goes)."""
    print(f"[{time.monotonic() - STARTED:6.1f}s] {text}", flush=True)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def probe(url: str, marker: str, headers: dict[str, str]) -> str:
    """One request checked by hand: "" when it is a 200 with the marker, else what it was."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=60) as r:
            body = r.read().decode(errors="replace")
            status = r.status
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code} {exc.headers.get('Location', '')}".strip()
    except OSError as exc:
        return f"no answer: {exc}"
    if status != 200:
        return f"HTTP {status}"
    return "" if marker in body else "marker missing"


def rate_limit_check(base_url: str) -> Row:
    """The tracking limit still holds across workers: one client address (through the trusted
    proxy's X-Forwarded-For) sends requests until one is refused with 429."""
    address = f"192.0.2.{int(time.time()) % 250 + 1}"
    world_path = "/tra-cuu/?code=000.00.00.H13-000000-0000&digits=0000"
    opener = urllib.request.build_opener(NoRedirect)
    for n in range(1, 201):
        request = urllib.request.Request(
            base_url + world_path, headers={"X-Forwarded-For": address}
        )
        try:
            with opener.open(request, timeout=30):
                pass
        except urllib.error.HTTPError as exc:
            if exc.code == 429:
                return Row(
                    "tracking rate limit: one client address, across the workers",
                    "rate_limit",
                    kind="check",
                    errors=0,
                    note=f"enforced: 429 at request {n} (limit per hour + 1)",
                )
    return Row(
        "tracking rate limit: one client address, across the workers",
        "rate_limit",
        kind="check",
        errors=1,
        note="MISSED: no 429 after 200 requests",
    )


class Beside:
    """A function run in a thread (its work is in subprocesses and the database); ``join``
    re-raises what it raised."""

    def __init__(self, target) -> None:
        import threading

        self.error: BaseException | None = None

        def run() -> None:
            try:
                target()
            except BaseException as exc:
                self.error = exc

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def join(self) -> None:
        self.thread.join()
        if self.error is not None:
            raise self.error


class Run:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.dir = Path(args.dir).resolve()
        self.dir.mkdir(parents=True, exist_ok=True)
        self.cluster = Cluster(
            self.dir / "pg", shared_buffers=args.shared_buffers, external=args.server
        )
        self.timings: dict[str, float] = {}
        self.redis: servers.Proc | None = None
        self.redis_url = ""
        self.app: servers.App | None = None
        self.results: dict[str, list[Row]] = {}

    def wants(self, name: str) -> bool:
        return not self.args.only or name in self.args.only

    # -- data ------------------------------------------------------------------------------
    def prepare(self, label: str, n: int) -> tuple[str, Path]:
        database = f"{self.args.db_prefix}{label.lower()}"
        world = self.dir / f"world-{label}.json"
        pool = self.args.pool or max(60, int(self.args.duration * 10))
        say(f"== {label}: data in database {database} (generated once, then reused)")
        began = time.perf_counter()
        if self.args.template:
            self.cluster.ensure_database(
                database, fresh=self.args.fresh, template=self.args.template
            )
        cmd = [sys.executable, str(GEN), str(n), "--db", database, "--world", str(world)]
        cmd += ["--pool", str(pool), *(["--fresh"] if self.args.fresh else [])]
        env = dict(os.environ, DATABASE_URL=self.cluster.url())
        done = subprocess.run(cmd, env=env, cwd=ROOT)
        if done.returncode != 0:
            raise SystemExit(f"gen_dossiers.py failed for {label}")
        say(f"   data ready in {time.perf_counter() - began:.1f} s")
        return database, world

    # -- one size ----------------------------------------------------------------------------
    def measure(self, label: str, n: int) -> list[Row]:
        database, world_file = self.prepare(label, n)
        import redis

        redis.Redis.from_url(self.redis_url).flushall()  # no cache or counter of another size
        env = servers.app_env(self.dir, self.cluster.url(database), self.redis_url)
        self.beside.join()
        self.app = servers.start_app(self.dir, env)
        world = json.loads(world_file.read_text())
        world["sessions"] = servers.make_sessions(env, sorted(set(world["users"].values())))
        run_world = self.dir / f"world-{label}-run.json"
        run_world.write_text(json.dumps(world, ensure_ascii=False))
        say(f"   gunicorn on {self.app.url} ({servers.gunicorn_shape()}, DEBUG off, Redis)")
        load_before = os.getloadavg()
        rows: list[Row] = []
        if self.wants("pgbench"):
            rows += self.pgbench()
        for sc in scenarios.single(world):
            if self.wants(sc.name):
                rows.append(self.single(sc, world))
        if self.wants("rate_limit") and self.wants("tracking"):
            rows.append(rate_limit_check(self.app.url))
        if self.wants(scenarios.MIXED_NAME):
            rows += self.mixed(run_world)
        meta = {
            "date": dt.datetime.now().astimezone().strftime("%d/%m/%Y %H:%M %Z"),
            "machine": f"{report.machine()} ({platform.node()})",
            "load_before": load_before,
            "load_after": os.getloadavg(),
            "duration": self.args.duration,
            "server": f"gunicorn (motcua.gunicorn_conf: {servers.gunicorn_shape()}), Redis, "
            "wrk -t2 -c8 and locust (8 users) on the same machine",
            "postgres": self.postgres_version(database),
            "pg_settings": f"shared_buffers {self.args.shared_buffers}, fsync on",
            "database_size": f"{self.cluster.database_size(database) / 2**30:.1f} GiB",
            "dossiers": n,
        }
        baselines = report.latest_rows(self.dir, "1M") if label.upper() == "10M" else None
        path = report.write(self.dir, label, rows, meta, baselines)
        text = f"{report.header(label, meta)}\n\n{report.table(rows, baselines)}"
        say("\n" + text + "\n")
        say(f"   written: {path} (and .json)")
        if self.args.docs:
            report.update_docs(label, text)
            say(f"   docs/benchmarks.md: block <!-- load:{label} --> updated")
        if not (self.args.keep_server and label == self.args.sizes[-1]):
            self.app.proc.stop()
            self.app = None
        return rows

    def postgres_version(self, database: str) -> str:
        import psycopg

        with psycopg.connect(self.cluster.url(database)) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]

    def pgbench(self) -> list[Row]:
        say("   pgbench (select-only, then TPC-B; 8 clients)")
        database = self.args.pgbench_db
        rows = []
        for select_only, what in ((True, "select-only"), (False, "TPC-B")):
            r = pgbench.run(
                self.cluster, database, duration=self.args.duration, select_only=select_only
            )
            rows.append(
                Row(
                    f"pgbench {what}, 8 clients (scale {self.args.pgbench_scale})",
                    f"pgbench_{'select' if select_only else 'tpcb'}",
                    rps=r["tps"],
                    p50=r["latency_avg"],
                    errors=r["errors"],
                    kind="pgbench",
                    extra=r,
                )
            )
        return rows

    def single(self, sc: scenarios.Scenario, world: dict) -> Row:
        sessions = world["sessions"]
        cookie = (
            f"{sessions['cookie']}={sessions['sessions'][world['users'][sc.user]]}"
            if sc.user
            else ""
        )
        headers = {"Accept-Language": "vi"}
        if cookie:
            headers["Cookie"] = cookie
        if sc.token:
            headers["Authorization"] = f"Bearer {world['token']}"
        if sc.forwarded:
            headers["X-Forwarded-For"] = "198.51.100.7"
        failure = probe(self.app.url + sc.paths[0], sc.marker, headers)
        say(f"   {sc.name}: probe {failure or 'ok'}; wrk {self.args.duration:g} s")
        if self.args.warmup and not failure:  # every worker's caches warm, not measured
            wrk.run(
                sc,
                self.app.url,
                duration=self.args.warmup,
                work=self.dir,
                cookie=cookie,
                token=world["token"] if sc.token else "",
            )
        r = wrk.run(
            sc,
            self.app.url,
            duration=self.args.duration,
            work=self.dir,
            cookie=cookie,
            token=world["token"] if sc.token else "",
        )
        errors = r["errors"] + (1 if failure else 0)
        note = f"(probe: {failure})" if failure else ""
        if r["statuses"]:
            note += f" (statuses: {' '.join(sorted(set(r['statuses'])))})"
        if r["socket_errors"]:  # wrk: connect/read/write errors and answers later than 10 s
            note += f" ({r['socket_errors']} timeouts or socket errors)"
        return Row(
            sc.what,
            sc.name,
            rps=r["rps"],
            p50=r["p50"],
            p95=r["p95"],
            p99=r["p99"],
            errors=errors,
            goal=sc.goal,
            note=note.strip(),
            extra={**r, "probe": failure or "ok"},
        )

    def mixed(self, run_world: Path) -> list[Row]:
        say(f"   mixed profile: locust, 8 users, {self.args.duration:g} s")
        m = mixed.run(self.app.url, run_world, duration=self.args.duration, work=self.dir)

        def row(what, name, f, goal=None, note=""):
            return Row(
                what,
                name,
                rps=f["rps"],
                p50=f["p50"],
                p95=f["p95"],
                p99=f["p99"],
                errors=f["errors"],
                goal=goal,
                note=note,
                extra={"requests": f["requests"], "error_examples": f["error_examples"]},
            )

        empty = m["pool_empty"]
        rows = [
            row(
                "**mixed profile** (a city's day, 8 users)", "mixed", m["overall"], scenarios.MIXED
            ),
            row(
                "mixed: online submission (start, upload, applicant, submit)",
                "mixed_submission",
                m["submission"],
                scenarios.WRITES,
            ),
            row(
                "mixed: officer actions (receive, hand over, approve, API receive)",
                "mixed_actions",
                m["actions"],
                scenarios.WRITES,
                f"(pools ran dry: {empty})" if empty else "",
            ),
        ]
        for name, f in m["per_request"].items():
            rows.append(row(f"mixed · {name} ({f['requests']} requests)", f"mixed:{name}", f))
        return rows

    # -- the whole run -------------------------------------------------------------------------
    def __call__(self) -> int:
        began = time.perf_counter()
        say(f"Load test in {self.dir} (PostgreSQL cluster, data, logs, results)")
        self.stop_kept()
        self.cluster.ensure_started()
        say(f"PostgreSQL on 127.0.0.1:{self.cluster.port} ({self.cluster.data})")
        try:
            self.redis, self.redis_url = servers.start_redis(self.dir)
            env = servers.app_env(self.dir, self.cluster.url(), self.redis_url)
            self.beside = Beside(lambda: self.side_work(env))  # while the data is prepared
            for label in self.args.sizes:
                _, n = parse_size(label)
                self.results[label] = self.measure(label, n)
        finally:
            if self.args.keep_server:
                self.keep()
            else:
                self.stop()
        say(f"Load test done in {time.perf_counter() - began:.0f} s.")
        return 0

    def side_work(self, env: dict[str, str]) -> None:
        """What does not depend on the dossiers, done beside their preparation: the static
        files, pgbench's database."""
        servers.collect_static(env)
        if self.wants("pgbench"):
            pgbench.ensure_initialised(self.cluster, self.args.pgbench_scale, self.args.pgbench_db)

    def stop(self) -> None:
        """Everything this harness runs: gunicorn, Redis, and its own PostgreSQL cluster
        (also when a previous --keep-server run had left it running); never a --server."""
        if self.app is not None:
            self.app.proc.stop()
        if self.redis is not None:
            self.redis.stop()
        self.cluster.stop()

    def stop_kept(self) -> None:
        """The gunicorn and Redis a previous ``--keep-server`` run left (their process groups,
        from ``servers.json``, checked to still be those programs); its cluster is reused."""
        import signal

        kept = self.dir / "servers.json"
        if not kept.exists():
            return
        for name, pid in json.loads(kept.read_text()).get("pids", {}).items():
            cmdline = Path(f"/proc/{pid}/cmdline")
            program = "gunicorn" if name == "gunicorn" else "redis-server"
            if (
                pid
                and cmdline.exists()
                and program in cmdline.read_bytes().decode(errors="replace")
            ):
                os.killpg(pid, signal.SIGTERM)
                say(f"stopped the {name} a --keep-server run left (pid {pid})")
        kept.unlink()

    def keep(self) -> None:
        info = {
            "postgres": self.cluster.url(),
            "redis": self.redis_url,
            "app": self.app.url if self.app else None,
            "pids": {
                "gunicorn": self.app.proc.proc.pid if self.app else None,
                "redis": self.redis.proc.pid if self.redis else None,
            },
        }
        (self.dir / "servers.json").write_text(json.dumps(info, indent=1))
        say(f"--keep-server: still running, see {self.dir / 'servers.json'}")


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="loadtest", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1M", help="comma-separated: 1M,10M (or 2k, 5000)")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per scenario")
    parser.add_argument("--only", nargs="+", default=[], metavar="SCENARIO")
    parser.add_argument("--fresh", action="store_true", help="regenerate the data")
    parser.add_argument("--keep-server", action="store_true")
    parser.add_argument("--docs", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument(
        "--dir", default=os.environ.get("MOTCUA_LOAD_DIR") or str(ROOT / "var" / "loadtest")
    )
    parser.add_argument(
        "--warmup", type=float, default=2.0, help="unmeasured wrk seconds before each scenario"
    )
    parser.add_argument("--shared-buffers", default="2GB")
    parser.add_argument("--pgbench-scale", type=int, default=10)
    parser.add_argument("--db-prefix", default="motcua_load_", help="databases: PREFIX1m …")
    parser.add_argument("--pgbench-db", default="pgbench")
    parser.add_argument("--pool", type=int, default=0, help="dossiers per action pool")
    parser.add_argument(
        "--server", default="", help="use this PostgreSQL server (URL) instead of its own cluster"
    )
    parser.add_argument(
        "--template", default="", help="create the size's database from this migrated database"
    )
    args = parser.parse_args(argv)
    args.sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for size in args.sizes:
        parse_size(size)
    known = {s.name for s in scenarios.single(_dummy_world())} | set(ONLY_CHOICES)
    unknown = [o for o in args.only if o not in known]
    if unknown:
        parser.error(f"unknown scenario(s) {unknown}; known: {', '.join(sorted(known))}")
    return args


def _dummy_world() -> dict:
    return {
        "procedure": {"pk": 0, "code": "x"},
        "tracking": [],
        "catalog": [],
        "citizen_dossiers": [],
        "desk_dossiers": [],
    }


def main(argv: list[str] | None = None) -> int:
    return Run(parse(sys.argv[1:] if argv is None else argv))()
