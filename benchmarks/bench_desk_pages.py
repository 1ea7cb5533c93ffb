"""Desk pages and the API dossier list over HTTP, under load (issue 11 §2).

    python scripts/with_postgres.py -- .venv/bin/python benchmarks/bench_desk_pages.py \
        [--seconds 10] [--connections 8] [--only NAME ...]

Uses the ``motcua_bench`` database of ``gen_dossiers.py`` (generated on first use). Starts
gunicorn with the production settings (``src/motcua/gunicorn_conf.py``: 2 workers × 4 threads,
DEBUG off, static files collected into a temporary directory) on a free port of 127.0.0.1,
logs the benchmark officers in server-side (a session row each, as a login would write), issues
an API token for the desk officer's commune, then runs ``wrk -t2 -c8`` against each page and
prints requests/s, p50 and p99 with the load average. Goals (issue 11 §2): desk queue p50 < 50
ms, p99 < 150 ms, ≥ 100 req/s; API dossier list ≥ 400 req/s, p99 < 100 ms.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from gen_dossiers import DEFAULT_N, ROOT, ensure_dossiers, make_world, say, use_database


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def session_cookie(user) -> str:
    """A logged-in session for ``user``, written server-side (what ``login()`` stores)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def api_token(agency) -> str:
    from motcua.restapi.tokens import create_token

    issued = create_token(name="bench", agency=agency, permissions=["dossiers:read"])
    return issued.secret


def parse_wrk(out: str) -> dict[str, float]:
    def ms(text: str) -> float:
        value = float(re.match(r"[\d.]+", text).group())
        return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[re.search(r"(us|ms|s)$", text).group()]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps,
        "p50": p50,
        "p99": p99,
        "non2xx": int(errors.group(1)) if errors else 0,
        "socket": socket_errors.group(1) if socket_errors else "",
    }


