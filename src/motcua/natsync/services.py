"""The outbox's writes: deliver a dossier's events in order, record each attempt, re-queue.

Per dossier, items are sent strictly in event order: the first unsent item is claimed (a
conditional UPDATE: one worker wins; a crashed worker's claim expires after ``LEASE``),
sent, recorded; a failure stops the dossier there, so a later item never overtakes an
earlier one. Each item sends the dossier (``DongBoHoSoMC``, create-or-update by ``MaHoSo``:
the portal keeps one record per code, so sending twice is harmless) with the event's status,
then the event as a progress entry (``CapNhatTienDoHoSoMC``). The create/update flag comes
from our own record (an item of the dossier already sent) or, before the first success, from
``TraCuuHoSo`` (a create whose answer was lost must not be created again).

No transaction is held across a network call (on SQLite it would block every writer).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.dossiers.models import Dossier, SyncItem
from motcua.natsync import mapping, queries
from motcua.natsync.client import PortalClient, PortalError, default_client
from motcua.stats import hooks as stats_hooks

State = SyncItem.State
LEASE = dt.timedelta(minutes=5)
BACKOFF_BASE_SECONDS = 30
BACKOFF_CAP_SECONDS = 3600


class SyncFailed(Exception):
    """An item could not be sent; the caller (the task engine) retries later."""


@dataclass
class Delivery:
    dossier_id: int
    sent: list[int] = field(default_factory=list)  # SyncItem ids
    failed: int | None = None
    blocked: bool = False  # a dead item (or another worker) holds the dossier
    error: str = ""


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(
        seconds=min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1))
    )


def materialise(dossier_id: int | None = None) -> int:
    """Outbox rows for the events no synchroniser has looked at yet (idempotent)."""
    events = list(queries.unqueued_events(dossier_id).values_list("pk", "dossier_id", "at"))
    SyncItem.objects.bulk_create(
        [SyncItem(event_id=e, dossier_id=d, created_at=at) for e, d, at in events],
        ignore_conflicts=True,
    )
    return len(events)


def _claim(item: SyncItem, now: dt.datetime) -> bool:
    claimable = SyncItem.objects.filter(pk=item.pk, state__in=[State.PENDING, State.FAILED])
    stale = SyncItem.objects.filter(pk=item.pk, state=State.SENDING, claimed_at__lt=now - LEASE)
    updates = {"state": State.SENDING, "claimed_at": now, "updated_at": now}
    return bool(claimable.update(**updates) or stale.update(**updates))


def _send(client: PortalClient, item: SyncItem, profile: mapping.Profile) -> dict:
    snap = queries.snapshot(item.dossier_id)
    record = mapping.apply(
        mapping.dossier_record(snap, national_status=item.event.national_status), profile
    )
    updating = SyncItem.objects.filter(dossier_id=item.dossier_id, state=State.SENT).exists()
    if not updating:
        updating = client.lookup(snap["code"]) is not None
    answer = client.sync_dossier(record, updating=updating)
    progress = mapping.apply(
        mapping.progress_record(snap, queries.event_snapshot(item.event)), profile
    )
    client.update_progress(progress)
    return {"service": "DongBoHoSoMC", "isUpdating": updating, "answer": answer}


def _succeeded(item: SyncItem, response: dict, now: dt.datetime) -> None:
    with transaction.atomic():
        SyncItem.objects.filter(pk=item.pk).update(
            state=State.SENT,
            synced_at=now,
            attempts=item.attempts + 1,
            last_error="",
            next_attempt_at=None,
            claimed_at=None,
            updated_at=now,
            response=response,
        )
        first = Dossier.objects.filter(pk=item.dossier_id, national_synced_at__isnull=True)
        if first.update(national_synced_at=now):
            stats_hooks.touch(item.dossier_id)  # indicator 1.4 reads it


def _failed(item: SyncItem, exc: PortalError, now: dt.datetime) -> None:
    attempts = item.attempts + 1
    dead = not exc.retryable or attempts >= settings.NATSYNC_MAX_ATTEMPTS
    SyncItem.objects.filter(pk=item.pk).update(
        state=State.DEAD if dead else State.FAILED,
        attempts=attempts,
        last_error=exc.message[:2000],
        next_attempt_at=None if dead else now + backoff(attempts),
        claimed_at=None,
        updated_at=now,
    )


def deliver_dossier(
    dossier_id: int,
    *,
    client: PortalClient | None = None,
    now: dt.datetime | None = None,
    respect_schedule: bool = False,
) -> Delivery:
    """Send the dossier's unsent items in order. Raises ``SyncFailed`` after recording a
    failure. ``respect_schedule``: a failed item waits for its ``next_attempt_at`` (the
    sweep); the task engine's own retries call without it (jobs owns that backoff)."""
    client = client or default_client()
    profile = mapping.active_profile()
    result = Delivery(dossier_id)
    materialise(dossier_id)
    while True:
        now_i = now or timezone.now()
        item = (
            SyncItem.objects.select_related("event")
            .filter(dossier_id=dossier_id)
            .exclude(state=State.SENT)
            .order_by("event_id")
            .first()
        )
        if item is None:
            return result
        if item.state == State.DEAD:
            result.blocked = True
            return result
        if respect_schedule and item.state == State.FAILED and item.next_attempt_at > now_i:
            return result
        if not _claim(item, now_i):
            result.blocked = True  # another worker is sending it
            return result
        try:
            response = _send(client, item, profile)
        except PortalError as exc:
            _failed(item, exc, now_i)
            result.failed, result.error = item.pk, exc.message
            raise SyncFailed(f"{item.pk}: {exc.message}") from exc
        _succeeded(item, response, now_i)
        result.sent.append(item.pk)


def deliver_due(*, client: PortalClient | None = None, now: dt.datetime | None = None) -> dict:
    """The sweep (``motcua sync push``, the scheduler): every dossier with something due."""
    now = now or timezone.now()
    client = client or default_client()
    materialise()
    totals = {"dossiers": 0, "sent": 0, "failed": 0, "blocked": 0}
    for dossier_id in queries.due_dossiers(now):
        totals["dossiers"] += 1
        try:
            r = deliver_dossier(dossier_id, client=client, now=now, respect_schedule=True)
        except SyncFailed:
            totals["failed"] += 1
            continue
        totals["sent"] += len(r.sent)
        totals["blocked"] += int(r.blocked)
    return totals


def requeue(dossier_id: int, *, now: dt.datetime | None = None) -> int:
    """Send the dossier again: dead and failed items become pending with a fresh attempt
    budget; a fully sent dossier gets its last item re-sent (it carries the current data).
    Returns how many items were re-queued."""
    now = now or timezone.now()
    materialise(dossier_id)
    with transaction.atomic():
        stuck = SyncItem.objects.filter(dossier_id=dossier_id, state__in=[State.DEAD, State.FAILED])
        n = stuck.update(
            state=State.PENDING, attempts=0, next_attempt_at=None, claimed_at=None, updated_at=now
        )
        if n:
            return n
        if SyncItem.objects.filter(dossier_id=dossier_id, state=State.PENDING).exists():
            return 0
        last = SyncItem.objects.filter(dossier_id=dossier_id).order_by("-event_id").first()
        if last is None:
            return 0
        SyncItem.objects.filter(pk=last.pk).update(
            state=State.PENDING, attempts=0, next_attempt_at=None, updated_at=now
        )
        return 1
