"""When agencies merge, their open dossiers move to the successor (Decree 118/2025 keeps the
one-stop work going across reorganisations); each move is in the audit trail."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.agencies.signals import agencies_merged
from motcua.dossiers.models import AuditEvent, Dossier, DossierStep
from motcua.dossiers.rules import ENDED_STATES, NATIONAL_STATUS, TERMINAL_STATES, State
from motcua.stats import hooks as stats_hooks

REASSIGN = "reassign_agency"
AGENCY_FIELDS = ("receiving_agency", "deciding_agency", "current_agency")


@receiver(agencies_merged, dispatch_uid="dossiers.move_open_dossiers")
def move_open_dossiers(
    sender, *, sources: list[Agency], into: Agency, effective: dt.date, actor=None, **kwargs
) -> int:
    """Runs inside the merger's transaction; returns the number of dossiers moved."""
    source_ids = [a.pk for a in sources]
    open_states = [s for s in State if s not in TERMINAL_STATES | ENDED_STATES]
    in_sources = Q()
    for field in AGENCY_FIELDS:
        in_sources |= Q(**{f"{field}__in": source_ids})
    dossiers = Dossier.objects.select_for_update().filter(in_sources, state__in=open_states)
    now = timezone.now()
    moved = 0
    for d in dossiers:
        before = {f: getattr(d, f"{f}_id") for f in AGENCY_FIELDS}
        for field in AGENCY_FIELDS:
            if getattr(d, f"{field}_id") in source_ids:
                setattr(d, f"{field}_id", into.pk)
        d.version += 1
        d.save(update_fields=[*(f"{f}" for f in AGENCY_FIELDS), "version", "updated_at"])
        DossierStep.objects.filter(
            dossier=d, agency__in=source_ids, finished_at__isnull=True
        ).update(agency=into)
        AuditEvent.objects.create(
            dossier=d,
            at=now,
            actor=actor,
            agency=into,
            action=REASSIGN,
            from_state=d.state,
            to_state=d.state,
            national_status=NATIONAL_STATUS[State(d.state)],
            reason=f"Sáp nhập cơ quan từ ngày {effective:%d/%m/%Y}",
            data={"before": before, "into": into.pk, "effective": effective.isoformat()},
        )
        stats_hooks.touch(d.pk)
        moved += 1
    return moved
