"""Background sends of edXML packages (motcua.jobs: retried with backoff, dead-lettered after
TASKS_MAX_ATTEMPTS). Each raises when a package could not be handed over, so that the job is
retried; the row keeps the last error for the desk either way."""

from __future__ import annotations

from django_tasks import task

from motcua.edoc.hub import HubError


@task()
def deliver_document(document_id: int) -> None:
    from motcua.edoc import services

    failed = services.deliver_document(document_id)
    if failed:
        raise HubError(f"edoc: {failed} recipient(s) of document {document_id} not reached")


@task()
def deliver_status(event_id: int) -> None:
    from motcua.edoc import services

    if services.deliver_status(event_id):
        raise HubError(f"edoc: status package {event_id} not delivered")
