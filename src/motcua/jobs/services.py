"""The only writers of ``jobs.Job``: enqueue, run, fail/retry, dead-letter, recover.

Every transition is a single guarded UPDATE (``WHERE state = …``), so two workers, or a worker
and the recovery sweep, can never both win the same job, on SQLite or PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
import traceback
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from motcua.core.audit import record_change
from motcua.jobs import rules
from motcua.jobs.models import Job

logger = logging.getLogger("motcua.jobs")

ERROR_MAX_CHARS = 8000
# a job committed but never handed to the engine (the process died between commit and
# on_commit, or the engine was down) is handed over again after this long
UNDISPATCHED_GRACE = dt.timedelta(seconds=60)


class JobError(Exception):
    """An operator asked for something the job's state does not allow."""


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _task_path(task: Any) -> str:
    path = getattr(task, "module_path", None)
    if not path or not callable(getattr(task, "call", None)):
        raise TypeError(f"{task!r} is not a django-tasks task (decorate it with @task)")
    return path


def enqueue_on_commit(task: Any, *args: Any, idempotency_key: str, **kwargs: Any) -> None:
    key = (idempotency_key or "").strip()
    if not key or len(key) > 255:
        raise ValueError("idempotency_key must be 1–255 characters")
    path = _task_path(task)
    job_id = _insert_once(key, path, list(args), kwargs)
    if job_id is not None:
        transaction.on_commit(lambda: dispatch(job_id, task_path=path))