def wait_for(url: str, headers: dict[str, str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            request = urllib.request.Request(url, headers=headers)
            with urllib.request.urlopen(request, timeout=30) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.3)


def backend_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a PostgreSQL backend process on this machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_per_request(pages, runs: int) -> list[tuple[str, float, float, float]]:
    """Per page: CPU ms of this (Django) process and of its PostgreSQL backend per request,
    and the wall ms median. CPU time barely depends on what else the machine runs, so it
    compares versions on a busy machine where wall-clock rates do not; two dedicated cores
    would serve about 2000 / (app + database CPU ms) requests per second."""
    from django.db import connection
    from django.test import Client

    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        backend = cur.fetchone()[0]
    out = []
    for label, path, cookie, bearer in pages:
        headers = {"Cookie": cookie} if cookie else {"Authorization": f"Bearer {bearer}"}
        client = Client(headers=headers)
        assert client.get(path).status_code == 200, (label, path)
        walls = []
        app0, db0 = time.process_time(), backend_cpu_seconds(backend)
        for _ in range(runs):
            began = time.perf_counter()
            client.get(path)
            walls.append((time.perf_counter() - began) * 1000)
        app = (time.process_time() - app0) * 1000 / runs
        db = (backend_cpu_seconds(backend) - db0) * 1000 / runs
        walls.sort()
        out.append((label, app, db, walls[len(walls) // 2]))
        say(
            f"{label:48} app CPU {app:7.1f} ms  database CPU {db:7.1f} ms  "
            f"wall p50 {out[-1][3]:.1f}"
        )
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument(
        "--cpu", type=int, default=0, help="in-process CPU time per request over N runs, no HTTP"
    )
    args = parser.parse_args(argv)
    vendor = use_database()
    world = make_world()
    ensure_dossiers(DEFAULT_N if vendor == "postgresql" else 100_000, vendor, world)
    from motcua.dossiers.queries import work_queue

    desk_cookie = session_cookie(world.desk)
    admin_cookie = session_cookie(world.admin)
    token = api_token(world.desk_commune)
    admin_token = api_token(world.district)
    one = work_queue(world.desk).values_list("code", flat=True).first()
    procedure = world.procedures[0].pk
    pages = [
        ("desk queue, commune officer", "/desk/", desk_cookie, None),
        ("desk queue page 3, commune officer", "/desk/?page=3", desk_cookie, None),
        ("desk queue, district admin", "/desk/", admin_cookie, None),
        ("desk queue overdue, district admin", "/desk/?due=overdue", admin_cookie, None),
        (
            "desk queue by procedure+state, district admin",
            f"/desk/?procedure={procedure}&state=in_process",
            admin_cookie,
            None,
        ),
        (
            "desk search by name, commune officer",
            "/desk/search/?q=nguyen+van+an",
            desk_cookie,
            None,
        ),
        ("desk dossier page, commune officer", f"/desk/dossiers/{one}/", desk_cookie, None),
        ("desk statistics, commune officer", "/desk/thong-ke/", desk_cookie, None),
        ("API dossier list, commune token", "/api/v1/dossiers?limit=20", None, token),
        ("API dossier list, district token", "/api/v1/dossiers?limit=20", None, admin_token),
        (
            "API open dossiers, district token",
            "/api/v1/dossiers?limit=20&state=in_process&state=received",
            None,
            admin_token,
        ),
    ]
    if args.only:
        pages = [p for p in pages if any(word in p[0] for word in args.only)]

    if args.cpu:
        from django.conf import settings

        settings.ALLOWED_HOSTS = ["testserver"]
        say(f"load average {os.getloadavg()[0]:.1f}")
        rows = cpu_per_request(pages, args.cpu)
        say("| page | app CPU ms | database CPU ms | wall p50 ms |")
        say("|---|---|---|---|")
        for label, app, db, wall in rows:
            say(f"| {label} | {app:.1f} | {db:.1f} | {wall:.1f} |")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="motcua-bench-http-"))
    env = dict(
        os.environ,
        DEBUG="false",
        SECRET_KEY=os.environ.get("SECRET_KEY") or "bench-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_ROOT=str(tmp / "static"),
        DJANGO_SETTINGS_MODULE="motcua.settings",
    )
    env.pop("MOTCUA_TEST_DB", None)
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [str(bin_dir / "motcua"), "collectstatic", "--noinput", "-v0"], env=env, check=True
    )
    port = free_port()
    log = open(tmp / "gunicorn.log", "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [
            str(bin_dir / "gunicorn"),
            "--config",
            "python:motcua.gunicorn_conf",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    results = []
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/desk/", {"Cookie": desk_cookie})
        for label, path, cookie, bearer in pages:
            headers = {"Cookie": cookie} if cookie else {"Authorization": f"Bearer {bearer}"}
            wait_for(base + path, headers)  # warm: every worker compiles its templates
            cmd = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--timeout", "10s"]
            cmd += ["--latency"]
            for name, value in headers.items():
                cmd += ["-H", f"{name}: {value}"]
            load_before = os.getloadavg()[0]
            out = subprocess.run(
                [*cmd, base + path], capture_output=True, text=True, check=True
            ).stdout
            figures = parse_wrk(out)
            figures["load"] = max(load_before, os.getloadavg()[0])
            results.append((label, path, figures))
            say(
                f"{label:48} {figures['rps']:8.1f} req/s  p50 {figures['p50']:8.1f} ms  "
                f"p99 {figures['p99']:8.1f} ms  non-2xx {figures['non2xx']}  "
                f"load {figures['load']:.2f} {figures['socket']}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)
    say("| page | req/s | p50 | p99 | load |")
    say("|---|---|---|---|---|")
    for label, _path, f in results:
        say(
            f"| {label} | {f['rps']:.0f} | {f['p50']:.1f} ms | {f['p99']:.1f} ms "
            f"| {f['load']:.1f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
