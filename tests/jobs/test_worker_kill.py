"""kill -9 of a worker in the middle of a task loses nothing: the next worker to start takes
the job over (its process is gone) and the task completes exactly once. Real worker processes
(``motcua worker``) on each engine; on SQLite they share a database file, on PostgreSQL the
test database."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
MOTCUA = str(Path(sys.executable).parent / "motcua")

ENQUEUE = """
import sys, django
django.setup()
from django.db import transaction
from motcua.jobs import enqueue_on_commit
from tests.jobs.sample_tasks import held
with transaction.atomic():
    enqueue_on_commit(held, sys.argv[1], "killed", idempotency_key="kill:1")
"""

REPORT = """
import json, django
django.setup()
from motcua.jobs.models import Job
from tests.jobs.sample_tasks import effects
job = Job.objects.get(key="kill:1")
print(json.dumps({"effects": effects("killed"), "state": job.state, "attempts": job.attempts,
                  "error": job.last_error}))
"""


def _database_url(request) -> str:
    """On SQLite, a copy of the session's migrated file (tests/migrated.py) the worker
    processes can share (the suite's own test database lives in memory); on PostgreSQL, the
    test database."""
    if connection.vendor != "sqlite":
        d = connection.settings_dict
        return f"postgres://{d['USER']}@{d['HOST']}:{d['PORT']}/{d['NAME']}"
    return f"sqlite:///{request.getfixturevalue('migrated_sqlite')}"


def _alive(pid: int) -> bool:
    from motcua.jobs.services import _pid_alive

    return _pid_alive(pid)


def _wait_for(predicate, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.mark.parametrize("engine", ["database", "rq"])
def test_kill_9_of_a_worker_mid_task_loses_nothing(engine, request, tmp_path, transactional_db):
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(request),
        "SECRET_KEY": "kill-test",
        "PYTHONPATH": str(ROOT),
        "TASKS_BACKEND": engine,
        "TASKS_LEASE_SECONDS": "3600",  # the takeover must not wait for the lease to end
    }
    if engine == "rq":
        import redis

        env["TASKS_REDIS_URL"] = request.getfixturevalue("redis_url")
        redis.Redis.from_url(env["TASKS_REDIS_URL"]).flushdb()
    work = tmp_path / "work"
    work.mkdir()
    (work / "hold").write_text("", encoding="utf-8")

    def python(code: str, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", code, *args],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    python(ENQUEUE, str(work))
    first = subprocess.Popen(
        [MOTCUA, "worker", "--interval", "0.1"],
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(lambda: any(work.glob("started-*")), "the first worker to start the task")
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    # the process running the task: the worker itself (database engine) or RQ's work horse,
    # which RQ puts in a session of its own (so the group kill above missed it)
    (started,) = work.glob("started-*")
    runner = int(started.name.removeprefix("started-"))
    with contextlib.suppress(ProcessLookupError):
        os.kill(runner, signal.SIGKILL)
    _wait_for(lambda: not _alive(runner), "the killed task's process to be gone")
    midway = json.loads(python(REPORT))
    assert (midway["state"], midway["attempts"], midway["effects"]) == ("running", 1, 0)

    (work / "hold").unlink()  # the next attempt runs through
    second = subprocess.run(
        [MOTCUA, "worker", "--batch"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert second.returncode == 0, second.stderr
    final = json.loads(python(REPORT))
    assert final["effects"] == 1, final
    assert (final["state"], final["attempts"]) == ("done", 2), final
    assert final["error"].startswith("WorkerLost: worker"), final
    assert len(list(work.glob("started-*"))) == 2  # two processes started it, one finished it
