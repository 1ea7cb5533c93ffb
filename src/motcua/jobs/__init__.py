"""Background work: Django's Tasks API with motcua's idempotency, retry and dead-letter rules.

The one entry point other apps use::

    from motcua.jobs import enqueue_on_commit

    enqueue_on_commit(send_mail_task, dossier_id, idempotency_key=f"received:{dossier_id}")

``task`` is a ``django_tasks.task``-decorated function. A row of ``jobs.Job`` is written in the
caller's transaction (so the work exists exactly when the change that asked for it commits, and
is never queued twice for one key); the task engine is handed the job only after commit. See
docs/tasks.md.
"""

from __future__ import annotations

from typing import Any


def enqueue_on_commit(task: Any, *args: Any, idempotency_key: str, **kwargs: Any) -> None:
    """Queue ``task(*args, **kwargs)`` to run once the current transaction commits.

    A second call with the same ``idempotency_key`` (now or ever after) does nothing. The
    arguments must be JSON values. Failures are retried with exponential backoff up to
    TASKS_MAX_ATTEMPTS, then the job is dead-lettered with its error.
    """
    # imported here: this package is imported while Django loads its apps
    from motcua.jobs import services

    services.enqueue_on_commit(task, *args, idempotency_key=idempotency_key, **kwargs)


__all__ = ["enqueue_on_commit"]
