"""The outbox's task (``motcua.jobs``): deliver one dossier's unsent items, in order.

A failure raises (after ``services`` recorded it on the item), so the job engine retries
with its back-off and dead-letters after TASKS_MAX_ATTEMPTS; the item's own state (failed,
dead) is what operators see per dossier. A dossier blocked by a dead item finishes the job
quietly: only an operator's re-queue (or reconcile) unblocks it."""

from __future__ import annotations

from django_tasks import task

from motcua.jobs import enqueue_on_commit


@task()
def deliver(dossier_id: int) -> None:
    from motcua.natsync import services

    services.deliver_dossier(dossier_id)


def enqueue(dossier_id: int, *, key: str) -> None:
    enqueue_on_commit(deliver, dossier_id, idempotency_key=key)


@task()
def sweep() -> dict:
    """The periodic sweep (``motcua sync push`` as a job): everything due, in order. For the
    scheduler's table (``jobs.periodic.PERIODIC``), every few minutes."""
    from motcua.natsync import client, services

    if not client.enabled():
        return {}
    return services.deliver_due()
