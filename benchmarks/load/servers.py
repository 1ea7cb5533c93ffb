"""Redis and the app server as production runs them, on free ports of 127.0.0.1.

gunicorn: ``--config python:motcua.gunicorn_conf`` (2 × cores + 1 single-threaded workers, as
``make run`` and the systemd unit; ``GUNICORN_CMD_ARGS`` to try another shape), DEBUG off, the
static files collected (hashed, with their manifest) into ``<load dir>/static`` and served by
whitenoise, Redis for the cache, sessions and rate-limit counters (``REDIS_URL``), and
``TRUSTED_PROXIES=127.0.0.1``: the load generator stands where nginx would, so the tracking
scenario can present many client addresses through ``X-Forwarded-For`` as nginx would forward
them (the rate limit is per client address).

Sessions are created server-side (``SessionStore`` with the user id, backend and the
password-change hash ``login()`` stores), in a process with the app's own settings: the
scenarios measure pages, not the login form's password hashing.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from .cluster import ROOT, free_port


def wait_until(check, *, seconds: float, what: str, step: float = 0.1):
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(step)


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


@dataclass
class Proc:
    name: str
    proc: subprocess.Popen
    log: Path

    def stop(self) -> None:
        """SIGTERM to the process group this harness started, then SIGKILL after 15 s."""
        if self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


def _spawn(name: str, cmd: list[str], log: Path, **kw) -> Proc:
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.STDOUT, process_group=0, **kw
        )  # a group of its own: stopped as a whole, never by name
    return Proc(name, proc, log)


def start_redis(load_dir: Path) -> tuple[Proc, str]:
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(binary).exists():
        raise SystemExit("redis-server not found (apt package redis-server)")
    port = free_port()
    work = load_dir / "redis"
    work.mkdir(parents=True, exist_ok=True)
    proc = _spawn(
        "redis",
        [
            *(binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(work)),
            *("--save", "", "--appendonly", "no", "--protected-mode", "yes"),
        ],
        load_dir / "logs" / "redis.log",
    )
    url = f"redis://127.0.0.1:{port}/0"

    def pong() -> bool:
        if proc.proc.poll() is not None:
            raise SystemExit("redis-server exited:\n" + proc.tail())
        import redis

        with contextlib.suppress(Exception):
            return bool(redis.Redis.from_url(url).ping())
        return False

    wait_until(pong, seconds=20, what="redis-server")
    return proc, url


def secret_key(load_dir: Path) -> str:
    path = load_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def app_env(load_dir: Path, database_url: str, redis_url: str) -> dict[str, str]:
    """The environment of every app process (gunicorn, migrate, the session maker)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("S3_", "REDIS_", "DATABASE_", "MOTCUA_TEST", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="motcua.settings",
        DATABASE_URL=database_url,
        SECRET_KEY=secret_key(load_dir),
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        REDIS_URL=redis_url,
        TRUSTED_PROXIES="127.0.0.1",
        STATIC_ROOT=str(load_dir / "static"),
        MEDIA_ROOT=str(load_dir / "media"),
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "motcua", *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"motcua {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def collect_static(env: dict[str, str]) -> None:
    """The hashed files and their manifest (``demo_static``, what ``make run`` serves first)."""
    manage(env, "demo_static")


@dataclass
class App:
    proc: Proc
    port: int
    extra: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def gunicorn_shape() -> str:
    """What the report says of the app server: the configured workers and threads, and any
    ``GUNICORN_CMD_ARGS`` override (which gunicorn applies over the configuration file)."""
    from motcua import gunicorn_conf

    shape = f"{gunicorn_conf.workers} workers × {gunicorn_conf.threads} thread"
    extra = os.environ.get("GUNICORN_CMD_ARGS", "").strip()
    return f"{shape}, overridden by {extra!r}" if extra else shape


def start_app(load_dir: Path, env: dict[str, str]) -> App:
    port = free_port()
    proc = _spawn(
        "gunicorn",
        [
            *(sys.executable, "-m", "gunicorn", "--config", "python:motcua.gunicorn_conf"),
            *("--bind", f"127.0.0.1:{port}", "--preload"),
        ],
        load_dir / "logs" / "gunicorn.log",
        cwd=ROOT,
        env=env,
    )
    app = App(proc, port)

    def healthy() -> bool:
        if proc.proc.poll() is not None:
            raise SystemExit("gunicorn exited:\n" + proc.tail())
        return answers(app.url + "/healthz")

    wait_until(healthy, seconds=90, what="gunicorn")
    return app


SESSIONS = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from importlib import import_module
from motcua.accounts.models import User
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
out = {}
for name in json.loads(sys.argv[1]):
    user = User.objects.get(username=name)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    out[name] = store.session_key
print(json.dumps({"cookie": settings.SESSION_COOKIE_NAME, "sessions": out}))
"""


def make_sessions(env: dict[str, str], usernames: list[str]) -> dict:
    """Logged-in sessions (``{"cookie": name, "sessions": {username: key}}``), written
    server-side into the sessions' store (Redis) as ``django.contrib.auth.login`` would."""
    done = subprocess.run(
        [sys.executable, "-c", SESSIONS, json.dumps(usernames)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit("creating sessions failed:\n" + done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])
