"""Reads of the synchroniser: a dossier's snapshot for the mapping, the outbox's state."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from motcua.dossiers.models import NATIONAL_CHANNEL, AuditEvent, Dossier, SyncItem
from motcua.dossiers.rules import ACTION_LABELS_VI, Action
from motcua.natsync.models import ProcedureCode

State = SyncItem.State
# the order the status views list states in; "pending" includes events not yet looked at
STATES = [State.PENDING, State.SENDING, State.FAILED, State.DEAD, State.SENT]


def national_procedure_code(procedure) -> str:
    row = ProcedureCode.objects.filter(procedure=procedure).values_list("national_code").first()
    return row[0] if row else procedure.code


def snapshot(dossier_id: int) -> dict:
    """Everything the mapping reads about a dossier, as plain values."""
    d = Dossier.objects.select_related("procedure__field", "deciding_agency").get(pk=dossier_id)
    fees = list(d.fees.order_by("pk").values("id", "name", "amount_vnd", "payment_channel"))
    return {
        "code": d.code,
        "national_procedure_code": national_procedure_code(d.procedure),
        "procedure_name": d.procedure.name_vi,
        "field_id": str(d.procedure.field_id),
        "field_name": d.procedure.field.name_vi,
        "applicant_kind": d.applicant_kind,
        "applicant_name": d.applicant_name,
        "applicant_id_number": d.applicant_id_number,
        "applicant_tax_code": d.applicant_tax_code,
        "applicant_address": d.applicant_address,
        "applicant_email": d.applicant_email,
        "applicant_phone": d.applicant_phone,
        "applicant_vneid": d.applicant_vneid,
        "submitted_at": d.submitted_at,
        "received_at": d.received_at,
        "due_at": d.effective_due_at or d.due_at,
        "returned_at": d.returned_at,
        "decision_note": d.decision_note,
        "result_delivery": d.result_delivery,
        "national_channel": NATIONAL_CHANNEL.get(d.channel, 2),
        "agency_name": d.deciding_agency.name_vi,
        "digitised": d.documents.filter(digitised=True).exists(),
        "paid_online": any(f["payment_channel"] == "online" for f in fees),
        "documents": list(d.documents.order_by("pk").values("id", "name", "required_document_id")),
        "fees": [{**f, "channel": f["payment_channel"]} for f in fees],
        "pauses": list(d.pauses.order_by("started_at").values("started_at", "ended_at", "reason")),
        "results": [
            {"id": a.pk, "name": a.original_name, "url": ""}
            for a in d.attachments.filter(purpose="result").order_by("pk")
        ],
    }


def event_snapshot(event: AuditEvent) -> dict:
    actor = event.actor
    try:
        label = ACTION_LABELS_VI[Action(event.action)]
    except ValueError:
        label = event.action
    return {
        "at": event.at,
        "actor_name": actor.display_name() if actor else "",
        "actor_role": event.actor_role,
        "agency_name": event.agency.name_vi if event.agency else "",
        "label": label,
        "reason": event.reason,
        "national_status": event.national_status,
    }


def items_of(dossier: Dossier) -> QuerySet[SyncItem]:
    return SyncItem.objects.filter(dossier=dossier).select_related("event").order_by("event_id")


def unqueued_events(dossier_id: int | None = None) -> QuerySet[AuditEvent]:
    """Events no synchroniser has looked at yet (they count as pending)."""
    qs = AuditEvent.objects.filter(dossier__isnull=False, sync__isnull=True)
    return qs.filter(dossier_id=dossier_id) if dossier_id else qs


def counts(dossier_id: int | None = None) -> dict[str, int]:
    """Outbox items by state (every state present, zero included)."""
    qs = SyncItem.objects.all()
    if dossier_id:
        qs = qs.filter(dossier_id=dossier_id)
    found = dict(qs.order_by().values_list("state").annotate(n=Count("pk")))
    out = {str(s): int(found.get(s, 0)) for s in STATES}
    out[str(State.PENDING)] += unqueued_events(dossier_id).count()
    return out


def dossiers_with_problems(limit: int = 50) -> QuerySet[Dossier]:
    """Dossiers whose sync is stuck (failed or dead items), oldest problem first."""
    return (
        Dossier.objects.filter(sync_items__state__in=[State.FAILED, State.DEAD])
        .annotate(
            failed=Count("sync_items", filter=Q(sync_items__state=State.FAILED)),
            dead=Count("sync_items", filter=Q(sync_items__state=State.DEAD)),
        )
        .order_by("pk")[:limit]
    )


def due_dossiers(now: dt.datetime) -> list[int]:
    """Dossiers the sweep should deliver now: unqueued events, or items pending / failed and
    due again (dead items wait for an operator; a dossier with a dead item is blocked)."""
    ids = set(unqueued_events().values_list("dossier_id", flat=True).distinct())
    ids |= set(
        SyncItem.objects.filter(
            Q(state=State.PENDING)
            | Q(state=State.FAILED, next_attempt_at__lte=now)
            | Q(state=State.SENDING, claimed_at__lte=now - dt.timedelta(minutes=5))
        )
        .values_list("dossier_id", flat=True)
        .distinct()
    )
    return sorted(i for i in ids if i)


def dossiers_in(date_from: dt.date, date_to: dt.date) -> QuerySet[Dossier]:
    """Dossiers submitted in the period (reconciliation's scope), live ones only."""
    return Dossier.objects.filter(
        submitted_at__date__gte=date_from, submitted_at__date__lte=date_to, imported=False
    ).order_by("pk")


def sync_panel(dossier: Dossier) -> dict:
    """The dossier page's view of its outbox: one line per event (events not yet looked at
    show as pending), and whether the dossier reached the portal."""
    items = {i.event_id: i for i in SyncItem.objects.filter(dossier=dossier)}
    lines = []
    for event in AuditEvent.objects.filter(dossier=dossier).order_by("pk"):
        item = items.get(event.pk)
        lines.append(
            {
                "at": event.at,
                "action": event.action,
                "national_status": event.national_status,
                "state": item.state if item else State.PENDING,
                "attempts": item.attempts if item else 0,
                "synced_at": item.synced_at if item else None,
                "last_error": item.last_error if item else "",
            }
        )
    return {"lines": lines, "synced_at": dossier.national_synced_at}
