"""The notification tasks the engine runs (enqueued through ``motcua.jobs``)."""

from __future__ import annotations

from django_tasks import task

from motcua.notifications import services


@task()
def announce(kind: str, subject_id: int, event: str, details: dict) -> int:
    return services.announce(kind, subject_id, event, details)


@task()
def deliver(notification_id: int) -> str:
    return services.deliver(notification_id)


@task()
def deadline_reminders() -> int:
    return services.deadline_reminders()
