"""Process supervision (issue 15 §4), with real processes: gunicorn's workers die with their
master, `make run`'s serving step stops every child on SIGTERM, Ctrl-C or its own death, the
systemd units are valid, and ``/healthz`` answers the readiness probe.

Every wait is bounded; every server gets a free port and a throw-away SQLite database.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from motcua import gunicorn_conf

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
UNITS = ROOT / "deploy" / "systemd"
BOOT_SECONDS = 60  # a cold Django boot on a busy 2-core machine
GONE_SECONDS = 5  # "at once" for a process to disappear once it must


# -- helpers ----------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    """Can a new server listen on the port now (with SO_REUSEADDR, as gunicorn binds)?"""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
            sock.listen()
        except OSError:
            return False
        return True


def server_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "GUNICORN"))}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        SECRET_KEY="supervision-test-" + "x" * 40,
        DEBUG="false",
        DJANGO_SETTINGS_MODULE="motcua.settings",
        STATIC_ROOT=str(tmp_path),
    )
    return env


def get(url: str, timeout: float = 3.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_healthy(port: int, proc: subprocess.Popen) -> dict:
    deadline = time.monotonic() + BOOT_SECONDS
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the server exited while booting"
        try:
            status, body = get(f"http://127.0.0.1:{port}/healthz")
        except OSError:
            time.sleep(0.2)
            continue
        assert status == 200, body
        return json.loads(body)
    raise AssertionError(f"no answer on port {port} within {BOOT_SECONDS} s")


def _start_time(pid: int) -> str | None:
    """Field 22 of /proc/PID/stat, None once the process is gone or a zombie."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None if fields[0] == "Z" else fields[19]


def all_workers(master: int) -> dict[int, str]:
    """The master's workers once it has started every one (it spawns them one by one)."""
    deadline = time.monotonic() + BOOT_SECONDS
    while len(found := descendants(master)) < gunicorn_conf.workers:
        assert time.monotonic() < deadline, f"{len(found)} of {gunicorn_conf.workers} workers"
        time.sleep(0.1)
    return found


