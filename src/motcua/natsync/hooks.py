"""The engine's hook (``dossiers.services._engine._record``): after the transaction that
recorded a state change commits, the dossier's delivery is queued on the task engine.

Nothing is written in the engine's transaction: the audit event itself is the outbox entry
(an event without a ``SyncItem`` is pending), so a lost task loses nothing — the sweep
(``motcua sync push``) finds the event. Off while ``NATSYNC_URL`` is empty."""

from __future__ import annotations

from django.conf import settings


def queue(dossier_id: int, version: int) -> None:
    """Called inside the engine's transaction, once per recorded transition."""
    if not settings.NATSYNC_URL:
        return
    enqueue_delivery(dossier_id, reason=f"v{version}")


def enqueue_delivery(dossier_id: int, *, reason: str) -> None:
    if not settings.NATSYNC_URL:
        return
    from motcua.natsync.tasks import enqueue

    enqueue(dossier_id, key=f"natsync:{dossier_id}:{reason}")
