"""Fixtures of the job tests: the two task engines (database, and RQ on a Redis server the
tests start themselves) and a way to run what is due in this process."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator

import pytest

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A throw-away redis-server on a free loopback port, in a temporary directory."""
    import redis

    tmp = tempfile.mkdtemp(prefix="motcua-redis-")
    port = free_port()
    proc = subprocess.Popen(
        [
            REDIS_SERVER,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            tmp,
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 15
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError("redis-server did not start") from None
            time.sleep(0.05)
    yield url
    proc.terminate()
    proc.wait(timeout=10)
    shutil.rmtree(tmp, ignore_errors=True)


def use_engine(settings, name: str, redis_url: str | None = None) -> None:
    if name == "rq":
        settings.RQ_QUEUES = {"default": {"URL": redis_url, "DEFAULT_TIMEOUT": 60}}
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
        }
    else:
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
        }


@pytest.fixture(params=["database", "rq"])
def engine(request, settings) -> Iterator[str]:
    """Each test using it runs once per engine: same tasks, same assertions."""
    name = request.param
    url = request.getfixturevalue("redis_url") if name == "rq" else None
    use_engine(settings, name, url)
    if name == "rq":
        import redis

        redis.Redis.from_url(url).flushdb()
    yield name
    use_engine(settings, "database")


@pytest.fixture
def instant_retries(settings):
    settings.MOTCUA_TASKS_RETRY_BASE_SECONDS = 0
    settings.MOTCUA_TASKS_RETRY_MAX_SECONDS = 0
