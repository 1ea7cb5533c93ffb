"""Run background workers on the configured engine (``motcua worker``) and, for tests and
``motcua worker --batch``, drain the queue in this process."""

from __future__ import annotations

import logging

from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

from motcua.jobs import services

logger = logging.getLogger("motcua.jobs")


def engine() -> str:
    """``database`` or ``rq``: which engine the default backend is."""
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    return "rq" if type(backend).__module__.startswith("django_tasks_rq") else "database"


def run_worker(*, batch: bool = False, interval: float = 1.0, max_tasks: int | None = None) -> None:
    """Work on every queue until stopped (or, with ``batch``, until nothing is left to do).

    A starting worker first recovers the jobs of a worker that died (``services.recover``):
    kill -9 loses nothing, the next worker to start runs what was interrupted.
    """
    recovered = services.recover()
    if recovered:
        logger.warning("recovered jobs %s", recovered)
    if engine() == "rq":
        _run_rq(batch=batch, max_tasks=max_tasks)
    else:
        _run_database(batch=batch, interval=interval, max_tasks=max_tasks, signals=not batch)


def _run_database(*, batch: bool, interval: float, max_tasks: int | None, signals: bool) -> None:
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["*"],
        interval=interval,
        batch=batch,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=services.worker_identity()[-64:],
        excluded_queue_names=[],
    )
    if signals:
        worker.configure_signals()  # SIGTERM: finish the current task, then stop
        worker.run()
        return
    # draining in this process (tests, --batch): the worker's close_old_connections() would
    # drop the caller's connection (and its transaction) between tasks; keep it
    from django_tasks_db.management.commands import db_worker

    original = db_worker.close_old_connections
    db_worker.close_old_connections = lambda: None
    try:
        worker.run()
    finally:
        db_worker.close_old_connections = original


def _rq_queues() -> list:
    import django_rq
    from django_tasks_rq import Job as RQJob

    return [
        django_rq.get_queue(name, job_class=RQJob)
        for name in task_backends[DEFAULT_TASK_BACKEND_ALIAS].queues
    ]


def _run_rq(*, batch: bool, max_tasks: int | None) -> None:
    from django_tasks_rq import Job as RQJob
    from rq import SimpleWorker, Worker

    queues = _rq_queues()
    # in batch mode (tests, one-off drains) the jobs run in this process; a real worker forks
    # a work horse per job, so a job that crashes its process does not take the worker down
    cls = SimpleWorker if batch else Worker
    worker = cls(queues, connection=queues[0].connection, job_class=RQJob)
    worker.work(burst=batch, with_scheduler=True, max_jobs=max_tasks, logging_level="INFO")


def drain(*, rounds: int = 20) -> None:
    """Run everything that is due now, in this process (tests; ``motcua worker --batch``).

    Retries due at once are picked up by the next round, so one call runs a job to its end
    when the retry delay is zero. Like a starting worker, it first recovers the jobs of a
    worker that died.
    """
    services.recover()
    for _ in range(rounds):
        if engine() == "rq":
            _run_rq(batch=True, max_tasks=None)
        else:
            _run_database(batch=True, interval=0, max_tasks=None, signals=False)
        if _due_count() == 0:
            return


def _due_count() -> int:
    from django.utils import timezone

    from motcua.jobs import rules
    from motcua.jobs.models import Job

    return Job.objects.filter(state__in=rules.RUNNABLE, next_attempt_at__lte=timezone.now()).count()