def _insert_once(key: str, path: str, args: list, kwargs: dict) -> int | None:
    """Write the job row unless its key exists: one ``INSERT … ON CONFLICT DO NOTHING
    RETURNING id`` (SQLite ≥ 3.35 and PostgreSQL), so that the caller's transaction pays one
    statement and a concurrent transaction holding the same key makes this a no-op instead of
    an error. The id, or None when the key was there."""
    connection = transaction.get_connection()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    json_cast = "::jsonb" if connection.vendor == "postgresql" else ""
    table = connection.ops.quote_name(Job._meta.db_table)
    # the table name comes from the model, the cast is a constant: no input reaches the text
    sql = (
        f"INSERT INTO {table} (key, task_path, args, kwargs, state, attempts, max_attempts, "  # noqa: S608
        "next_attempt_at, result_id, claimed_by, last_error, created_at, updated_at) "
        f"VALUES (%s, %s, %s{json_cast}, %s{json_cast}, %s, 0, %s, %s, '', '', '', %s, %s) "
        "ON CONFLICT (key) DO NOTHING RETURNING id"
    )
    params = [
        key,
        path,
        json.dumps(args, cls=DjangoJSONEncoder),
        json.dumps(kwargs, cls=DjangoJSONEncoder),
        rules.PENDING,
        settings.MOTCUA_TASKS_MAX_ATTEMPTS,
        now,
        now,
        now,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def dispatch(job_id: int, *, at: dt.datetime | None = None, task_path: str = "") -> bool:
    """Hand ``run_job(job_id)`` to the task engine (after commit). False if the engine refused
    it: the job stays runnable and the recovery sweep hands it over again."""
    from motcua.jobs.tasks import run_job

    if not task_path:
        task_path = Job.objects.filter(pk=job_id).values_list("task_path", flat=True).first()
        if task_path is None:
            return False
    try:
        task = import_string(task_path)
        runner = run_job.using(
            backend=task.backend,
            queue_name=task.queue_name,
            priority=task.priority,
            run_after=at if at is not None and at > timezone.now() else None,
        )
        result = runner.enqueue(job_id)
    except Exception:
        logger.exception("job %s: the task engine did not accept it; the sweep will retry", job_id)
        return False
    Job.objects.filter(pk=job_id).update(dispatched_at=timezone.now(), result_id=str(result.id))
    return True


def _error_text(exc: BaseException) -> str:
    text = "".join(traceback.format_exception(exc))
    head = f"{type(exc).__name__}: {exc}\n"
    return (head + text[-(ERROR_MAX_CHARS - len(head)) :])[:ERROR_MAX_CHARS]


def run(job_id: int, *, result_id: str = "") -> str:
    """Run one attempt of a job (called by ``tasks.run_job`` in a worker). Returns its outcome.

    The task's own exceptions are recorded here, never raised: the engine sees a finished
    ``run_job`` and the retry is this module's business.
    """
    me = worker_identity()
    now = timezone.now()
    claimed = Job.objects.filter(
        pk=job_id, state__in=rules.RUNNABLE, next_attempt_at__lte=now
    ).update(
        state=rules.RUNNING,
        attempts=F("attempts") + 1,
        claimed_by=me,
        lease_until=now + dt.timedelta(seconds=settings.MOTCUA_TASKS_LEASE_SECONDS),
        result_id=result_id or F("result_id"),
        updated_at=now,
    )
    if not claimed:
        return "skipped"  # done, running elsewhere, not due yet, or a duplicate dispatch
    job = Job.objects.get(pk=job_id)
    try:
        task = import_string(job.task_path)
        task.call(*job.args, **job.kwargs)
    except Exception as exc:
        logger.warning("job %s (%s) attempt %s failed: %s", job.pk, job.key, job.attempts, exc)
        return _record_failure(job, _error_text(exc), claimed_by=me)
    Job.objects.filter(pk=job.pk, state=rules.RUNNING, claimed_by=me).update(
        state=rules.DONE, finished_at=timezone.now(), lease_until=None, updated_at=timezone.now()
    )
    return rules.DONE


def _record_failure(job: Job, error: str, *, claimed_by: str, immediate: bool = False) -> str:
    now = timezone.now()
    if rules.is_exhausted(job.attempts, job.max_attempts):
        state, due = rules.DEAD, job.next_attempt_at
    else:
        delay = (
            0
            if immediate
            else rules.retry_delay(
                job.attempts,
                base=settings.MOTCUA_TASKS_RETRY_BASE_SECONDS,
                cap=settings.MOTCUA_TASKS_RETRY_MAX_SECONDS,
            )
        )
        state, due = rules.FAILED, now + dt.timedelta(seconds=delay)
    changed = Job.objects.filter(pk=job.pk, state=rules.RUNNING, claimed_by=claimed_by).update(
        state=state,
        next_attempt_at=due,
        last_error=error,
        lease_until=None,
        finished_at=now if state == rules.DEAD else None,
        updated_at=now,
    )
    if not changed:
        return "lost"
    if state == rules.DEAD:
        logger.error("job %s (%s) is dead after %s attempts", job.pk, job.key, job.attempts)
    else:
        dispatch(job.pk, at=due)
    return state


def retry(job_id: int, *, actor: Any = None) -> Job:
    """An operator's retry: a failed, dead or stuck pending job runs again now, with a fresh
    budget of attempts (its last error stays visible until the next attempt)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            raise JobError(f"Không có tác vụ {job_id}.")
        if job.state not in (*rules.RETRYABLE_BY_OPERATOR, rules.PENDING):
            raise JobError(
                f"Tác vụ {job_id} đang ở trạng thái {job.get_state_display()}, không chạy lại được."
            )
        previous = job.state
        job.state = rules.PENDING
        job.attempts = 0
        job.next_attempt_at = timezone.now()
        job.finished_at = None
        job.save(
            update_fields=["state", "attempts", "next_attempt_at", "finished_at", "updated_at"]
        )
        record_change(
            "job.retry",
            job,
            f"Chạy lại tác vụ {job.pk} ({job.task_name}) từ trạng thái {previous}",
            actor=actor,
            data={"key": job.key, "from": previous},
        )
        transaction.on_commit(lambda: dispatch(job.pk))
    return job


def _pid_alive(pid: int) -> bool:
    """A process that exists and is not a zombie (a killed worker nobody reaped yet)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return True  # no /proc: trust kill(0)


def _worker_lost(job: Job, now: dt.datetime) -> bool:
    if job.lease_until is not None and job.lease_until < now:
        return True
    host, _, pid = job.claimed_by.rpartition(":")
    return host == socket.gethostname() and pid.isdigit() and not _pid_alive(int(pid))


def _close_orphan_result(result_id: str, error: str) -> None:
    """The database engine's row of an attempt whose worker died stays RUNNING forever; say
    it failed, so the engine's own tables do not show a phantom running task."""
    if not result_id or "django_tasks_db" not in settings.INSTALLED_APPS:
        return
    from django_tasks_db.models import DBTaskResult

    try:
        DBTaskResult.objects.filter(pk=result_id, status="RUNNING").update(
            status="FAILED",
            finished_at=timezone.now(),
            exception_class_path="motcua.jobs.services.WorkerLost",
            traceback=error,
        )
    except Exception:  # an id of the RQ engine is not a UUID
        logger.debug("no database task result %s", result_id)


def recover(now: dt.datetime | None = None) -> list[int]:
    """Hand over again every job whose worker died (lease over, or its process gone on this
    machine) and every due job the engine never got. Idempotent; returns the job ids."""
    now = now or timezone.now()
    recovered: list[int] = []
    for job in Job.objects.filter(state=rules.RUNNING):
        if not _worker_lost(job, now):
            continue
        error = f"WorkerLost: worker {job.claimed_by} stopped during attempt {job.attempts}"
        outcome = _record_failure(job, error, claimed_by=job.claimed_by, immediate=True)
        if outcome != "lost":
            _close_orphan_result(job.result_id, error)
            logger.warning("job %s: %s; now %s", job.pk, error, outcome)
            recovered.append(job.pk)
    stale = Job.objects.filter(
        state__in=rules.RUNNABLE, next_attempt_at__lte=now - UNDISPATCHED_GRACE
    ).filter(
        Q(dispatched_at__isnull=True)
        | Q(dispatched_at__lt=now - dt.timedelta(seconds=settings.MOTCUA_TASKS_LEASE_SECONDS))
    )
    for job_id in stale.values_list("pk", flat=True):
        if dispatch(job_id):
            recovered.append(job_id)
    return recovered
