"""Periodic jobs, run through the same engine as every other job (docs/tasks.md, "Scheduler").

``motcua scheduler`` calls ``tick()`` every few seconds. Each periodic job is enqueued with the
idempotency key ``periodic:<name>:<slot>`` (the slot numbers its period since the epoch), so a
tick repeated, or a second scheduler started by mistake, never runs a period twice; a period
missed while nothing ran is not caught up (each job looks at the present state anyway).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from motcua.jobs import rules, services
from motcua.jobs.models import Job

logger = logging.getLogger("motcua.jobs")

KEEP_FINISHED = dt.timedelta(days=30)


@dataclass(frozen=True)
class Periodic:
    name: str
    task_path: str
    every: dt.timedelta


@task()
def refresh_statistics() -> int:
    """The statistics aggregates catch up with the dossiers changed since (every read does it
    too, up to a limit: this keeps the backlog of a busy day small)."""
    from motcua.stats import services as stats_services

    return stats_services.refresh()


@task()
def prune_finished() -> int:
    """Finished jobs (and the engine's rows of them) are kept 30 days, then deleted; dead
    ones are kept until an operator retries them."""
    cutoff = timezone.now() - KEEP_FINISHED
    deleted, _ = Job.objects.filter(state=rules.DONE, finished_at__lt=cutoff).delete()
    try:
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(finished_at__lt=cutoff).delete()
    except LookupError:  # pragma: no cover - the database engine's app is always installed
        pass
    return deleted


PERIODIC: tuple[Periodic, ...] = (
    Periodic(
        "statistics-refresh", "motcua.jobs.periodic.refresh_statistics", dt.timedelta(minutes=10)
    ),
    Periodic(
        "deadline-reminders",
        "motcua.notifications.tasks.deadline_reminders",
        dt.timedelta(hours=1),
    ),
    Periodic("prune-finished", "motcua.jobs.periodic.prune_finished", dt.timedelta(days=1)),
    # items whose immediate delivery failed or waited behind an earlier one (nothing when
    # NATSYNC_URL is empty): docs/national-sync.md
    Periodic("national-sync-sweep", "motcua.natsync.tasks.sweep", dt.timedelta(minutes=5)),
)


def slot(now: dt.datetime, every: dt.timedelta) -> int:
    return int(now.timestamp() // every.total_seconds())


def tick(now: dt.datetime | None = None, *, periodic: tuple[Periodic, ...] = PERIODIC) -> list[str]:
    """Enqueue the periodic jobs whose period began since the last tick, and recover lost
    jobs. Returns the keys enqueued (or already there)."""
    from motcua.jobs import enqueue_on_commit

    now = now or timezone.now()
    keys = []
    for item in periodic:
        key = f"periodic:{item.name}:{slot(now, item.every)}"
        try:
            enqueue_on_commit(import_string(item.task_path), idempotency_key=key)
        except ImportError:
            logger.error("periodic job %s: no task %s", item.name, item.task_path)
            continue
        keys.append(key)
    services.recover(now)
    return keys
