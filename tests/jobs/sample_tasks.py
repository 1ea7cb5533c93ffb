"""Tasks the job tests enqueue (importable by path, as a worker process imports them)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task

from motcua.core.audit import record_change


def effects(label: str) -> int:
    from motcua.core.models import ChangeEvent

    return ChangeEvent.objects.filter(action="test.effect", summary=label).count()


def attempts_seen(label: str) -> int:
    from motcua.core.models import ChangeEvent

    return ChangeEvent.objects.filter(action="test.attempt", summary=label).count()


@task()
def record(label: str) -> None:
    record_change("test.effect", None, label, object_type="test")


@task()
def flaky(label: str, failures: int) -> None:
    """Fails its first ``failures`` attempts (each attempt leaves a trace), then succeeds."""
    record_change("test.attempt", None, label, object_type="test")
    if attempts_seen(label) <= failures:
        raise ConnectionError(f"gateway down (attempt {attempts_seen(label)})")
    record_change("test.effect", None, label, object_type="test")


@task()
def always_fails(label: str) -> None:
    raise ConnectionError(f"gateway down for {label}")


@task()
def held(directory: str, label: str) -> None:
    """Says it started (a file named after its process), then waits while ``hold`` exists:
    the kill test stops its worker here, in the middle of the task."""
    where = Path(directory)
    (where / f"started-{os.getpid()}").write_text("", encoding="utf-8")
    while (where / "hold").exists():
        time.sleep(0.05)
    record_change("test.effect", None, label, object_type="test")
