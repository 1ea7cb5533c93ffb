"""The engine's hook (``dossiers.services._engine._record``): after the transaction that
recorded a state change commits, the dossier's delivery is queued on the task engine.

Nothing is written in the engine's transaction: the audit event itself is the outbox entry
(an event without a ``SyncItem`` is pending), so a lost task loses nothing — the sweep
(``motcua sync push``) finds the event. Off while ``NATSYNC_URL`` is empty."""

from __future__ import annotations

import uuid

from django.conf import settings


def queue(dossier_id: int, version: int) -> None:
    """Called inside the engine's transaction, once per recorded transition."""
    if not settings.NATSYNC_URL:
        return
    _enqueue(dossier_id, f"natsync:{dossier_id}:v{version}")


def enqueue_delivery(dossier_id: int, *, reason: str) -> None:
    """An operator's or reconciliation's request: a fresh job every time."""
    if not settings.NATSYNC_URL:
        return
    _enqueue(dossier_id, f"natsync:{dossier_id}:{reason}:{uuid.uuid4().hex}")


def _enqueue(dossier_id: int, key: str) -> None:
    from motcua.natsync.tasks import enqueue

    enqueue(dossier_id, key=key)