def descendants(pid: int) -> dict[int, str]:
    """Every living descendant of ``pid`` with its start time (a reused pid is another process)."""
    found: dict[int, str] = {}
    todo = [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            for child in children:
                started = _start_time(child)
                if started is not None:
                    found[child] = started
                    todo.append(child)
    return found


def comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""  # gone meanwhile


def still_alive(processes: dict[int, str]) -> list[int]:
    return [pid for pid, started in processes.items() if _start_time(pid) == started]


def wait_all_gone(processes: dict[int, str], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while (alive := still_alive(processes)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive


@pytest.fixture
def reaper() -> Iterator[list[dict[int, str]]]:
    """Processes a test started; whatever a failing test leaves is killed afterwards."""
    groups: list[dict[int, str]] = []
    yield groups
    for processes in groups:
        for pid in still_alive(processes):
            os.kill(pid, signal.SIGKILL)


def gunicorn(port: int, tmp_path: Path, env: dict | None = None, *args: str) -> subprocess.Popen:
    """The web server exactly as the systemd unit and serve.py start it."""
    config = ["--config", "python:motcua.gunicorn_conf", "--bind", f"127.0.0.1:{port}"]
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *config, *args],
        cwd=tmp_path,
        env=env or server_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


# -- /healthz ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_healthz_answers_json_200_whatever_the_host_and_tls_settings(client, settings):
    settings.ALLOWED_HOSTS = ["motcua.example.gov.vn"]
    settings.SECURE_SSL_REDIRECT = True  # the probe speaks plain HTTP on the loopback address
    response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response["Cache-Control"] == "no-store"
    # everything else still goes through the host check
    assert client.get("/", HTTP_HOST="127.0.0.1:8000").status_code == 400


def test_readiness_probe_fails_on_an_unreachable_database_and_on_no_server(tmp_path, reaper):
    """An unreachable database is 503 on /healthz, and the unit's readiness probe fails."""
    port = free_port()
    env = server_env(tmp_path)
    env["DATABASE_URL"] = f"postgres://nobody@127.0.0.1:{free_port()}/nothing"
    server = gunicorn(port, tmp_path, env, "--workers", "1")
    reaper.append({server.pid: _start_time(server.pid) or ""})
    try:
        deadline = time.monotonic() + BOOT_SECONDS
        while True:
            try:
                status, body = get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.2)
        assert status == 503
        assert json.loads(body) == {"status": "unavailable", "database": "unreachable"}
        probe = [sys.executable, "-m", "motcua.core.waitready", "--timeout", "1"]
        url = f"http://127.0.0.1:{port}/healthz"
        assert subprocess.run([*probe, url], capture_output=True, timeout=30).returncode == 1
        nothing = f"http://127.0.0.1:{free_port()}/healthz"
        assert subprocess.run([*probe, nothing], capture_output=True, timeout=30).returncode == 1
    finally:
        server.terminate()
        server.wait(timeout=30)


# -- gunicorn: its shape -----------------------------------------------------------------------
@pytest.mark.parametrize("cpus", [{0}, {0, 1}])
def test_workers_follow_the_cores_the_server_may_use(cpus):
    """2 × cores + 1 single-threaded workers, counted on the CPU set (a container limited to
    one core gets 3), not on the host's core count (docs/benchmarks.md, "Processes, not
    threads": threads waited for the GIL after every query)."""
    if not cpus <= os.sched_getaffinity(0):
        cpus = set(sorted(os.sched_getaffinity(0))[: len(cpus)])
    code = (
        f"import os; os.sched_setaffinity(0, {sorted(cpus)!r}); "
        "from motcua import gunicorn_conf as g; print(g.workers, g.threads)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == [str(2 * len(cpus) + 1), "1"]


# -- gunicorn: workers die with their master --------------------------------------------------
def test_killing_the_master_leaves_no_worker_holding_the_port(tmp_path, reaper):
    """Issue 15 §4: `kill -9` of the master left its workers serving and holding the port
    (30 s and more while a request was in flight); a restart failed with "Connection in use".
    Now the workers die with the master, the port is free at once and a new server binds it."""
    port = free_port()
    first = gunicorn(port, tmp_path)
    reaper.append({first.pid: _start_time(first.pid) or ""})
    wait_healthy(port, first)
    workers = all_workers(first.pid)
    reaper.append(workers)
    assert len(workers) == gunicorn_conf.workers
    # a request in flight (headers not finished) keeps a worker busy, as under load
    in_flight = socket.create_connection(("127.0.0.1", port), timeout=5)
    in_flight.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    time.sleep(0.5)

    first.kill()
    first.wait(timeout=10)
    assert wait_all_gone(workers, GONE_SECONDS) == [], "orphaned workers still running"
    assert port_is_free(port)
    in_flight.close()

    second = gunicorn(port, tmp_path)
    reaper.append({second.pid: _start_time(second.pid) or ""})
    assert wait_healthy(port, second) == {"status": "ok", "database": "ok"}
    probe = [sys.executable, "-m", "motcua.core.waitready", f"http://127.0.0.1:{port}/healthz"]
    assert subprocess.run(probe, capture_output=True, timeout=30).returncode == 0
    second_workers = descendants(second.pid)
    reaper.append(second_workers)
    # and a graceful stop (systemctl stop: SIGTERM to the master) ends everything in time
    second.terminate()
    second.wait(timeout=20)
    assert wait_all_gone(second_workers, GONE_SECONDS) == []
    assert b"Connection in use" not in second.stderr.read()
    assert port_is_free(port)


# -- make run: every child stops --------------------------------------------------------------
def start_make_serve(tmp_path: Path, port: int) -> subprocess.Popen:
    """`make serve`: the last step of `make run` (same recipe line, ``$(SERVE)``), in a
    process group of its own as a shell's foreground job would be."""
    return subprocess.Popen(
        ["make", "--no-print-directory", "-s", "serve", f"PORT={port}", "HOST=127.0.0.1"],
        cwd=ROOT,
        env=server_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def test_make_run_serves_through_the_supervisor():
    """`make run` ends with the same serving line as `make serve`, exec'd (make's direct child)."""
    makefile = (ROOT / "Makefile").read_text()
    run_recipe = re.search(r"^run: install.*?\n((?:\t.*\n)+)", makefile, re.M)
    assert run_recipe
    # the recipe's last command (continuation lines joined) serves through $(SERVE)
    commands = run_recipe.group(1).replace("\\\n", " ").splitlines()
    assert commands[-1].startswith("\t$(SERVE)")
    serve_line = re.search(r"^SERVE = (.*)$", makefile, re.M)
    assert serve_line and re.search(
        r"(^|\s)exec \$\(BIN\)/python scripts/serve\.py ", serve_line.group(1)
    )


@pytest.mark.parametrize(
    "how",
    [
        "SIGTERM to make alone",
        "Ctrl-C: SIGINT to make's process group",
        "kill -9 of make",
    ],
)
def test_make_serve_stops_every_child(how, tmp_path, reaper):
    port = free_port()
    make = start_make_serve(tmp_path, port)
    reaper.append({make.pid: _start_time(make.pid) or ""})
    wait_healthy(port, make)
    children = descendants(make.pid)
    reaper.append(children)
    assert len(children) >= 4  # serve.py, gunicorn's master, its two workers

    if how.startswith("SIGTERM"):
        os.kill(make.pid, signal.SIGTERM)
    elif how.startswith("Ctrl-C"):
        os.killpg(make.pid, signal.SIGINT)
    else:
        make.kill()
    make.wait(timeout=30)
    assert wait_all_gone(children, 20) == []
    assert port_is_free(port)


def test_kill_9_of_the_supervisor_takes_the_server_with_it(tmp_path, reaper):
    """gunicorn's master gets SIGTERM from the kernel when serve.py dies (its workers die with
    it). A background shell's own children are not covered: see docs/deployment.md."""
    port = free_port()
    command = [sys.executable, str(ROOT / "scripts" / "serve.py"), "--bind", f"127.0.0.1:{port}"]
    command += ["--", "--workers", "1"]
    serve = subprocess.Popen(
        command,
        cwd=tmp_path,
        env=server_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    reaper.append({serve.pid: _start_time(serve.pid) or ""})
    wait_healthy(port, serve)
    children = descendants(serve.pid)
    reaper.append(children)
    assert len(children) >= 2  # gunicorn's master and its worker
    serve.kill()
    serve.wait(timeout=10)
    assert wait_all_gone(children, 20) == []
    assert port_is_free(port)


def test_supervisor_stops_background_commands_that_ignore_ctrl_c(tmp_path, reaper):
    """A background command (a demo loader) run by a shell with `&` ignores SIGINT; serve.py
    stops it, and what it started, with the server."""
    port = free_port()
    marker = tmp_path / "background.log"
    loader = "sleep 300 & echo started; sleep 301"  # `sleep 300 &` ignores SIGINT
    command = [sys.executable, str(ROOT / "scripts" / "serve.py"), "--bind", f"127.0.0.1:{port}"]
    command += ["--background", loader, "--background-log", str(marker), "--", "--workers", "1"]
    serve = subprocess.Popen(
        command,
        cwd=tmp_path,
        env=server_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    reaper.append({serve.pid: _start_time(serve.pid) or ""})
    wait_healthy(port, serve)
    children = descendants(serve.pid)
    reaper.append(children)
    names = sorted(comm(pid) for pid in children)
    assert names.count("sleep") == 2
    assert marker.read_text().strip() == "started"

    os.killpg(serve.pid, signal.SIGINT)  # Ctrl-C in the terminal
    assert serve.wait(timeout=30) == -signal.SIGINT  # ends as interrupted, for make
    assert wait_all_gone(children, GONE_SECONDS) == []
    assert port_is_free(port)


def test_supervisor_stops_the_rest_when_the_server_cannot_start(tmp_path, reaper):
    """Port taken: gunicorn gives up, serve.py stops its background commands and fails."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [
            sys.executable,
            str(ROOT / "scripts" / "serve.py"),
            "--bind",
            f"127.0.0.1:{port}",
        ]
        serve = subprocess.Popen(
            [*command, "--background", "sleep 300"],
            cwd=tmp_path,
            env=server_env(tmp_path),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        reaper.append({serve.pid: _start_time(serve.pid) or ""})
        deadline = time.monotonic() + GONE_SECONDS
        while time.monotonic() < deadline:  # the server and the background command, in any order
            children = descendants(serve.pid)
            comms = [comm(pid) for pid in children]
            if "sleep" in comms or "sh" in comms:
                break
            time.sleep(0.05)
        reaper.append(children)
        assert "sleep" in comms or "sh" in comms, comms
        assert serve.wait(timeout=BOOT_SECONDS) not in (0, None)
        assert b"Connection in use" in serve.stderr.read()
    assert wait_all_gone(children, GONE_SECONDS) == []


# -- systemd units ----------------------------------------------------------------------------
def unit_settings(path: Path) -> dict[str, dict[str, list[str]]]:
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key, []).append(value)
    return sections


SERVICES = ["motcua-web.service", "motcua-worker.service", "motcua-scheduler.service"]


@pytest.mark.parametrize("name", SERVICES)
def test_units_are_supervised_and_hardened(name):
    service = unit_settings(UNITS / name)["Service"]
    expected = {
        "KillMode": ["mixed"],
        "Restart": ["always"],
        "NoNewPrivileges": ["yes"],
        "ProtectSystem": ["strict"],
        "PrivateTmp": ["yes"],
        "ProtectHome": ["yes"],
        "EnvironmentFile": ["/etc/motcua/motcua.env"],
        "User": ["motcua"],
        "StateDirectory": ["motcua"],
    }
    for key, value in expected.items():
        assert service.get(key) == value, (name, key)
    assert service["RuntimeDirectory"] == [name.removesuffix(".service")]
    assert service["TimeoutStopSec"] and service["RestartSec"]


def test_web_unit_waits_for_healthz_and_reloads_gracefully():
    service = unit_settings(UNITS / "motcua-web.service")["Service"]
    assert service["Type"] == ["notify"]  # gunicorn's master sends READY=1 itself
    assert "python:motcua.gunicorn_conf" in service["ExecStart"][0]
    (probe,) = service["ExecStartPost"]
    assert "-m motcua.core.waitready" in probe and probe.endswith("/healthz")
    assert service["ExecReload"] == ["/bin/kill -HUP $MAINPID"]
    # the stop timeout leaves gunicorn's graceful_timeout room to finish requests
    assert int(service["TimeoutStopSec"][0]) > gunicorn_conf.graceful_timeout


@pytest.mark.parametrize(
    ("name", "command"),
    [("motcua-worker.service", "worker"), ("motcua-scheduler.service", "scheduler")],
)
def test_worker_and_scheduler_units_run_commands_that_exist(name, command):
    service = unit_settings(UNITS / name)["Service"]
    assert service["ExecStart"] == [f"/opt/motcua/.venv/bin/motcua {command}"]
    from django.core.management import get_commands

    assert get_commands()[command] == "motcua.jobs"
    assert name in unit_settings(UNITS / "motcua.target")["Unit"]["Wants"][0].split()


def test_units_pass_systemd_analyze_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze not installed (Debian package systemd); keys checked above")
    # verify checks that the commands exist: point the units at this checkout's virtualenv
    venv = BIN.parent
    for unit in [*UNITS.glob("*.service"), *UNITS.glob("*.target")]:
        text = unit.read_text().replace("/opt/motcua/.venv", str(venv))
        (tmp_path / unit.name).write_text(text.replace("/opt/motcua", str(ROOT)))
    result = subprocess.run(
        [analyze, "verify", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        timeout=60,
    )
    # verify also exits 0 on unknown keys and bad values: it must print nothing at all
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
