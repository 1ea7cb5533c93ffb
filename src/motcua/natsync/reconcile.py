"""``motcua sync reconcile``: compare the portal's record of each dossier (``TraCuuHoSo``)
with what we would send now, and re-queue every dossier that differs or is unknown there."""

from __future__ import annotations

import datetime as dt

from motcua.dossiers.rules import NATIONAL_STATUS
from motcua.natsync import hooks, mapping, queries, services
from motcua.natsync.client import PortalClient, default_client


def reconcile(
    date_from: dt.date,
    date_to: dt.date,
    *,
    client: PortalClient | None = None,
    apply_changes: bool = True,
) -> list[dict]:
    """One row per dossier of the period: its code, the differing fields (portal names),
    and how many outbox items were re-queued (0 with ``apply_changes=False``)."""
    client = client or default_client()
    profile = mapping.active_profile()
    rows = []
    for dossier in queries.dossiers_in(date_from, date_to):
        snap = queries.snapshot(dossier.pk)
        expected = mapping.apply(
            mapping.dossier_record(snap, national_status=NATIONAL_STATUS[dossier.state_enum]),
            profile,
        )
        diff = mapping.differences(expected, client.lookup(dossier.code), profile)
        requeued = 0
        if diff and apply_changes:
            requeued = services.requeue(dossier.pk)
            hooks.enqueue_delivery(dossier.pk, reason="reconcile")
        rows.append({"code": dossier.code, "differences": diff, "requeued": requeued})
    return rows
